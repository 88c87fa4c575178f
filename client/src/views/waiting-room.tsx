import type { ConnectionStatus } from '../session/connection.js';
import { Notices } from './notices.js';

/** A member waits here until the facilitator lets them in. */
export function WaitingRoom({ name, roomTitle, status, onLeave }: { name: string; roomTitle: string; status: ConnectionStatus; onLeave(): void }) {
  return (
    <main class="page page--narrow waiting" aria-labelledby="waiting-title">
      <div class="waiting__breath" aria-hidden="true" />
      <h1 id="waiting-title">You're in the waiting room</h1>
      <p class="lead">
        Welcome, <bdi>{name}</bdi>. The facilitator of <strong>{roomTitle}</strong> will let you in shortly.
      </p>
      <p class="quiet">Take a moment to settle. Your camera and microphone start when you're let in.</p>
      {status === 'reconnecting' && (
        <p class="callout callout--warn" role="status">
          Connection lost. Reconnecting… you keep your place for a few minutes.
        </p>
      )}
      <button type="button" class="button button--quiet" onClick={onLeave}>
        Leave the waiting room
      </button>
      <Notices />
    </main>
  );
}
