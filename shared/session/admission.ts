import { handFloor, floorHolder } from './floor.js';
import * as round from './round.js';
import { z } from 'zod';
import { idSchema } from '../protocol/fields.js';
import { accept, refuse, rule, type Fields, type RuleContext, type Step } from './rules.js';
import type { Participant, RoomState } from './state.js';

const aMember = { memberId: idSchema };
const seatOrder = { order: z.array(idSchema).max(64) };

const count = (state: RoomState, status: Participant['status']) =>
  Object.values(state.participants).filter((p) => p.role === 'member' && p.status === status).length;

const withParticipant = (state: RoomState, person: Participant): RoomState => ({
  ...state,
  participants: { ...state.participants, [person.id]: person },
});

/** A member arrives through an invite link and waits to be let in; they are here only once a socket of theirs opens. */
export function join(state: RoomState, memberId: string, name: string): Step {
  if (state.participants[memberId]) return refuse('INVALID', 'already joined');
  if (count(state, 'waiting') >= state.settings.maxWaiting) return refuse('WAITING_ROOM_FULL');
  return accept(
    withParticipant(state, { id: memberId, name, role: 'member', status: 'waiting', presence: 'gone', awayUntil: null, muted: false, steppedAway: null }),
  );
}

export function admit(state: RoomState, command: Fields<typeof aMember>): Step {
  const person = state.participants[command.memberId];
  if (!person || person.role !== 'member') return refuse('NOT_FOUND');
  if (person.status === 'admitted') return accept(state);
  if (count(state, 'admitted') >= state.settings.maxMembers) return refuse('ROOM_FULL');
  const seats = state.seats.includes(person.id) ? state.seats : [...state.seats, person.id];
  return accept({ ...withParticipant(state, { ...person, status: 'admitted' }), seats });
}

export function decline(state: RoomState, command: Fields<typeof aMember>): Step {
  const person = state.participants[command.memberId];
  if (!person || person.role !== 'member' || person.status !== 'waiting') return refuse('NOT_FOUND');
  return accept(withParticipant(state, { ...person, status: 'declined' }));
}

/** Take a member out of everything live: floor, queue, round turn, stage, signals. */
function withdraw(state: RoomState, memberId: string, ctx: RuleContext): RoomState {
  let next = round.onMemberGone(state, memberId, ctx);
  if (floorHolder(next) === memberId) next = handFloor(next, null, ctx, null);
  const meTooBy = next.floor.meToo.by.filter((id) => id !== memberId);
  return {
    ...next,
    floor: { ...next.floor, queue: next.floor.queue.filter((id) => id !== memberId), meToo: { count: next.floor.meToo.count, by: meTooBy } },
    alerts: next.alerts.filter((alert) => alert.memberId !== memberId),
  };
}

export function remove(state: RoomState, command: Fields<typeof aMember>, ctx: RuleContext): Step {
  const person = state.participants[command.memberId];
  if (!person || person.role !== 'member' || person.status === 'removed') return refuse('NOT_FOUND');
  const next = withdraw(state, person.id, ctx);
  return accept({
    ...withParticipant(next, { ...person, status: 'removed', steppedAway: null }),
    seats: next.seats.filter((id) => id !== person.id),
    scene: next.scene && { ...next.scene, cast: next.scene.cast.filter((part) => part.memberId !== person.id) },
  });
}

export function reorderSeats(state: RoomState, command: Fields<typeof seatOrder>): Step {
  const seats = new Set(state.seats);
  if (command.order.length !== seats.size || !command.order.every((id) => seats.has(id)) || new Set(command.order).size !== seats.size) {
    return refuse('INVALID', 'the new order must hold exactly the seated people');
  }
  return accept({ ...state, seats: [...command.order] });
}

/** A participant's sockets came or went; a member who drops keeps their places for a grace period. */
export function presence(state: RoomState, participantId: string, online: boolean, ctx: RuleContext): Step {
  const person = state.participants[participantId];
  if (!person) return refuse('NOT_FOUND');
  const wanted: Participant = online
    ? { ...person, presence: 'online', awayUntil: null }
    : person.presence === 'online'
      ? { ...person, presence: 'away', awayUntil: ctx.now + state.settings.graceMs }
      : person;
  if (wanted === person || (wanted.presence === person.presence && wanted.awayUntil === person.awayUntil)) return accept(state);
  return accept(withParticipant(state, wanted));
}

/** Someone leaves on purpose: no grace period, their queue place and turn go at once; the seat stays. */
export function leave(state: RoomState, participantId: string, ctx: RuleContext): Step {
  const person = state.participants[participantId]!;
  if (person.presence === 'gone') return accept(state);
  const next = withParticipant(state, { ...person, presence: 'gone', awayUntil: null, steppedAway: null });
  return accept(person.role === 'member' ? withdraw(next, participantId, ctx) : next);
}

/** Members away past their grace period lose their queue place and turn; their seat stays. */
export function expireAbsences(state: RoomState, ctx: RuleContext): RoomState {
  let next = state;
  for (const person of Object.values(state.participants)) {
    if (person.presence !== 'away' || person.awayUntil === null || person.awayUntil > ctx.now) continue;
    next = withParticipant(next, { ...person, presence: 'gone', awayUntil: null });
    if (person.role === 'member') next = withdraw(next, person.id, ctx);
  }
  return next;
}

export const admissionCommands = [
  rule('admit', 'facilitator', aMember, admit),
  rule('decline', 'facilitator', aMember, decline),
  rule('remove', 'facilitator', aMember, remove),
  rule('seats.reorder', 'facilitator', seatOrder, reorderSeats),
  rule('leave', 'anyone', {}, (state, _command, ctx) => leave(state, ctx.actor.id, ctx)),
];
