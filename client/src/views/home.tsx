import { t } from '../i18n/index.js';
import { LanguagePicker } from '../i18n/language-picker.js';

export function Home() {
  return (
    <main class="page page--narrow">
      <h1 class="brand" translate={false}>
        {t('session:brand')}
      </h1>
      <p class="lead">{t('session:home.lead')}</p>
      <p>{t('session:home.how')}</p>
      <LanguagePicker />
    </main>
  );
}
