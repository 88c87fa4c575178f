import { useState } from 'preact/hooks';
import { limits } from '../../../../shared/protocol/commands.js';
import type { RoundPurpose } from '../../../../shared/session/state.js';
import { t } from '../../i18n/index.js';
import { useRoom } from '../../session/room-context.js';
import { PhasePrompts } from './phase-prompts.js';
import { RoundSteps } from './round-steps.js';
import { TimeBoxSelect } from './time-box.js';
import { TextField } from '../text-field.js';

const purposes: RoundPurpose[] = ['check-in', 'check-out', 'sharing', 'custom'];

/** The prompt a round of this purpose starts with, in the chosen language; '' when the facilitator writes their own. */
const defaultPrompt = (purpose: RoundPurpose): string =>
  purpose === 'check-in' || purpose === 'check-out' ? t(`facilitator:round.defaultPrompt.${purpose}`) : '';

/** What the start button and the notice after it say: a custom round by its own name. */
function roundWords(purpose: RoundPurpose, label: string): { start: string; started: string } {
  if (purpose !== 'custom') return { start: t(`facilitator:round.start.${purpose}`), started: t(`facilitator:round.started.${purpose}`) };
  if (!label) return { start: t('facilitator:round.start.unnamed'), started: t('facilitator:round.started.unnamed') };
  return { start: t('facilitator:round.start.custom', { label }), started: t('facilitator:round.started.custom', { label }) };
}

/** Start a go-around; while one runs, its controls sit in the round card. It holds the talking stick until it ends. */
export function RoundControls() {
  const { group, act } = useRoom();
  const [purpose, setPurpose] = useState<RoundPurpose>('check-in');
  const [label, setLabel] = useState('');
  const [prompt, setPrompt] = useState(() => defaultPrompt('check-in'));
  const [order, setOrder] = useState<'seats' | 'random' | 'volunteers'>('seats');
  const [timeBox, setTimeBox] = useState<number | undefined>(120);
  const [moodScale, setMoodScale] = useState(true);
  const running = group.floor.heldBy === 'round';
  const words = roundWords(purpose, label.trim());

  if (running) {
    return (
      <div class="stack">
        <p class="callout callout--calm">{t('facilitator:round.running')}</p>
        <RoundSteps />
      </div>
    );
  }
  const choosePurpose = (next: RoundPurpose) => {
    // A prompt still at the old purpose's default follows the new purpose; one the facilitator wrote stays.
    if (prompt === defaultPrompt(purpose) && defaultPrompt(next)) setPrompt(defaultPrompt(next));
    setPurpose(next);
  };
  return (
    <form
      class="stack"
      onSubmit={(event) => {
        event.preventDefault();
        const round = { prompt, order, moodScale, purpose, ...(purpose === 'custom' ? { label: label.trim() } : {}), ...(timeBox === undefined ? {} : { timeBoxSeconds: timeBox }) };
        void act({ type: 'round.start', round }, words.started);
      }}
    >
      <button type="submit" class="button button--primary">
        {words.start}
      </button>
      <p class="field__hint">{t('facilitator:round.hint')}</p>
      <div class="field-row">
        <label class="field field--inline">
          <span class="field__label">{t('facilitator:round.kind')}</span>
          <select value={purpose} onChange={(e) => choosePurpose(e.currentTarget.value as RoundPurpose)}>
            {purposes.map((key) => (
              <option key={key} value={key}>
                {t(`facilitator:round.purpose.${key}`)}
              </option>
            ))}
          </select>
        </label>
        {purpose === 'custom' && (
          <label class="field field--inline">
            <span class="field__label">{t('facilitator:round.name')}</span>
            <input type="text" required maxLength={limits.roleLength} value={label} onInput={(e) => setLabel(e.currentTarget.value)} placeholder={t('facilitator:round.namePlaceholder')} />
          </label>
        )}
      </div>
      <TextField label={t('facilitator:round.prompt')} required maxLength={limits.promptLength} value={prompt} onValue={setPrompt} />
      <PhasePrompts what="prompt" onUse={setPrompt} />
      <div class="field-row">
        <label class="field field--inline">
          <span class="field__label">{t('facilitator:round.order')}</span>
          <select value={order} onChange={(e) => setOrder(e.currentTarget.value as typeof order)}>
            <option value="seats">{t('facilitator:round.seats')}</option>
            <option value="random">{t('facilitator:round.random')}</option>
            <option value="volunteers">{t('facilitator:round.volunteers')}</option>
          </select>
        </label>
        <TimeBoxSelect value={timeBox} onChange={setTimeBox} label={t('facilitator:round.timePerPerson')} />
      </div>
      <label class="check">
        <input type="checkbox" checked={moodScale} onChange={(e) => setMoodScale(e.currentTarget.checked)} />
        <span>{t('facilitator:round.moodScale')}</span>
      </label>
    </form>
  );
}
