import { languages, type Language } from './catalogue.js';
import { setLanguage, t, useLanguage } from './index.js';

/** The language of this browser's screens; the choice is remembered. */
export function LanguagePicker() {
  const current = useLanguage();
  return (
    <label class="field language-picker">
      <span class="field__label">{t('language.label')}</span>
      <select value={current} onChange={(event) => setLanguage(event.currentTarget.value as Language)}>
        {languages.map((code) => (
          <option key={code} value={code} lang={code}>
            {t(`language.${code}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
