import { useEffect, useState } from 'preact/hooks';
import { limits } from '../../../shared/protocol/commands.js';
import { accountApi } from '../session/account-api.js';
import { ApiRefusal } from '../session/http-api.js';
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
        <h1>Your recovery codes</h1>
        <p>If you lose the device your passkey is on, each of these codes signs you in once. Keep them somewhere safe, apart from this device: they are shown only now.</p>
        <ul class="recovery-codes" data-recovery-codes>
          {codes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <button type="button" class="button button--primary" onClick={() => navigate('/facilitate', true)}>
          I have kept them: continue
        </button>
      </main>
    );
  }
  if (role === null) return <main class="page page--narrow" aria-busy="true"><p class="quiet">Checking the link…</p></main>;
  if (role === 'invalid') {
    return (
      <main class="page page--narrow">
        <h1>This link cannot be used</h1>
        <p>It has been used, has expired or is not valid. Ask your administrator for a new invitation.</p>
      </main>
    );
  }
  return (
    <main class="page page--narrow">
      <p class="brand brand--small">Holdspace</p>
      <h1>{role === 'admin' ? 'Set up Holdspace' : 'Join your practice on Holdspace'}</h1>
      <p>
        {role === 'admin' ? 'You become an administrator: you invite therapists and read the audit trail. ' : ''}
        You sign in with a passkey on this device (a fingerprint, face or device PIN), no password.
      </p>
      <form
        class="stack"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          try {
            setCodes((await accountApi.register(token!, name.trim())).recoveryCodes);
          } catch (error) {
            notify(error instanceof ApiRefusal ? error.message : 'The passkey was not made (the prompt was closed, or this device has none). Try again.');
          }
          setBusy(false);
        }}
      >
        <label class="field">
          <span class="field__label">Your name as members and colleagues see it</span>
          <input type="text" required maxLength={limits.nameLength} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="button button--primary" disabled={busy}>
          Create a passkey and continue
        </button>
      </form>
      <Notices />
    </main>
  );
}
