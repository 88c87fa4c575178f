import { useEffect, useState } from 'preact/hooks';
import { limits } from '../../../shared/protocol/commands.js';
import { accountApi } from '../session/account-api.js';
import { ApiRefusal, refusalText } from '../session/http-api.js';
import { t } from '../i18n/index.js';
import { LanguagePicker } from '../i18n/language-picker.js';
import { notify } from '../session/notices.js';
import { navigate } from './app.js';
import { Notices } from './notices.js';

/** /welcome#invite=…: a setup or invitation link registers a facilitator with a passkey made on this device. */
export function Welcome() {
  // The secret stays in this tab, out of the address bar and history.
  const [token] = useState(() => {
    const found = new URLSearchParams(location.hash.replace(/^#/, '')).get('invite');
    history.replaceState(null, '', '/welcome');
    return found;
  });
  const [role, setRole] = useState<'admin' | 'therapist' | 'invalid' | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  useEffect(() => {
    if (!token) return void setRole('invalid');
    accountApi.inspect(token).then(
      (found) => setRole(found.role),
      () => setRole('invalid'),
    );
  }, []);

  if (codes) {
    return (
      <main class="page page--narrow">
        <h1>{t('console:welcome.codesTitle')}</h1>
        <p>{t('console:welcome.codesIntro')}</p>
        <ul class="recovery-codes" data-recovery-codes data-user-text>
          {codes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <button type="button" class="button button--primary" onClick={() => navigate('/facilitate', true)}>
          {t('console:welcome.codesKept')}
        </button>
      </main>
    );
  }
  if (role === null) return <main class="page page--narrow" aria-busy="true"><p class="quiet">{t('console:welcome.checking')}</p></main>;
  if (role === 'invalid') {
    return (
      <main class="page page--narrow">
        <LanguagePicker />
        <h1>{t('console:welcome.invalidTitle')}</h1>
        <p>{t('console:welcome.invalidText')}</p>
      </main>
    );
  }
  return (
    <main class="page page--narrow">
      <p class="brand brand--small">{t('console:brand')}</p>
      <LanguagePicker />
      <h1>{t(role === 'admin' ? 'console:welcome.setUpTitle' : 'console:welcome.joinTitle')}</h1>
      {role === 'admin' && <p>{t('console:welcome.adminIntro')}</p>}
      <p>{t('console:welcome.passkeyIntro')}</p>
      <form
        class="stack"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          try {
            setCodes((await accountApi.register(token!, name.trim())).recoveryCodes);
          } catch (error) {
            notify(error instanceof ApiRefusal ? refusalText(error) : t('console:welcome.notMade'));
          }
          setBusy(false);
        }}
      >
        <label class="field">
          <span class="field__label">{t('console:welcome.name')}</span>
          <input type="text" required maxLength={limits.nameLength} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="button button--primary" disabled={busy}>
          {t('console:welcome.create')}
        </button>
      </form>
      <Notices />
    </main>
  );
}
