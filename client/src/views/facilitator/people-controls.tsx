import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.js';
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
    void act({ type: 'seats.reorder', order }, t('facilitator:people.moved', { name: group.seats[index]!.name, seat: to + 1 }));
  };

  return (
    <div class="people">
      <p class="field__hint">{t('facilitator:people.hint')}</p>
      <TimeBoxSelect value={timeBox.seconds} onChange={timeBox.choose} label={t('facilitator:timeBox.nextTurn')} />
      <ol class="people__list">
        {group.seats.map((seat, index) => {
          const heldMs = held(seat.id);
          const heardMs = heard(seat.id);
          return (
            <li key={seat.id} class="people__row" data-person={seat.name}>
              <div class="people__who">
                <span class="seat__number">{index + 1}</span>
                <span class="people__name" data-user-text><bdi>{seat.name}</bdi></span>
                {seat.id === self.you.id ? <span class="field__hint"> {t('facilitator:people.you')}</span> : seat.role === 'facilitator' && <span class="field__hint"> {t('facilitator:people.coFacilitator')}</span>}
                {seat.presence !== 'online' && <span class="field__hint"> · {seat.presence === 'away' ? t('facilitator:people.reconnecting') : t('facilitator:people.left')}</span>}
                {seat.muted && <span class="field__hint"> · {t('facilitator:people.mutedByYou')}</span>}
                {turn?.holder === seat.id && <span class="field__hint"> · {t('facilitator:people.hasFloor')}</span>}
              </div>
              <div class="airtime" aria-label={t('facilitator:people.airtimeOf', { name: seat.name })}>
                <span class="airtime__figure">
                  {t('facilitator:people.held')} <strong>{formatDuration(heldMs)}</strong>
                  {heardMs !== null && (
                    <>
                      {' · '}
                      {t('facilitator:people.heard')} <strong>{formatDuration(heardMs)}</strong>
                    </>
                  )}
                </span>
                <span class="airtime__bar" aria-hidden="true">
                  <span class="airtime__fill" style={{ '--share': (Math.max(heldMs, heardMs ?? 0) / most).toFixed(3) }} />
                </span>
              </div>
              <div class="button-row button-row--tight">
                <button type="button" class="button button--small button--quiet" disabled={index === 0} onClick={() => move(index, -1)} aria-label={t('facilitator:people.earlier', { name: seat.name })}>
                  ↑
                </button>
                <button
                  type="button"
                  class="button button--small button--quiet"
                  disabled={index === group.seats.length - 1}
                  onClick={() => move(index, 1)}
                  aria-label={t('facilitator:people.later', { name: seat.name })}
                >
                  ↓
                </button>
                {seat.role === 'member' && (
                  <>
                    <button
                      type="button"
                      class="button button--small"
                      disabled={floorBusy || turn?.holder === seat.id}
                      aria-label={t('facilitator:people.giveFloorTo', { name: seat.name })}
                      onClick={() => act({ type: 'floor.grant', to: seat.id, ...timed(timeBox.seconds) }, t('facilitator:floor.hasFloor', { name: seat.name }))}
                    >
                      {t('facilitator:people.giveFloor')}
                    </button>
                    <button
                      type="button"
                      class="button button--small"
                      aria-pressed={seat.muted}
                      aria-label={t(seat.muted ? 'facilitator:people.unmuteName' : 'facilitator:people.muteName', { name: seat.name })}
                      onClick={() => act({ type: 'member.mute', memberId: seat.id, muted: !seat.muted }, t(seat.muted ? 'facilitator:people.unmuted' : 'facilitator:people.muted', { name: seat.name }))}
                    >
                      {seat.muted ? t('facilitator:people.unmute') : t('facilitator:people.mute')}
                    </button>
                    {removing === seat.id ? (
                      <>
                        <button type="button" class="button button--small button--danger" onClick={() => act({ type: 'remove', memberId: seat.id }, t('facilitator:people.removed', { name: seat.name }))}>
                          {t('facilitator:people.confirmRemove')}
                        </button>
                        <button type="button" class="button button--small button--quiet" onClick={() => setRemoving(null)}>
                          {t('facilitator:people.keep')}
                        </button>
                      </>
                    ) : (
                      <button type="button" class="button button--small button--quiet" aria-label={t('facilitator:people.removeName', { name: seat.name })} onClick={() => setRemoving(seat.id)}>
                        {t('facilitator:people.remove')}
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
