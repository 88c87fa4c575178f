import { useEffect, useState } from 'preact/hooks';
import type { FloorMode } from '../../../../shared/protocol/commands.js';
import { t } from '../../i18n/index.js';
import { useRoom } from '../../session/room-context.js';
import { MemberOptions } from './member-options.js';
import { floorModeHint, floorModeName, members, nameOf } from '../../session/room-view.js';
import { TimeBoxSelect, timed as timedBy, useNextTurnTimeBox } from './time-box.js';

const modes: FloorMode[] = ['open', 'queue', 'stick'];

/** Floor mode, the queue, and who holds the floor. */
export function FloorControls() {
  const { group, act } = useRoom();
  const { seconds: timeBox, choose: setTimeBox } = useNextTurnTimeBox();
  const [grantTo, setGrantTo] = useState('');
  // The mode just asked for, shown until the server's state says it (or refuses).
  const [askedMode, setAskedMode] = useState<FloorMode | null>(null);
  useEffect(() => setAskedMode(null), [group.floor.mode]);
  const shownMode = askedMode ?? group.floor.mode;
  const queue = group.floor.queue;
  const turn = group.floor.turn;
  const busy = group.floor.heldBy !== null;
  const timed = timedBy(timeBox);

  const moveInQueue = (index: number, by: -1 | 1) => {
    const order = queue.slice();
    const to = index + by;
    [order[index], order[to]] = [order[to]!, order[index]!];
    void act({ type: 'queue.reorder', order }, t('facilitator:floor.reordered'));
  };

  return (
    <div class="stack">
      <fieldset class="segmented">
        <legend>{t('facilitator:floor.mode')}</legend>
        {modes.map((mode) => (
          <label key={mode} class="segmented__option">
            <input
              type="radio"
              name="floor-mode"
              value={mode}
              checked={shownMode === mode}
              onChange={async () => {
                setAskedMode(mode);
                if (!(await act({ type: 'floor.mode', mode }, t('facilitator:floor.modeNow', { mode: floorModeName[mode] })))) setAskedMode(null);
              }}
            />
            <span>
              {floorModeName[mode]}
              <span class="field__hint"> {floorModeHint[mode]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {group.floor.heldBy && <p class="callout callout--calm">{t(`facilitator:floor.heldBy.${group.floor.heldBy}`)}</p>}
      <TimeBoxSelect value={timeBox} onChange={setTimeBox} label={t('facilitator:timeBox.nextTurn')} />
      <p class="field__hint">{turn ? t('facilitator:floor.hasFloor', { name: `\u2068${nameOf(group, turn.holder)}\u2069` }) : t('facilitator:floor.nobody')}</p>
      <div class="button-row">
        <button type="button" class="button button--primary" disabled={busy || queue.length === 0} onClick={() => act({ type: 'floor.next', ...timed }, t('facilitator:floor.nextDone'))}>
          {t('facilitator:floor.next')}
        </button>
        <button type="button" class="button" disabled={busy || !turn} onClick={() => act({ type: 'floor.release' }, t('facilitator:floor.tookBack'))}>
          {t('facilitator:floor.takeBack')}
        </button>
      </div>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (grantTo) void act({ type: 'floor.grant', to: grantTo, ...timed }, t('facilitator:floor.hasFloor', { name: nameOf(group, grantTo) }));
        }}
      >
        <label class="field field--inline">
          <span class="field__label">{t('facilitator:floor.grantTo')}</span>
          <select value={grantTo} onChange={(e) => setGrantTo(e.currentTarget.value)}>
            <option value="">{t('facilitator:floor.chooseSomeone')}</option>
            <MemberOptions seats={members(group)} />
          </select>
        </label>
        <button type="submit" class="button" disabled={busy || !grantTo}>
          {t('facilitator:floor.grant')}
        </button>
      </form>
      <section aria-labelledby="queue-controls-title">
        <h3 id="queue-controls-title" class="section-title">
          {t('facilitator:floor.queue')}
        </h3>
        {queue.length === 0 ? (
          <p class="quiet">{t('facilitator:floor.noHands')}</p>
        ) : (
          <ol class="person-list">
            {queue.map((id, index) => (
              <li key={id} class="person-list__row">
                <span class="person-list__name">
                  <span class="seat__number">{index + 1}</span> <bdi data-user-text>{nameOf(group, id)}</bdi>
                </span>
                <span class="button-row button-row--tight">
                  <button type="button" class="button button--small button--quiet" disabled={index === 0} onClick={() => moveInQueue(index, -1)} aria-label={t('facilitator:floor.up', { name: nameOf(group, id) })}>
                    ↑
                  </button>
                  <button
                    type="button"
                    class="button button--small button--quiet"
                    disabled={index === queue.length - 1}
                    onClick={() => moveInQueue(index, 1)}
                    aria-label={t('facilitator:floor.down', { name: nameOf(group, id) })}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    class="button button--small button--quiet"
                    aria-label={t('facilitator:floor.lowerName', { name: nameOf(group, id) })}
                    onClick={() => act({ type: 'queue.remove', memberId: id }, t('facilitator:floor.lowered', { name: nameOf(group, id) }))}
                  >
                    {t('facilitator:floor.lower')}
                  </button>
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
