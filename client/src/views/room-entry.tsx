import { useState } from 'preact/hooks';
import { forgetSession, loadSession } from '../session/saved-session.js';
import { RoomScreen } from './room-screen.js';
import { useFacilitatorActivity } from '../session/activity.js';

/** /room/:id: the tab's saved session rejoins; without one there is nothing to rejoin. */
export function RoomEntry({ roomId }: { roomId: string }) {
  const [saved] = useState(() => loadSession());
  const [left, setLeft] = useState(false);
  useFacilitatorActivity(saved?.role === 'facilitator' && !left);

  if (left) {
    return (
      <main class="page page--narrow">
        <h1>You have left the session</h1>
        {saved?.role === 'facilitator' ? (
          <p>
            The room stays open. <a href="/facilitate">Back to your rooms</a>.
          </p>
        ) : (
          <p>Thank you for being part of the group today. To come back, open your invite link again; the facilitator will let you in.</p>
        )}
      </main>
    );
  }
  if (!saved || saved.roomId !== roomId) {
    return (
      <main class="page page--narrow">
        <h1>This tab is not in that room</h1>
        <p>Open your invite link again to join. Facilitators enter rooms from the facilitator console.</p>
      </main>
    );
  }
  return (
    <RoomScreen
      saved={saved}
      onLeft={() => {
        forgetSession();
        setLeft(true);
      }}
    />
  );
}
