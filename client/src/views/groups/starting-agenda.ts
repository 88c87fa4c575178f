import { t } from '../../i18n/index.js';
import type { GroupAgenda } from '../../../../shared/protocol/groups.js';
import { defaultAgenda } from '../../../../shared/session/agenda.js';

/** The catalogue's name for each of the default phases, which the model names in English. */
const phaseKeys = { Arrival: 'arrival', 'Check-in': 'checkIn', Work: 'work', 'Role-play': 'rolePlay', Feedback: 'feedback', 'Check-out': 'checkOut' } as const;

/**
 * The room's usual phases named in the facilitator's language; a standing group's check-in asks
 * how members arrive since last time (a one-off room has no last time).
 */
export function startingAgenda(options: { checkInPrompt: boolean }): GroupAgenda {
  return defaultAgenda.phases.map((phase) => {
    const key = phaseKeys[phase.name as keyof typeof phaseKeys];
    const prompts = options.checkInPrompt && key === 'checkIn' ? [t('console:agenda.checkInPrompt')] : [];
    return { ...phase, name: key ? t(`console:agenda.${key}`) : phase.name, prompts };
  });
}
