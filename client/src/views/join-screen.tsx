import { useEffect, useState } from 'preact/hooks';
import { explain, language, t } from '../i18n/index.js';
import { LanguagePicker } from '../i18n/language-picker.js';
import type { LocalMediaOptions } from '../media/media-session.js';
import { ApiRefusal, httpApi } from '../session/http-api.js';
import { saveSession } from '../session/saved-session.js';
import { navigate } from './app.js';
import { PreJoin } from './pre-join.js';

type Stage = { step: 'checking' } | { step: 'invalid'; say(): string } | { step: 'ready'; roomTitle: string };

/** A member arrives through an invite link: check it, get ready, ask to join. */
export function JoinScreen() {
  const [invite] = useState(() => location.hash.slice(1));
  const [stage, setStage] = useState<Stage>({ step: 'checking' });
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<unknown>(null);

  useEffect(() => {
    if (!invite) return setStage({ step: 'invalid', say: () => t('session:join.noInvite') });
    httpApi.inspectInvite(invite).then(
      ({ roomTitle }) => setStage({ step: 'ready', roomTitle }),
      (refusal: unknown) =>
        setStage({
          step: 'invalid',
          // Said when drawn, so a language chosen here applies to it too.
          say: () => (refusal instanceof ApiRefusal && refusal.code === 'UNAUTHENTICATED' ? t('session:join.expired') : messageOf(refusal)),
        }),
    );
  }, [invite]);

  const join = async (media: LocalMediaOptions, name: string) => {
    setBusy(true);
    setRefusal(null);
    try {
      const { roomId, token } = await httpApi.join(invite, name);
      saveSession({ roomId, token, role: 'member', media });
      navigate(`/room/${roomId}`, true);
    } catch (refusal) {
      setRefusal(refusal);
      setBusy(false);
    }
  };

  if (stage.step === 'checking') {
    return (
      <main class="page page--narrow" aria-busy="true">
        <p class="quiet">{t('session:join.checking')}</p>
      </main>
    );
  }
  if (stage.step === 'invalid') {
    return (
      <main class="page page--narrow">
        <h1>{t('session:join.invalidTitle')}</h1>
        <p role="alert">{stage.say()}</p>
        <LanguagePicker />
      </main>
    );
  }
  return <PreJoin roomTitle={stage.roomTitle} role="member" busy={busy} error={refusal === null ? null : messageOf(refusal)} onJoin={join} />;
}

/** A refusal in the person's language; in English the server's own words stand, as they may name the rule a name broke. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiRefusal && language() !== 'en') return explain(error);
  return error instanceof Error ? error.message : t('somethingWrong');
}
