import { clock } from '../i18n/format.js';
import type { Silence } from '../../../shared/session/speech.js';
import type { GroupView, RoundView, SeatView } from '../../../shared/session/projection.js';
import type { FloorMode } from '../../../shared/protocol/commands.js';
import type { AgendaPhase, CastKind, Scene } from '../../../shared/session/state.js';

/** Small readings of the group view that several views share; the rules stay on the server. */

export const seatOf = (group: GroupView, id: string | null | undefined): SeatView | undefined =>
  id ? group.seats.find((seat) => seat.id === id) : undefined;

export const nameOf = (group: GroupView, id: string | null | undefined): string => seatOf(group, id)?.name ?? 'someone';

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
export const listOfNames = (names: string[]): string => (names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`);

export const floorModeName: Record<FloorMode, string> = {
  open: 'Open floor',
  queue: 'Raised hands',
  stick: 'Talking stick',
};

export const floorModeHint: Record<FloorMode, string> = {
  open: 'Anyone may speak.',
  queue: 'Raise your hand; the facilitator gives the floor in turn.',
  stick: 'Only the person holding the stick is heard.',
};

export const castKindName: Record<CastKind, string> = {
  protagonist: 'Protagonist',
  antagonist: 'Antagonist',
  double: 'Double',
  other: 'Role',
};

/** Why someone cannot be heard, in words for the person themselves. */
export const silenceForMe: Record<Silence, string> = {
  MUTED_BY_FACILITATOR: 'The facilitator has paused your microphone.',
  AUDIENCE: 'You are in the audience: your microphone is paused while the scene runs.',
  NO_STICK: 'Your microphone is paused until the talking stick reaches you.',
  EXERCISE: 'Your microphone is paused while the member works on their problem; you can offer ideas at the options step.',
  NOT_ADMITTED: 'Your microphone is off until you are let in.',
};

/** The same, said about someone else on their tile. */
export const silenceForOthers: Record<Silence, string> = {
  MUTED_BY_FACILITATOR: 'Muted by facilitator',
  AUDIENCE: 'Audience',
  NO_STICK: 'Waiting for the stick',
  EXERCISE: 'Listening',
  NOT_ADMITTED: 'Not in yet',
};

/** m:ss, or h:mm:ss past an hour, in the chosen language's digits. */
export const formatDuration = (ms: number): string => clock(ms / 1000);

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [name.trim().slice(0, 2)];
  return letters.join('').toUpperCase();
}

/** What a round is called on every screen: its purpose, or a custom round's own label. */
export function roundTitle(round: Pick<RoundView, 'purpose' | 'label'>): string {
  if (round.purpose === 'custom') return round.label ?? 'Round';
  return { 'check-in': 'Check-in round', 'check-out': 'Check-out round', sharing: 'Sharing round' }[round.purpose];
}

/** The phase the session is in, whose theme and prompts the facilitator may use. */
export const currentPhase = (group: GroupView): AgendaPhase | null => group.agenda.phases[group.agenda.current] ?? null;
