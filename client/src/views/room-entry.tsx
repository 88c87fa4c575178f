import { useState } from 'preact/hooks';
import { forgetSession, loadSession } from '../session/saved-session.js';
import { RoomScreen } from './room-screen.js';
import { useFacilitatorActivity } from '../session/activity.js';
import { t } from '../i18n/index.js';

/** /room/:id: the tab's saved session rejoins; without one there is nothing to rejoin. */
export function RoomEntry({ roomId }: { roomId: string }) {
  const [saved] = useState(() => loadSession());
  const [left, setLeft] = useState(false);
  useFacilitatorActivity(saved?.role === 'facilitator' && !left);

  if (left) {
    return (
      <main class="page page--narrow">
        <h1>{t('room:entry.leftTitle')}</h1>
        {saved?.role === 'facilitator' ? (
          <p>
            {t('room:entry.roomStaysOpen')} <a href="/facilitate">{t('room:entry.backToRooms')}</a>
          </p>
        ) : (
          <p>{t('room:entry.thanks')}</p>
        )}
      </main>
    );
  }
  if (!saved || saved.roomId !== roomId) {
    return (
      <main class="page page--narrow">
        <h1>{t('room:entry.notHereTitle')}</h1>
        <p>{t('room:entry.notHere')}</p>
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
