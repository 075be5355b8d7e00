// Every error the platform sends is an envelope with a code, a message and a trace id; the user
// sees all three (the trace id is what support asks for), never a blank screen or a stack.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { DwpApiError, DwpNetworkError, StreamHttpError } from '../../../generated/sdk';
import { useI18n } from '../i18n';

export interface ShownError {
  message: string;
  code?: string;
  traceId?: string;
  status?: number;
  network?: boolean;
}

export function describeError(err: unknown): ShownError {
  if (err instanceof DwpApiError || err instanceof StreamHttpError) {
    return { message: err.envelope?.message ?? err.message, code: err.errorCode, traceId: err.traceId, status: err.status };
  }
  if (err instanceof DwpNetworkError) return { message: '', network: true };
  if (err && typeof err === 'object' && 'errorType' in err && 'error' in err) {
    // An in-band `error` event of a stream.
    const e = err as { error: string; errorType: string; message?: string };
    return { message: e.message ?? e.error, code: e.errorType };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

export function ErrorBox({ error, onRetry, testId = 'error' }: { error: unknown; onRetry?: () => void; testId?: string }) {
  const { t } = useI18n();
  const e = describeError(error);
  return (
    <div className="error-box" role="alert" data-testid={testId}>
      <strong>{t('err.title')}</strong>
      <p data-testid="error-message">{e.network ? t('err.network') : e.message}</p>
      {(e.code || e.traceId) && (
        <dl className="kv small">
          {e.code && (
            <>
              <dt>{t('err.code')}</dt>
              <dd data-testid="error-code">{e.code}{e.status ? ` (HTTP ${e.status})` : ''}</dd>
            </>
          )}
          {e.traceId && (
            <>
              <dt>{t('err.trace')}</dt>
              <dd data-testid="error-trace">
                <code>{e.traceId}</code>
              </dd>
            </>
          )}
        </dl>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('err.retry')}
        </button>
      )}
    </div>
  );
}

/** A render failure in one panel shows a message there instead of unmounting the whole page. */
export class ErrorBoundary extends Component<{ children: ReactNode; fallback: (error: unknown, reset: () => void) => ReactNode }, { error: unknown }> {
  override state = { error: undefined as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('render failed', error, info.componentStack);
  }
  override render() {
    if (this.state.error !== undefined) return this.props.fallback(this.state.error, () => this.setState({ error: undefined }));
    return this.props.children;
  }
}
