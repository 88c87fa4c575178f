import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { duration } from '../../i18n/format.js';
import { t } from '../../i18n/index.js';

/** The choices of time box, from 30 seconds; the model takes any whole number of seconds from its least one. */
export const timeBoxChoices: number[] = [30, 60, 90, 120, 180, 300, 600];

/** A choice of time box; undefined means no time box. */
export function TimeBoxSelect({ value, onChange, label = t('facilitator:timeBox.label') }: { value: number | undefined; onChange(seconds: number | undefined): void; label?: string }) {
  return (
    <label class="field field--inline">
      <span class="field__label">{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value ? Number(e.currentTarget.value) : undefined)}>
        <option value="">{t('facilitator:timeBox.none')}</option>
        {timeBoxChoices.map((seconds) => (
          <option key={seconds} value={String(seconds)}>
            {duration(seconds)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The time box for the next turn, chosen once for the whole panel: the Floor and People tabs give the floor with it. */
export const NextTurnTimeBox = createContext<{ seconds: number | undefined; choose(seconds: number | undefined): void }>({ seconds: undefined, choose: () => {} });

export const useNextTurnTimeBox = () => useContext(NextTurnTimeBox);

/** The command fields that carry the chosen time box, if any. */
export const timed = (seconds: number | undefined) => (seconds === undefined ? {} : { timeBoxSeconds: seconds });
