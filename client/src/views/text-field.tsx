import type { ComponentChildren } from 'preact';

/** A labelled one-line text input: the field every form of the consoles and pages is made of. */
export function TextField(props: { label: ComponentChildren; hint?: ComponentChildren; value: string; onValue(value: string): void; maxLength: number; required?: boolean; placeholder?: string }) {
  return (
    <label class="field">
      <span class="field__label">{props.label}</span>
      {props.hint && <span class="field__hint">{props.hint}</span>}
      <input type="text" required={props.required} maxLength={props.maxLength} value={props.value} onInput={(e) => props.onValue(e.currentTarget.value)} placeholder={props.placeholder} />
    </label>
  );
}
