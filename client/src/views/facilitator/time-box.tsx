import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** The choices of time box, from 30 seconds; the model takes any whole number of seconds from its least one. */
export const timeBoxChoices: { seconds: number; label: string }[] = [
  { seconds: 30, label: '30 seconds' },
  { seconds: 60, label: '1 minute' },
  { seconds: 90, label: '1½ minutes' },
  { seconds: 120, label: '2 minutes' },
  { seconds: 180, label: '3 minutes' },
  { seconds: 300, label: '5 minutes' },
  { seconds: 600, label: '10 minutes' },
];

/** A choice of time box; undefined means no time box. */
export function TimeBoxSelect({ value, onChange, label = 'Time box' }: { value: number | undefined; onChange(seconds: number | undefined): void; label?: string }) {
  return (
    <label class="field field--inline">
      <span class="field__label">{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value ? Number(e.currentTarget.value) : undefined)}>
        <option value="">None</option>
        {timeBoxChoices.map((choice) => (
          <option key={choice.seconds} value={String(choice.seconds)}>
            {choice.label}
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
