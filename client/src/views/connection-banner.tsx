import { useMedia, useRoom } from '../session/room-context.js';

/** Trouble with the connection or the media, said plainly; it goes away by itself on recovery. */
export function ConnectionBanner() {
  const { snapshot } = useRoom();
  const status = useMedia((state) => state?.status ?? null);
  const error = useMedia((state) => state?.error ?? null);
  const reconnecting = snapshot.status === 'reconnecting' || snapshot.status === 'connecting';
  const mediaTrouble = status === 'recovering' || status === 'failed';
  if (!reconnecting && !mediaTrouble && !error) return <div class="banner-slot" role="status" />;
  return (
    <div class="banner-slot" role="status">
      {reconnecting ? (
        <p class="banner banner--warn">
          <strong>Connection lost.</strong> Reconnecting… You keep your seat and your place in the queue.
          {snapshot.pending > 0 && ` ${snapshot.pending} action${snapshot.pending === 1 ? '' : 's'} will be sent when you are back.`}
        </p>
      ) : status === 'recovering' ? (
        <p class="banner banner--warn">
          <strong>Audio and video are reconnecting…</strong>
        </p>
      ) : (
        <p class="banner banner--error">
          <strong>Audio and video are not working.</strong> {error ?? 'Try leaving and joining again.'}
        </p>
      )}
    </div>
  );
}
