import { useRoom } from '../../session/room-context.js';
import { currentPhase } from '../../session/room-view.js';

/** The current phase's theme and prompts, each one click from becoming the question being written. */
export function PhasePrompts({ onUse, what }: { onUse(text: string): void; what: string }) {
  const { group } = useRoom();
  const phase = currentPhase(group);
  const offers = [...(phase?.theme ? [phase.theme] : []), ...(phase?.prompts ?? [])];
  if (!phase || offers.length === 0) return null;
  return (
    <div class="phase-prompts" role="group" aria-label={`From the phase ${phase.name}`}>
      <p class="field__hint">From “{phase.name}”: use as the {what}</p>
      <ul class="phase-prompts__list">
        {offers.map((text, index) => (
          <li key={index}>
            <button type="button" class="button button--small button--quiet phase-prompts__use" onClick={() => onUse(text)}>
              <span class="visually-hidden">Use </span>
              {index === 0 && phase.theme ? <><span class="phase-prompts__kind">Theme:</span> {text}</> : text}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
