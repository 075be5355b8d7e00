// Free-form contract objects (tool input and output, evidence items, document headers): small
// ones as key/value lists, anything nested as formatted JSON.
import { useI18n } from '../i18n';

const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

export function JsonView({ value, testId }: { value: unknown; testId?: string }) {
  const { t } = useI18n();
  if (value === undefined) return <span className="muted">{t('common.none')}</span>;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length > 0 && entries.length <= 12 && entries.every(([, v]) => scalar(v))) {
      return (
        <dl className="kv" data-testid={testId}>
          {entries.map(([k, v]) => (
            <div key={k} className="kv-row">
              <dt>{k}</dt>
              <dd>{String(v)}</dd>
            </div>
          ))}
        </dl>
      );
    }
  }
  if (scalar(value)) return <span data-testid={testId}>{String(value)}</span>;
  return (
    <pre className="json" data-testid={testId}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
