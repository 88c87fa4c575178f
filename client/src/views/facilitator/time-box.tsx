/** A choice of time box; undefined means no time box. */
export function TimeBoxSelect({ value, onChange, label = 'Time box' }: { value: number | undefined; onChange(seconds: number | undefined): void; label?: string }) {
  return (
    <label class="field field--inline">
      <span class="field__label">{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value ? Number(e.currentTarget.value) : undefined)}>
        <option value="">None</option>
        <option value="60">1 minute</option>
        <option value="120">2 minutes</option>
        <option value="180">3 minutes</option>
        <option value="300">5 minutes</option>
        <option value="600">10 minutes</option>
      </select>
    </label>
  );
}
