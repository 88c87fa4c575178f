import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { accountApi, type SignedIn } from '../session/account-api.js';
import { useActivity } from '../session/activity.js';
import { forgetKey, rememberedKey, rememberKey, takeKeyFromFragment } from '../session/facilitator-key.js';
import { ApiRefusal, refusalText } from '../session/http-api.js';
import { t } from '../i18n/index.js';
import { LanguagePicker } from '../i18n/language-picker.js';
import { notify } from '../session/notices.js';
import { Notices } from './notices.js';

/** What a facilitator page holds: the signed-in account (credential ''), or without accounts the facilitator key. */
export interface Facilitator {
  /** Sent as the bearer key; '' when the sign-in cookie is the credential. */
  credential: string;
  signedIn: SignedIn | null;
  /** Sign out (accounts) or forget the key on this device. */
  leave(): void;
}

type Gate = { kind: 'loading' } | { kind: 'sign-in' } | { kind: 'key'; key: string | null } | { kind: 'signed-in'; me: SignedIn };

/** Every facilitator page sits behind this: signed in with a passkey, or (a server without accounts) the facilitator key. */
export function FacilitatorGate({ children }: { children(facilitator: Facilitator): ComponentChildren }) {
  const [gate, setGate] = useState<Gate>({ kind: 'loading' });
  const check = () =>
    accountApi.me().then(
      (me) => setGate({ kind: 'signed-in', me }),
      (error: unknown) => {
        // No accounts on this server (no records): the facilitator key, as it arrives in the link's fragment.
        if (error instanceof ApiRefusal && error.code === 'NOT_FOUND') {
          const fromLink = takeKeyFromFragment(location.hash);
          if (fromLink) {
            rememberKey(fromLink);
            // The key stays on this device, not in the address bar or history.
            history.replaceState(null, '', location.pathname);
          }
          setGate({ kind: 'key', key: fromLink ?? rememberedKey() });
        } else if (error instanceof ApiRefusal && (error.code === 'SIGNED_OUT' || error.code === 'FORBIDDEN')) setGate({ kind: 'sign-in' });
        else notify(refusalText(error));
      },
    );
  useEffect(() => void check(), []);
  const signOut = (why?: string) => {
    void accountApi.signOut().catch(() => undefined);
    if (why) notify(why, 'info');
    setGate({ kind: 'sign-in' });
  };
  useActivity(gate.kind === 'signed-in' ? gate.me.idleMs : null, () =>
    signOut(t('console:gate.signedOutIdle', { count: Math.round((gate.kind === 'signed-in' ? gate.me.idleMs : 0) / 60_000) })),
  );

  if (gate.kind === 'loading') return <main class="page page--narrow" aria-busy="true"><p class="quiet">{t('console:loading')}</p><Notices /></main>;
  if (gate.kind === 'sign-in') return <SignInForm onSignedIn={() => void check()} />;
  if (gate.kind === 'key') {
    if (!gate.key) return <KeyForm onKey={(key) => (rememberKey(key), setGate({ kind: 'key', key }))} />;
    return children({ credential: gate.key, signedIn: null, leave: () => (forgetKey(), setGate({ kind: 'key', key: null })) });
  }
  return children({ credential: '', signedIn: gate.me, leave: () => signOut() });
}

function SignInForm({ onSignedIn }: { onSignedIn(): void }) {
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState('');
  const attempt = async (how: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await how();
      onSignedIn();
    } catch (error) {
      notify(error instanceof ApiRefusal ? refusalText(error) : t('console:gate.signIn.failed'));
    }
    setBusy(false);
  };
  return (
    <main class="page page--narrow">
      <p class="brand brand--small">{t('console:brand')}</p>
      <LanguagePicker />
      <h1>{t('console:gate.signIn.title')}</h1>
      <p>{t('console:gate.signIn.intro')}</p>
      <button type="button" class="button button--primary" disabled={busy} onClick={() => attempt(accountApi.signIn)}>
        {t('console:gate.signIn.passkey')}
      </button>
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void attempt(() => accountApi.recover(code));
        }}
      >
        <label class="field">
          <span class="field__label">{t('console:gate.signIn.code')}</span>
          <input type="text" autoComplete="off" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        </label>
        <button type="submit" class="button" disabled={busy || code.trim().length < 8}>
          {t('console:gate.signIn.withCode')}
        </button>
      </form>
      <Notices />
    </main>
  );
}

function KeyForm({ onKey }: { onKey(key: string): void }) {
  const [value, setValue] = useState('');
  return (
    <main class="page page--narrow">
      <p class="brand brand--small">{t('console:brand')}</p>
      <LanguagePicker />
      <h1>{t('console:gate.key.title')}</h1>
      <p>{t('console:gate.key.intro')}</p>
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          const key = takeKeyFromFragment(value.includes('#') ? value.slice(value.indexOf('#')) : `key=${value.trim()}`);
          if (key) onKey(key);
          else notify(t('console:gate.key.notAKey'));
        }}
      >
        <label class="field">
          <span class="field__label">{t('console:gate.key.label')}</span>
          <input type="password" autoComplete="off" required value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
        <button type="submit" class="button button--primary">
          {t('console:gate.key.continue')}
        </button>
      </form>
      <Notices />
    </main>
  );
}
