import type { ErrorCode } from '../protocol/errors.js';
import { handFloor, floorHolder } from './floor.js';
import { memberNameClash, nameClash } from './names.js';
import * as problemSolving from './problem-solving.js';
import * as round from './round.js';
import { withoutPlayer } from './scene.js';
import { z } from 'zod';
import { idSchema } from '../protocol/fields.js';
import { accept, acceptSealed, refuse, rule, sameMembers, type Fields, type RuleContext, type Step } from './rules.js';
import type { Participant, RoomState } from './state.js';

const aMember = { memberId: idSchema };
const seatOrder = { order: z.array(idSchema).max(64) };
const everyoneWaiting = { memberIds: z.array(idSchema).max(64) };

const count = (state: RoomState, status: Participant['status']) =>
  Object.values(state.participants).filter((p) => p.role === 'member' && p.status === status).length;

/** Why someone with this status may not act or connect any more, or null while they may. */
export function shutOut(status: Participant['status']): ErrorCode | null {
  return status === 'removed' ? 'REMOVED' : status === 'declined' ? 'DECLINED' : status === 'left' ? 'LEFT' : null;
}

const withParticipant = (state: RoomState, person: Participant): RoomState => ({
  ...state,
  participants: { ...state.participants, [person.id]: person },
});

/** How long someone waiting stays listed without a connection, unless the room says otherwise. */
export const WAITING_MS = 3 * 60_000;


/** Which invite links still open this room: those made in this generation. */
export const inviteGeneration = (state: RoomState): number => state.inviteGeneration;

/** A new invite link for the room; links given out before stop working. Nobody in the room sees a change. */
export function replaceInvite(state: RoomState): Step {
  return acceptSealed({ ...state, inviteGeneration: inviteGeneration(state) + 1 });
}

/**
 * A member arrives through an invite link (of generation `invite`) and waits to be let in. They are
 * here only once a socket of theirs opens: until then they are away, and expire if it never does.
 */
export function join(state: RoomState, memberId: string, name: string, invite: number, ctx: RuleContext): Step {
  if (invite !== inviteGeneration(state)) return refuse('INVITE_REPLACED');
  if (state.participants[memberId]) return refuse('INVALID', 'already joined');
  if (count(state, 'waiting') >= state.settings.maxWaiting) return refuse('WAITING_ROOM_FULL');
  const clash = memberNameClash(state, memberId, name);
  if (clash) return refuse(clash.code, clash.detail);
  return accept(
    // Listed as away until a socket of theirs opens: a join that never connects expires.
    withParticipant(state, { id: memberId, name, role: 'member', status: 'waiting', presence: 'away', awayUntil: ctx.now + state.settings.waitingMs, muted: false, steppedAway: null }),
  );
}

/** How many facilitators may lead one room: co-leading is two or three, a few more for a trainee. */
export const MAX_FACILITATORS = 4;

/**
 * A co-facilitator enters the live room, vouched for by the server (the facilitator key or a
 * group lead's account): admitted at once, seated after the other leads. The same id again
 * (a second tab, a reload) changes nothing.
 */
export function joinFacilitator(state: RoomState, facilitatorId: string, name: string): Step {
  const person = state.participants[facilitatorId];
  if (person) return person.role === 'facilitator' ? accept(state) : refuse('FORBIDDEN', 'a member cannot become a facilitator');
  if (state.facilitatorIds.length >= MAX_FACILITATORS) return refuse('ROOM_FULL', `at most ${MAX_FACILITATORS} facilitators lead one room`);
  const clash = nameClash(state, facilitatorId, name);
  if (clash) return refuse(clash.code, clash.detail);
  const lead: Participant = { id: facilitatorId, name, role: 'facilitator', status: 'admitted', presence: 'gone', awayUntil: null, muted: false, steppedAway: null };
  const after = state.seats.reduce((last, id, at) => (state.facilitatorIds.includes(id) ? at : last), -1);
  const seats = [...state.seats.slice(0, after + 1), facilitatorId, ...state.seats.slice(after + 1)];
  return accept({ ...withParticipant(state, lead), facilitatorIds: [...state.facilitatorIds, facilitatorId], seats });
}

