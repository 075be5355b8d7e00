import { useI18n } from '../i18n';
import type { ConnState } from '../streams/stream-session';

export function ConnectionState({ state, testId }: { state: ConnState; testId: string }) {
  const { t } = useI18n();
  return (
    <span className={`conn conn-${state}`} role="status" aria-label={`${t('conn.label')}: ${t(`conn.${state}`)}`} data-testid={testId} data-state={state}>
      <span className="dot" aria-hidden="true" />
      {t(`conn.${state}`)}
    </span>
  );
}
