import { useState } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { useMedia } from '../session/room-context.js';
import { TrackAudio } from './track-media.js';

/** Everyone's microphone, played once each, whatever tiles show their video. */
export function RemoteAudio() {
  const remotesById = useMedia((state) => state?.remotes ?? null);
  const [blocked, setBlocked] = useState(false);
  const remotes = Object.values(remotesById ?? {});
  const unblock = () => {
    for (const element of document.querySelectorAll<HTMLAudioElement>('.remote-audio audio')) element.play().catch(() => undefined);
    setBlocked(false);
  };
  return (
    <div class="remote-audio">
      {remotes.map((peer) =>
        peer.audio ? <TrackAudio key={peer.participantId + peer.audio.id} track={peer.audio} participantId={peer.participantId} onBlocked={() => setBlocked(true)} /> : null,
      )}
      {blocked && (
        <div class="banner banner--warn sound-blocked" role="alert">
          {t('room:sound.blocked')}{' '}
          <button type="button" class="button button--primary" onClick={unblock}>
            {t('room:sound.turnOn')}
          </button>
        </div>
      )}
    </div>
  );
}
