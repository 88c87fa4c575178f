import { useEffect, useState } from 'preact/hooks';
import type { LocalMediaOptions } from '../media/media-session.js';
import { ApiRefusal, httpApi } from '../session/http-api.js';
import { saveSession } from '../session/saved-session.js';
import { navigate } from './app.js';
import { PreJoin } from './pre-join.js';

type Stage = { step: 'checking' } | { step: 'invalid'; message: string } | { step: 'ready'; roomTitle: string };

/** A member arrives through an invite link: check it, get ready, ask to join. */
export function JoinScreen() {
  const [invite] = useState(() => location.hash.slice(1));
  const [stage, setStage] = useState<Stage>({ step: 'checking' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!invite) return setStage({ step: 'invalid', message: 'This link has no invite in it. Ask your facilitator for the full link.' });
    httpApi.inspectInvite(invite).then(
      ({ roomTitle }) => setStage({ step: 'ready', roomTitle }),
      (refusal: unknown) =>
        setStage({
          step: 'invalid',
          message: refusal instanceof ApiRefusal && refusal.code === 'UNAUTHENTICATED' ? 'This invite link is not valid or has expired. Ask your facilitator for a new one.' : messageOf(refusal),
        }),
    );
  }, [invite]);

  const join = async (media: LocalMediaOptions, name: string) => {
    setBusy(true);
    setError(null);
    try {
      const { roomId, token } = await httpApi.join(invite, name);
      saveSession({ roomId, token, role: 'member', media });
      navigate(`/room/${roomId}`, true);
    } catch (refusal) {
      setError(messageOf(refusal));
      setBusy(false);
    }
  };

  if (stage.step === 'checking') {
    return (
      <main class="page page--narrow" aria-busy="true">
        <p class="quiet">Checking your invite…</p>
      </main>
    );
  }
  if (stage.step === 'invalid') {
    return (
      <main class="page page--narrow">
        <h1>This invite does not open a room</h1>
        <p role="alert">{stage.message}</p>
      </main>
    );
  }
  return <PreJoin roomTitle={stage.roomTitle} role="member" busy={busy} error={error} onJoin={join} />;
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : 'Something went wrong. Try again.');
