import { clock } from '../i18n/format.js';
import { t } from '../i18n/index.js';
import type { Silence } from '../../../shared/session/speech.js';
import type { GroupView, RoundView, SeatView } from '../../../shared/session/projection.js';
import type { FloorMode } from '../../../shared/protocol/commands.js';
import type { AgendaPhase, CastKind, Scene } from '../../../shared/session/state.js';

/** Small readings of the group view that several views share; the rules stay on the server. */

export const seatOf = (group: GroupView, id: string | null | undefined): SeatView | undefined =>
  id ? group.seats.find((seat) => seat.id === id) : undefined;

export const nameOf = (group: GroupView, id: string | null | undefined): string => seatOf(group, id)?.name ?? t('session:someone');

/** 1-based place in the queue, or null when the hand is down. */
export function queueNumber(group: GroupView, id: string): number | null {
  const at = group.floor.queue.indexOf(id);
  return at === -1 ? null : at + 1;
}

export const castPart = (scene: Scene | null, id: string) => scene?.cast.find((part) => part.memberId === id) ?? null;

export const members = (group: GroupView): SeatView[] => group.seats.filter((seat) => seat.role === 'member');

/** Who leads the room, in seat order: one facilitator, or two or more co-leading. */
export const leads = (group: GroupView): SeatView[] => group.seats.filter((seat) => seat.role === 'facilitator');

/** "Dana", "Dana and Sam", "Dana, Sam and Lee". */
export const listOfNames = (names: string[]): string =>
  names.length < 2 ? (names[0] ?? '') : t('session:listEnd', { rest: names.slice(0, -1).join(', '), last: names.at(-1)! });

/** A table read in the language of the moment: each entry is looked up when read, so views keep indexing it as before. */
function spoken<K extends string>(keys: readonly K[], say: (key: K) => string): Record<K, string> {
  const table = {} as Record<K, string>;
  for (const key of keys) Object.defineProperty(table, key, { get: () => say(key), enumerable: true });
  return table;
}

const floorModes = ['open', 'queue', 'stick'] as const satisfies readonly FloorMode[];
const silences = ['MUTED_BY_FACILITATOR', 'AUDIENCE', 'NO_STICK', 'EXERCISE', 'NOT_ADMITTED'] as const satisfies readonly Silence[];

export const floorModeName = spoken(floorModes, (mode) => t(`session:floorMode.${mode}`));

export const floorModeHint = spoken(floorModes, (mode) => t(`session:floorModeHint.${mode}`));

export const castKindName = spoken(['protagonist', 'antagonist', 'double', 'other'] as const satisfies readonly CastKind[], (kind) => t(`session:castKind.${kind}`));

/** Why someone cannot be heard, in words for the person themselves. */
export const silenceForMe = spoken(silences, (reason) => t(`session:silenceForMe.${reason}`));

/** The same, said about someone else on their tile. */
export const silenceForOthers = spoken(silences, (reason) => t(`session:silenceForOthers.${reason}`));

/** m:ss, or h:mm:ss past an hour, in the chosen language's digits. */
export const formatDuration = (ms: number): string => clock(ms / 1000);

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [name.trim().slice(0, 2)];
  return letters.join('').toUpperCase();
}

/** What a round is called on every screen: its purpose, or a custom round's own label. */
export function roundTitle(round: Pick<RoundView, 'purpose' | 'label'>): string {
  if (round.purpose === 'custom' && round.label) return round.label;
  return t(`session:round.${round.purpose}`);
}

/** The phase the session is in, whose theme and prompts the facilitator may use. */
export const currentPhase = (group: GroupView): AgendaPhase | null => group.agenda.phases[group.agenda.current] ?? null;
