import { useState } from 'preact/hooks';
import { limits } from '../../../../shared/protocol/commands.js';
import type { RoundPurpose } from '../../../../shared/session/state.js';
import { useRoom } from '../../session/room-context.js';
import { roundTitle } from '../../session/room-view.js';
import { PhasePrompts } from './phase-prompts.js';
import { RoundSteps } from './round-steps.js';
import { TimeBoxSelect } from './time-box.js';
import { TextField } from '../text-field.js';

const purposeNames: Record<RoundPurpose, string> = { 'check-in': 'Check-in', 'check-out': 'Check-out', sharing: 'Sharing', custom: 'Other (name it)' };
const defaultPrompts: Partial<Record<RoundPurpose, string>> = {
  'check-in': 'How are you arriving today?',
  'check-out': 'What are you taking with you from today?',
};

/** Start a go-around; while one runs, its controls sit in the round card. It holds the talking stick until it ends. */
export function RoundControls() {
  const { group, act } = useRoom();
  const [purpose, setPurpose] = useState<RoundPurpose>('check-in');
  const [label, setLabel] = useState('');
  const [prompt, setPrompt] = useState(defaultPrompts['check-in']!);
  const [order, setOrder] = useState<'seats' | 'random' | 'volunteers'>('seats');
  const [timeBox, setTimeBox] = useState<number | undefined>(120);
  const [moodScale, setMoodScale] = useState(true);
  const running = group.floor.heldBy === 'round';
  const title = roundTitle({ purpose, label: label.trim() || 'round' });

  if (running) {
    return (
      <div class="stack">
        <p class="callout callout--calm">A round is running. Its controls (next speaker, end) and your summary are in the round card.</p>
        <RoundSteps />
      </div>
    );
  }
  const choosePurpose = (next: RoundPurpose) => {
    // A prompt still at the old purpose's default follows the new purpose; one the facilitator wrote stays.
    if (prompt === (defaultPrompts[purpose] ?? '') && defaultPrompts[next]) setPrompt(defaultPrompts[next]!);
    setPurpose(next);
  };
  return (
    <form
      class="stack"
      onSubmit={(event) => {
        event.preventDefault();
        const round = { prompt, order, moodScale, purpose, ...(purpose === 'custom' ? { label: label.trim() } : {}), ...(timeBox === undefined ? {} : { timeBoxSeconds: timeBox }) };
        void act({ type: 'round.start', round }, `The ${title.toLowerCase()} has started.`);
      }}
    >
      <button type="submit" class="button button--primary">
        Start {title.toLowerCase()}
      </button>
      <p class="field__hint">Only the speaker is heard while it runs (talking stick); the floor goes back to how it was after.</p>
      <div class="field-row">
        <label class="field field--inline">
          <span class="field__label">Round</span>
          <select value={purpose} onChange={(e) => choosePurpose(e.currentTarget.value as RoundPurpose)}>
            {(Object.keys(purposeNames) as RoundPurpose[]).map((key) => (
              <option key={key} value={key}>
                {purposeNames[key]}
              </option>
            ))}
          </select>
        </label>
        {purpose === 'custom' && (
          <label class="field field--inline">
            <span class="field__label">Name</span>
            <input type="text" required maxLength={limits.roleLength} value={label} onInput={(e) => setLabel(e.currentTarget.value)} placeholder="e.g. Appreciations" />
          </label>
        )}
      </div>
      <TextField label="Prompt" required maxLength={limits.promptLength} value={prompt} onValue={setPrompt} />
      <PhasePrompts what="prompt" onUse={setPrompt} />
      <div class="field-row">
        <label class="field field--inline">
          <span class="field__label">Order</span>
          <select value={order} onChange={(e) => setOrder(e.currentTarget.value as typeof order)}>
            <option value="seats">Round the circle</option>
            <option value="random">Random</option>
            <option value="volunteers">Volunteers</option>
          </select>
        </label>
        <TimeBoxSelect value={timeBox} onChange={setTimeBox} label="Time per person" />
      </div>
      <label class="check">
        <input type="checkbox" checked={moodScale} onChange={(e) => setMoodScale(e.currentTarget.checked)} />
        <span>Ask for a mood rating (1-10, seen only by you)</span>
      </label>
    </form>
  );
}
