import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ErrorCode } from '../../../shared/protocol/errors.js';
import { explain, t } from '../i18n/index.js';
import { MediaSession } from '../media/media-session.js';
import { announce, type Seen } from '../session/announcements.js';
import { RoomConnection, type Intent } from '../session/connection.js';
import { notify } from '../session/notices.js';
import { RoomContextValue, type RoomContext } from '../session/room-context.js';
import type { SavedSession } from '../session/saved-session.js';
import { Feed, useRoomSnapshot } from '../session/store.js';
import { LiveAnnouncer, type Spoken } from './live-announcer.js';
import { Notices } from './notices.js';
import { Room } from './room.js';
import { SessionEnded } from './session-ended.js';
import { WaitingRoom } from './waiting-room.js';

const farewells = ['DECLINED', 'REMOVED', 'LEFT', 'ROOM_GONE', 'CLIENT_TOO_OLD'] as const;
const farewellHeading = (code: ErrorCode) =>
  (farewells as readonly string[]).includes(code) ? t(`room:screen.farewell.${code as (typeof farewells)[number]}`) : t('room:screen.farewell.other');

/** One participant in one room: owns the connection and the media session for as long as they stay. */
export function RoomScreen({ saved, onLeft }: { saved: SavedSession; onLeft(): void }) {
  const [connection] = useState(() => new RoomConnection(location.origin, saved.token));
  const snapshot = useRoomSnapshot(connection);
  const [media, setMedia] = useState<MediaSession | null>(null);
  const spoken = useMemo(() => new Feed<Spoken>(), []);
  const seen = useRef<Seen>({ group: null, self: null });
  const admitted = snapshot.group !== null;
  const closed = snapshot.status === 'closed' || snapshot.group?.ended === true;
  // Everyone's media starts over when the facilitator turns encryption on or off.
  const encrypt = snapshot.group?.mediaEncryption === true;

  useEffect(() => () => connection.close(), [connection]);

  useEffect(() => {
    if (!admitted || closed) return;
    const session = new MediaSession(connection.socket, { encrypt });
    setMedia(session);
    session.start(saved.media).catch((error: unknown) => notify(t('room:screen.mediaFailed', { reason: error instanceof Error ? error.message : String(error) })));
    return () => {
      session.close();
      setMedia(null);
    };
  }, [admitted, closed, encrypt]);

  const say = useCallback((text: string, urgent = false) => spoken.push({ text, urgent, at: Date.now() }), [spoken]);

  useEffect(() => {
    const next = { group: snapshot.group, self: snapshot.self };
    for (const line of announce(seen.current, next)) say(line.text, line.urgent);
    seen.current = next;
  }, [snapshot.group, snapshot.self]);

  const act = useCallback(
    async (intent: Intent, success?: string) => {
      const ack = await connection.send(intent);
      if (!ack.ok) {
        notify(explain(ack));
        return false;
      }
      if (success) say(success);
      return true;
    },
    [connection],
  );

  const leave = useCallback(() => {
    media?.close();
    // Say goodbye so the seat shows "left" at once rather than after the grace period; do not wait long.
    const goodbye = connection.snapshot.status === 'online' ? connection.send({ type: 'leave' }) : Promise.resolve();
    // Leaving ends a member's session: the server may close the socket before the answer arrives.
    let stopWatching = () => {};
    const shownOut = new Promise<void>((resolve) => (stopWatching = connection.subscribe((s) => s.status === 'closed' && resolve())));
    void Promise.race([goodbye, shownOut, new Promise((resolve) => setTimeout(resolve, 1_000))]).then(() => {
      stopWatching();
      connection.close();
      onLeft();
    });
  }, [media, connection]);

  // Built once per room update, not per render: every view that reads it redraws when it changes.
  const context = useMemo<RoomContext | null>(() => {
    const { group, self } = snapshot;
    return group && self ? { connection, snapshot, group, self, me: self.you.id, isFacilitator: self.role === 'facilitator', media, act, say, leave } : null;
  }, [snapshot, media, leave]);

  const farewell = snapshot.farewell;
  if (farewell) {
    return (
      <main class="page page--narrow">
        <h1>{farewellHeading(farewell.code)}</h1>
        <p role="alert">{explain(farewell)}</p>
        {farewell.code === 'CLIENT_TOO_OLD' && (
          <p>
            <button type="button" class="button button--primary" onClick={() => location.reload()}>
              {t('room:screen.reload')}
            </button>
          </p>
        )}
        {saved.role === 'facilitator' && (
          <p>
            <a href="/facilitate">{t('room:entry.backToRooms')}</a>
          </p>
        )}
      </main>
    );
  }

  const { group, self } = snapshot;
  if (!self) {
    return (
      <main class="page page--narrow" aria-busy="true">
        <p class="quiet">{snapshot.status === 'reconnecting' ? t('room:screen.reconnecting') : t('room:screen.connecting')}</p>
        <Notices />
      </main>
    );
  }
  if (!group) {
    return (
      <>
        <WaitingRoom name={self.you.name} roomTitle={self.role === 'member' ? self.roomTitle : ''} status={snapshot.status} onLeave={leave} />
        <LiveAnnouncer feed={spoken} />
      </>
    );
  }

  return (
    <RoomContextValue.Provider value={context!}>
      {group.ended ? <SessionEnded /> : <Room />}
      <LiveAnnouncer feed={spoken} />
    </RoomContextValue.Provider>
  );
}
