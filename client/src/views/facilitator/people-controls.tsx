import { useState } from 'preact/hooks';
import { useMedia, useRoom } from '../../session/room-context.js';
import { formatDuration } from '../../session/room-view.js';
import { useServerNow } from '../../session/store.js';
import { TimeBoxSelect, timed, useNextTurnTimeBox } from './time-box.js';

/** The circle in order: move seats, give the floor, pause a microphone, see airtime. */
export function PeopleControls() {
  const { group, self, snapshot, act } = useRoom();
  const heardMs = useMedia((state) => state?.heardMs ?? null);
  const [removing, setRemoving] = useState<string | null>(null);
  const timeBox = useNextTurnTimeBox();
  const turn = group.floor.turn;
  const now = useServerNow(snapshot.clockOffsetMs, turn !== null, 1000);
  if (self.role !== 'facilitator') return null;
  const floorBusy = group.floor.heldBy !== null;

  const held = (id: string) => (self.airtime[id] ?? 0) + (turn?.holder === id ? Math.max(0, now - turn.startedAt) : 0);
  const heard = (id: string) => heardMs?.[id] ?? null;
  const most = Math.max(1, ...group.seats.map((seat) => Math.max(held(seat.id), heard(seat.id) ?? 0)));

  const move = (index: number, by: -1 | 1) => {
    const order = group.seats.map((seat) => seat.id);
    const to = index + by;
    if (to < 0 || to >= order.length) return;
    [order[index], order[to]] = [order[to]!, order[index]!];
    void act({ type: 'seats.reorder', order }, `${group.seats[index]!.name} moved to seat ${to + 1}.`);
  };

  return (
    <div class="people">
      <p class="field__hint">Seat order is the same on every screen and is the order of go-arounds. Airtime is for your eyes only.</p>
      <TimeBoxSelect value={timeBox.seconds} onChange={timeBox.choose} label="Time box for the next turn" />
      <ol class="people__list">
        {group.seats.map((seat, index) => {
          const heldMs = held(seat.id);
          const heardMs = heard(seat.id);
          return (
            <li key={seat.id} class="people__row" data-person={seat.name}>
              <div class="people__who">
                <span class="seat__number">{index + 1}</span>
                <span class="people__name"><bdi>{seat.name}</bdi></span>
                {seat.id === self.you.id ? <span class="field__hint"> (you)</span> : seat.role === 'facilitator' && <span class="field__hint"> (co-facilitator)</span>}
                {seat.presence !== 'online' && <span class="field__hint"> · {seat.presence === 'away' ? 'reconnecting' : 'left'}</span>}
                {seat.muted && <span class="field__hint"> · mic paused by you</span>}
                {turn?.holder === seat.id && <span class="field__hint"> · has the floor</span>}
              </div>
              <div class="airtime" aria-label={`Airtime of ${seat.name}`}>
                <span class="airtime__figure">
                  held the floor <strong>{formatDuration(heldMs)}</strong>
                  {heardMs !== null && (
                    <>
                      {' '}
                      · heard <strong>{formatDuration(heardMs)}</strong>
                    </>
                  )}
                </span>
                <span class="airtime__bar" aria-hidden="true">
                  <span class="airtime__fill" style={{ '--share': (Math.max(heldMs, heardMs ?? 0) / most).toFixed(3) }} />
                </span>
              </div>
              <div class="button-row button-row--tight">
                <button type="button" class="button button--small button--quiet" disabled={index === 0} onClick={() => move(index, -1)} aria-label={`Move ${seat.name} one seat earlier`}>
                  ↑
                </button>
                <button
                  type="button"
                  class="button button--small button--quiet"
                  disabled={index === group.seats.length - 1}
                  onClick={() => move(index, 1)}
                  aria-label={`Move ${seat.name} one seat later`}
                >
                  ↓
                </button>
                {seat.role === 'member' && (
                  <>
                    <button
                      type="button"
                      class="button button--small"
                      disabled={floorBusy || turn?.holder === seat.id}
                      onClick={() => act({ type: 'floor.grant', to: seat.id, ...timed(timeBox.seconds) }, `${seat.name} has the floor.`)}
                    >
                      Give floor <span class="visually-hidden">to <bdi>{seat.name}</bdi></span>
                    </button>
                    <button
                      type="button"
                      class="button button--small"
                      aria-pressed={seat.muted}
                      onClick={() => act({ type: 'member.mute', memberId: seat.id, muted: !seat.muted }, seat.muted ? `${seat.name} can be heard again.` : `${seat.name}'s microphone is paused.`)}
                    >
                      {seat.muted ? 'Unmute' : 'Mute'} <span class="visually-hidden"><bdi>{seat.name}</bdi></span>
                    </button>
                    {removing === seat.id ? (
                      <>
                        <button type="button" class="button button--small button--danger" onClick={() => act({ type: 'remove', memberId: seat.id }, `${seat.name} was removed.`)}>
                          Confirm remove
                        </button>
                        <button type="button" class="button button--small button--quiet" onClick={() => setRemoving(null)}>
                          Keep
                        </button>
                      </>
                    ) : (
                      <button type="button" class="button button--small button--quiet" onClick={() => setRemoving(seat.id)}>
                        Remove <span class="visually-hidden"><bdi>{seat.name}</bdi></span>
                      </button>
                    )}
                  </>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
