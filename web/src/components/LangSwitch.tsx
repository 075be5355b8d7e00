import { useI18n } from '../i18n';

export function LangSwitch() {
  const { t, lang, setLang } = useI18n();
  const other = lang === 'ko' ? 'en' : 'ko';
  return (
    <button type="button" className="link" onClick={() => setLang(other)} aria-label={`${t('lang.label')}: ${t('lang.switch')}`} data-testid="lang-switch" lang={other}>
      {t('lang.switch')}
    </button>
  );
}