/** Where a returning member sits: among those seated, in the group's roster order, so the circle is the same every week. */
function rosterSeats(state: RoomState, roster: string[], memberId: string): string[] {
  const seats = state.seats.filter((id) => id !== memberId);
  const mine = roster.indexOf(memberId);
  const at = seats.findIndex((id) => roster.indexOf(id) > mine);
  return at < 0 ? [...seats, memberId] : [...seats.slice(0, at), memberId, ...seats.slice(at)];
}

/**
 * A member of a standing group arrives through their personal link: the facilitator chose them
 * when adding them to the group, so there is no waiting room. The same member on another device
 * changes nothing; one who left this session may come back; one whose link was revoked may not.
 */
export function joinMember(state: RoomState, memberId: string, ctx: RuleContext): Step {
  const history = state.group?.members[memberId];
  if (!state.group || !history) return refuse('NOT_FOUND', 'not a member of this group');
  const person = state.participants[memberId];
  if (person?.status === 'admitted') return accept(state);
  if (person?.status === 'removed') return refuse('REMOVED');
  if (count(state, 'admitted') >= state.settings.maxMembers) return refuse('ROOM_FULL');
  const arriving: Participant = { id: memberId, name: history.name, role: 'member', status: 'admitted', presence: 'away', awayUntil: ctx.now + state.settings.graceMs, muted: false, steppedAway: null };
  return accept({ ...withParticipant(state, arriving), seats: rosterSeats(state, state.group.roster, memberId) });
}

/** The member's personal link no longer counts: out of this session for good, their sockets dismissed. */
export function revokeMember(state: RoomState, memberId: string, ctx: RuleContext): Step {
  const person = state.participants[memberId];
  if (!person || person.role !== 'member' || person.status === 'removed') return accept(state);
  return accept(depart(state, person, 'removed', ctx));
}

export function admit(state: RoomState, command: Fields<typeof aMember>): Step {
  const person = state.participants[command.memberId];
  if (!person || person.role !== 'member') return refuse('NOT_FOUND');
  if (person.status === 'admitted') return accept(state);
  // Declined, removed and left are final: only someone waiting now can be let in.
  if (person.status !== 'waiting') return refuse('NOT_FOUND');
  if (count(state, 'admitted') >= state.settings.maxMembers) return refuse('ROOM_FULL');
  const seats = state.seats.includes(person.id) ? state.seats : [...state.seats, person.id];
  return accept({ ...withParticipant(state, { ...person, status: 'admitted' }), seats });
}

/**
 * Let in everyone waiting, in the order they came. The facilitator names whom they saw on the
 * list: if anyone arrived or left since, nobody is let in, so no one unseen slips into the group.
 */
export function admitAll(state: RoomState, command: Fields<typeof everyoneWaiting>): Step {
  const waiting = Object.values(state.participants).filter((p) => p.role === 'member' && p.status === 'waiting');
  if (waiting.length === 0) return refuse('NOT_FOUND', 'nobody is waiting');
  if (!sameMembers(waiting.map((p) => p.id), command.memberIds)) return refuse('WAITING_CHANGED');
  if (count(state, 'admitted') + waiting.length > state.settings.maxMembers) return refuse('ROOM_FULL', `${state.settings.maxMembers - count(state, 'admitted')} places left for ${waiting.length} waiting`);
  let next = state;
  for (const person of waiting) next = { ...withParticipant(next, { ...person, status: 'admitted' }), seats: next.seats.includes(person.id) ? next.seats : [...next.seats, person.id] };
  return accept(next);
}

export function decline(state: RoomState, command: Fields<typeof aMember>): Step {
  const person = state.participants[command.memberId];
  if (!person || person.role !== 'member' || person.status !== 'waiting') return refuse('NOT_FOUND');
  return accept(withParticipant(state, { ...person, status: 'declined' }));
}

