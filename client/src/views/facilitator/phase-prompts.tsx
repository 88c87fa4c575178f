import { t } from '../../i18n/index.js';
import { useRoom } from '../../session/room-context.js';
import { currentPhase } from '../../session/room-view.js';

/** The current phase's theme and prompts, each one click from becoming the question being written. */
export function PhasePrompts({ onUse, what }: { onUse(text: string): void; what: 'question' | 'prompt' }) {
  const { group } = useRoom();
  const phase = currentPhase(group);
  const offers = [...(phase?.theme ? [phase.theme] : []), ...(phase?.prompts ?? [])];
  if (!phase || offers.length === 0) return null;
  const phaseName = `\u2068${phase.name}\u2069`;
  return (
    <div class="phase-prompts" role="group" aria-label={t('facilitator:prompts.group', { phase: phase.name })}>
      <p class="field__hint">{t(`facilitator:prompts.from.${what}`, { phase: phaseName })}</p>
      <ul class="phase-prompts__list">
        {offers.map((text, index) => {
          const isTheme = index === 0 && Boolean(phase.theme);
          return (
            <li key={index}>
              <button
                type="button"
                class="button button--small button--quiet phase-prompts__use"
                aria-label={t(isTheme ? 'facilitator:prompts.useTheme' : 'facilitator:prompts.use', { text })}
                onClick={() => onUse(text)}
              >
                {isTheme && <span class="phase-prompts__kind">{t('facilitator:prompts.theme')}</span>}
                {isTheme && ' '}
                <span data-user-text>{text}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
