import { useState } from 'preact/hooks';
import { limits } from '../../../../shared/protocol/commands.js';
import { useRoom } from '../../session/room-context.js';
import { RoundSteps } from './round-steps.js';
import { TimeBoxSelect } from './time-box.js';
import { TextField } from '../text-field.js';

/** Start a check-in go-around; while one runs, its controls sit in the round card. */
export function RoundControls() {
  const { group, act } = useRoom();
  const [prompt, setPrompt] = useState('How are you arriving today?');
  const [order, setOrder] = useState<'seats' | 'random' | 'volunteers'>('seats');
  const [timeBox, setTimeBox] = useState<number | undefined>(120);
  const [moodScale, setMoodScale] = useState(true);
  const running = group.floor.heldBy === 'round';

  if (running) {
    return (
      <div class="stack">
        <p class="callout callout--calm">A round is running. Its controls (next speaker, end) and your summary are in the round card.</p>
        <RoundSteps />
      </div>
    );
  }
  return (
    <form
      class="stack"
      onSubmit={(event) => {
        event.preventDefault();
        void act(
          { type: 'round.start', round: { prompt, order, moodScale, ...(timeBox === undefined ? {} : { timeBoxSeconds: timeBox }) } },
          'The check-in round has started.',
        );
      }}
    >
      <TextField label="Prompt" required maxLength={limits.promptLength} value={prompt} onValue={setPrompt} />
      <label class="field field--inline">
        <span class="field__label">Order</span>
        <select value={order} onChange={(e) => setOrder(e.currentTarget.value as typeof order)}>
          <option value="seats">Round the circle</option>
          <option value="random">Random</option>
          <option value="volunteers">Volunteers</option>
        </select>
      </label>
      <TimeBoxSelect value={timeBox} onChange={setTimeBox} label="Time per person" />
      <label class="check">
        <input type="checkbox" checked={moodScale} onChange={(e) => setMoodScale(e.currentTarget.checked)} />
        <span>Ask for a mood rating (1-10, seen only by you)</span>
      </label>
      <button type="submit" class="button button--primary">
        Start check-in round
      </button>
    </form>
  );
}
