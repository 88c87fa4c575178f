import { useRoom } from '../session/room-context.js';

/** Trouble with the connection or the media, said plainly; it goes away by itself on recovery. */
export function ConnectionBanner() {
  const { snapshot, mediaState } = useRoom();
  const reconnecting = snapshot.status === 'reconnecting' || snapshot.status === 'connecting';
  const mediaTrouble = mediaState?.status === 'recovering' || mediaState?.status === 'failed';
  if (!reconnecting && !mediaTrouble && !mediaState?.error) return <div class="banner-slot" role="status" />;
  return (
    <div class="banner-slot" role="status">
      {reconnecting ? (
        <p class="banner banner--warn">
          <strong>Connection lost.</strong> Reconnecting… You keep your seat and your place in the queue.
          {snapshot.pending > 0 && ` ${snapshot.pending} action${snapshot.pending === 1 ? '' : 's'} will be sent when you are back.`}
        </p>
      ) : mediaState?.status === 'recovering' ? (
        <p class="banner banner--warn">
          <strong>Audio and video are reconnecting…</strong>
        </p>
      ) : (
        <p class="banner banner--error">
          <strong>Audio and video are not working.</strong> {mediaState?.error ?? 'Try leaving and joining again.'}
        </p>
      )}
    </div>
  );
}
