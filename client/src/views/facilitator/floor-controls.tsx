import { useEffect, useState } from 'preact/hooks';
import type { FloorMode } from '../../../../shared/protocol/commands.js';
import { useRoom } from '../../session/room-context.js';
import { MemberOptions } from './member-options.js';
import { floorModeHint, floorModeName, nameOf } from '../../session/room-view.js';
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
    void act({ type: 'queue.reorder', order }, 'Queue reordered.');
  };

  return (
    <div class="stack">
      <fieldset class="segmented">
        <legend>Floor mode</legend>
        {modes.map((mode) => (
          <label key={mode} class="segmented__option">
            <input
              type="radio"
              name="floor-mode"
              value={mode}
              checked={shownMode === mode}
              onChange={async () => {
                setAskedMode(mode);
                if (!(await act({ type: 'floor.mode', mode }, `The floor is now: ${floorModeName[mode]}.`))) setAskedMode(null);
              }}
            />
            <span>
              {floorModeName[mode]}
              <span class="field__hint"> {floorModeHint[mode]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {busy && <p class="callout callout--calm">{group.floor.heldBy === 'problem' ? 'A problem-solving member holds the floor for this step.' : `A ${group.floor.heldBy} is running and holds the floor until it ends.`}</p>}
      <TimeBoxSelect value={timeBox} onChange={setTimeBox} label="Time box for the next turn" />
      <p class="field__hint">{turn ? <><bdi>{nameOf(group, turn.holder)}</bdi> has the floor.</> : 'Nobody holds the floor.'}</p>
      <div class="button-row">
        <button type="button" class="button button--primary" disabled={busy || queue.length === 0} onClick={() => act({ type: 'floor.next', ...timed }, 'The floor goes to the next raised hand.')}>
          Give floor to next hand
        </button>
        <button type="button" class="button" disabled={busy || !turn} onClick={() => act({ type: 'floor.release' }, 'You took the floor back.')}>
          Take the floor back
        </button>
      </div>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (grantTo) void act({ type: 'floor.grant', to: grantTo, ...timed }, `${nameOf(group, grantTo)} has the floor.`);
        }}
      >
        <label class="field field--inline">
          <span class="field__label">Give the floor to</span>
          <select value={grantTo} onChange={(e) => setGrantTo(e.currentTarget.value)}>
            <option value="">Choose someone</option>
            <MemberOptions group={group} />
          </select>
        </label>
        <button type="submit" class="button" disabled={busy || !grantTo}>
          Give floor
        </button>
      </form>
      <section aria-labelledby="queue-controls-title">
        <h3 id="queue-controls-title" class="section-title">
          Queue
        </h3>
        {queue.length === 0 ? (
          <p class="quiet">No hands are up.</p>
        ) : (
          <ol class="person-list">
            {queue.map((id, index) => (
              <li key={id} class="person-list__row">
                <span class="person-list__name">
                  <span class="seat__number">{index + 1}</span> <bdi>{nameOf(group, id)}</bdi>
                </span>
                <span class="button-row button-row--tight">
                  <button type="button" class="button button--small button--quiet" disabled={index === 0} onClick={() => moveInQueue(index, -1)} aria-label={`Move ${nameOf(group, id)} up the queue`}>
                    ↑
                  </button>
                  <button
                    type="button"
                    class="button button--small button--quiet"
                    disabled={index === queue.length - 1}
                    onClick={() => moveInQueue(index, 1)}
                    aria-label={`Move ${nameOf(group, id)} down the queue`}
                  >
                    ↓
                  </button>
                  <button type="button" class="button button--small button--quiet" onClick={() => act({ type: 'queue.remove', memberId: id }, `${nameOf(group, id)}'s hand was lowered.`)}>
                    Lower <span class="visually-hidden"><bdi>{nameOf(group, id)}</bdi>'s hand</span>
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