/** Take a member out of everything live: floor, queue, round turn, stage, signals. */
function withdraw(state: RoomState, memberId: string, ctx: RuleContext): RoomState {
  let next = round.onMemberGone(state, memberId, ctx);
  // The member who brought a problem is gone: the exercise ends as it stood.
  if (next.problemSolving.current?.memberId === memberId) {
    const ended = problemSolving.end(next, ctx);
    if (ended.ok) next = ended.state;
  }
  if (floorHolder(next) === memberId) next = handFloor(next, null, ctx, null);
  const meTooBy = next.floor.meToo.by.filter((id) => id !== memberId);
  return {
    ...next,
    floor: { ...next.floor, queue: next.floor.queue.filter((id) => id !== memberId), meToo: { count: next.floor.meToo.count, by: meTooBy } },
    alerts: next.alerts.filter((alert) => alert.memberId !== memberId),
  };
}

/** A member is out for good (removed, or left): no seat, no role, and their session ends. */
function depart(state: RoomState, person: Participant, status: 'removed' | 'left', ctx: RuleContext): RoomState {
  const next = withdraw(state, person.id, ctx);
  return {
    ...withParticipant(next, { ...person, status, presence: status === 'left' ? 'gone' : person.presence, awayUntil: null, steppedAway: null }),
    seats: next.seats.filter((id) => id !== person.id),
    scene: next.scene && withoutPlayer(next.scene, person.id),
  };
}

export function remove(state: RoomState, command: Fields<typeof aMember>, ctx: RuleContext): Step {
  const person = state.participants[command.memberId];
  if (!person || person.role !== 'member' || person.status === 'removed') return refuse('NOT_FOUND');
  return accept(depart(state, person, 'removed', ctx));
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
  // Whoever is out for good is not shown online again by a socket that slipped through.
  if (person.status !== 'admitted' && person.status !== 'waiting') return accept(state);
  const wanted: Participant = online
    ? { ...person, presence: 'online', awayUntil: null }
    : person.presence === 'online'
      ? { ...person, presence: 'away', awayUntil: ctx.now + (person.status === 'waiting' ? state.settings.waitingMs : state.settings.graceMs) }
      : person;
  if (wanted === person || (wanted.presence === person.presence && wanted.awayUntil === person.awayUntil)) return accept(state);
  return accept(withParticipant(state, wanted));
}

/**
 * Someone leaves on purpose. A member (seated or waiting) is out for good: everything live goes at
 * once and their session ends; coming back means the invite link and the facilitator again. The
 * facilitator keeps the seat and returns with a new session from the facilitator key.
 */
export function leave(state: RoomState, participantId: string, ctx: RuleContext): Step {
  const person = state.participants[participantId]!;
  if (person.role === 'member') return accept(depart(state, person, 'left', ctx));
  if (person.presence === 'gone') return accept(state);
  return accept(withParticipant(state, { ...person, presence: 'gone', awayUntil: null, steppedAway: null }));
}

/**
 * Members away past their grace period lose their queue place and turn; their seat stays. Someone
 * waiting without a connection past their time leaves the list, so ghosts cannot hold it full.
 */
export function expireAbsences(state: RoomState, ctx: RuleContext): RoomState {
  let next = state;
  for (const person of Object.values(state.participants)) {
    if (person.presence !== 'away' || person.awayUntil === null || person.awayUntil > ctx.now) continue;
    if (person.status === 'waiting') {
      const { [person.id]: _expired, ...others } = next.participants;
      next = { ...next, participants: others };
      continue;
    }
    next = withParticipant(next, { ...person, presence: 'gone', awayUntil: null });
    if (person.role === 'member') next = withdraw(next, person.id, ctx);
  }
  return next;
}

export const admissionCommands = [
  rule('admit', 'facilitator', aMember, admit),
  rule('admit.all', 'facilitator', everyoneWaiting, admitAll),
  rule('decline', 'facilitator', aMember, decline),
  rule('remove', 'facilitator', aMember, remove),
  rule('seats.reorder', 'facilitator', seatOrder, reorderSeats),
  // Someone waiting may do one thing: give up waiting.
  rule('leave', 'anyone', {}, (state, _command, ctx) => leave(state, ctx.actor.id, ctx), ['admitted', 'waiting']),
];
