import { z } from 'zod';
import { floorModeSchema, idSchema, secondsSchema } from '../protocol/fields.js';
import { accept, admittedMember, isFacilitator, memberSeats, presentMember, refuse, rule, sameMembers, type Actor, type Fields, type RuleContext, type Step } from './rules.js';
import type { Floor, RoomState } from './state.js';

const modeShape = { mode: floorModeSchema };
const grantShape = { to: idSchema, timeBoxSeconds: secondsSchema.optional() };
const nextShape = { timeBoxSeconds: secondsSchema.optional() };
const aMember = { memberId: idSchema };
const queueOrder = { order: z.array(idSchema).max(64) };
const passShape = { direction: z.enum(['next', 'previous']) };
const muteShape = { memberId: idSchema, muted: z.boolean() };

/**
 * Give the floor to `to` (or to nobody), crediting the previous holder's airtime.
 * Round and scene rules hand the floor through here too.
 */
export function handFloor(state: RoomState, to: string | null, ctx: RuleContext, timeBoxMs: number | null): RoomState {
  const floor = state.floor;
  const airtime = { ...floor.airtime };
  if (floor.turn) {
    airtime[floor.turn.holder] = (airtime[floor.turn.holder] ?? 0) + Math.max(0, ctx.now - floor.turn.startedAt);
  }
  const endsAt = to !== null && timeBoxMs !== null ? ctx.now + timeBoxMs : null;
  const warnAt = endsAt !== null && timeBoxMs! > state.settings.warnBeforeMs * 2 ? endsAt - state.settings.warnBeforeMs : null;
  const next: Floor = {
    ...floor,
    airtime,
    turn: to === null ? null : { holder: to, startedAt: ctx.now, endsAt, warnAt, timeBoxMs },
    queue: to === null ? floor.queue : floor.queue.filter((id) => id !== to),
    meToo: { count: 0, by: [] },
  };
  return { ...state, floor: next };
}

export const floorHolder = (state: RoomState): string | null => state.floor.turn?.holder ?? null;

/** What holds the floor instead of free conversation: a running round or a scene, else nothing. */
export function floorOwner(state: RoomState): 'round' | 'scene' | 'problem' | null {
  if (state.round && !state.round.closed) return 'round';
  // A problem-solving member holds the floor while they state, weigh and plan; the options step leaves it free.
  const exercise = state.problemSolving.current;
  if (exercise && exercise.step !== 'options') return 'problem';
  return state.scene ? 'scene' : null;
}

/** Floor commands steer free conversation; rounds and scenes own the floor while they run. */
function floorIsFree(state: RoomState): Step | null {
  const owner = floorOwner(state);
  if (owner === null) return null;
  return refuse(owner === 'round' ? 'ROUND_RUNNING' : owner === 'scene' ? 'SCENE_RUNNING' : 'EXERCISE_RUNNING');
}

const timeBox = (seconds: number | undefined) => (seconds === undefined ? null : seconds * 1000);

export function setMode(state: RoomState, command: Fields<typeof modeShape>): Step {
  if (state.floor.mode === command.mode) return accept(state);
  return accept({ ...state, floor: { ...state.floor, mode: command.mode } });
}

export function grant(state: RoomState, command: Fields<typeof grantShape>, ctx: RuleContext): Step {
  const busy = floorIsFree(state);
  if (busy) return busy;
  if (!isFacilitator(state, command.to) && !presentMember(state, command.to)) return refuse('NOT_FOUND');
  return accept(handFloor(state, command.to, ctx, timeBox(command.timeBoxSeconds)));
}

/** Serve the head of the queue; with an empty queue the floor goes back to nobody. */
export function next(state: RoomState, command: Fields<typeof nextShape>, ctx: RuleContext): Step {
  const busy = floorIsFree(state);
  if (busy) return busy;
  const head = state.floor.queue[0] ?? null;
  return accept(handFloor(state, head, ctx, timeBox(command.timeBoxSeconds)));
}

export function release(state: RoomState, ctx: RuleContext): Step {
  const busy = floorIsFree(state);
  if (busy) return busy;
  if (!state.floor.turn) return accept(state);
  return accept(handFloor(state, null, ctx, null));
}

export function raiseHand(state: RoomState, actor: Actor & { id: string }): Step {
  // The audience watches a scene: its raise-hand is hidden, and a stray one is refused rather than queued.
  if (state.scene) return refuse('SCENE_RUNNING');
  if (state.floor.queue.includes(actor.id) || floorHolder(state) === actor.id) return accept(state);
  return accept({ ...state, floor: { ...state.floor, queue: [...state.floor.queue, actor.id] } });
}

export function lowerHand(state: RoomState, memberId: string): Step {
  if (!state.floor.queue.includes(memberId)) return accept(state);
  return accept({ ...state, floor: { ...state.floor, queue: state.floor.queue.filter((id) => id !== memberId) } });
}

export function removeFromQueue(state: RoomState, command: Fields<typeof aMember>): Step {
  if (!state.floor.queue.includes(command.memberId)) return refuse('NOT_FOUND');
  return lowerHand(state, command.memberId);
}

export function reorderQueue(state: RoomState, command: Fields<typeof queueOrder>): Step {
  if (!sameMembers(state.floor.queue, command.order)) return refuse('INVALID', 'the new order must hold exactly the raised hands');
  return accept({ ...state, floor: { ...state.floor, queue: [...command.order] } });
}

/** The next present member round the circle from `from`, in either direction. */
export function neighbour(state: RoomState, from: string, direction: 'next' | 'previous'): string | null {
  const circle = memberSeats(state).filter((id) => id === from || presentMember(state, id));
  if (circle.length === 0) return null;
  const at = circle.indexOf(from);
  if (at === -1) return circle[0]!;
  const step = direction === 'next' ? 1 : circle.length - 1;
  return circle[(at + step) % circle.length]!;
}

export function passStick(state: RoomState, command: Fields<typeof passShape>, actor: Actor & { id: string }, ctx: RuleContext): Step {
  const busy = floorIsFree(state);
  if (busy) return busy;
  if (state.floor.mode !== 'stick') return refuse('WRONG_FLOOR_MODE');
  const holder = floorHolder(state);
  if (holder !== actor.id && !isFacilitator(state, actor.id)) return refuse('NOT_YOUR_TURN');
  const from = holder ?? memberSeats(state).find((id) => presentMember(state, id));
  if (from === undefined) return refuse('NOT_FOUND');
  const to = holder === null ? from : neighbour(state, from, command.direction);
  return accept(handFloor(state, to, ctx, state.floor.turn?.timeBoxMs ?? null));
}

/** The speaker says they are done: the stick moves on, any other floor goes back to nobody. */
export function finishTurn(state: RoomState, actor: Actor & { id: string }, ctx: RuleContext): Step {
  const busy = floorIsFree(state);
  if (busy) return busy;
  if (floorHolder(state) !== actor.id) return refuse('NOT_YOUR_TURN');
  return accept(endTurn(state, ctx));
}

function endTurn(state: RoomState, ctx: RuleContext): RoomState {
  const turn = state.floor.turn!;
  if (state.floor.mode === 'stick' && !isFacilitator(state, turn.holder)) {
    const to = neighbour(state, turn.holder, 'next');
    return handFloor(state, to === turn.holder ? null : to, ctx, turn.timeBoxMs);
  }
  return handFloor(state, null, ctx, null);
}

/** Time box over: the turn ends as if the speaker had said done. */
export function expireTurn(state: RoomState, ctx: RuleContext): RoomState {
  const endsAt = state.floor.turn?.endsAt;
  if (endsAt == null || endsAt > ctx.now || floorIsFree(state)) return state;
  return endTurn(state, ctx);
}

export function meToo(state: RoomState, actor: Actor & { id: string }): Step {
  const holder = floorHolder(state);
  if (holder === null || holder === actor.id) return refuse('NOT_FOUND', 'nobody else is speaking');
  if (state.floor.meToo.by.includes(actor.id)) return accept(state);
  const by = [...state.floor.meToo.by, actor.id].sort();
  return accept({ ...state, floor: { ...state.floor, meToo: { count: by.length, by } } });
}

export function mute(state: RoomState, command: Fields<typeof muteShape>): Step {
  const member = admittedMember(state, command.memberId);
  if (!member) return refuse('NOT_FOUND');
  if (member.muted === command.muted) return accept(state);
  return accept({ ...state, participants: { ...state.participants, [member.id]: { ...member, muted: command.muted } } });
}

export const floorCommands = [
  rule('floor.mode', 'facilitator', modeShape, setMode),
  rule('floor.grant', 'facilitator', grantShape, grant),
  rule('floor.next', 'facilitator', nextShape, next),
  rule('floor.release', 'facilitator', {}, (state, _command, ctx) => release(state, ctx)),
  rule('queue.reorder', 'facilitator', queueOrder, reorderQueue),
  rule('queue.remove', 'facilitator', aMember, removeFromQueue),
  rule('member.mute', 'facilitator', muteShape, mute),
  rule('hand.raise', 'member', {}, (state, _command, ctx) => raiseHand(state, ctx.actor)),
  rule('hand.lower', 'anyone', {}, (state, _command, ctx) => lowerHand(state, ctx.actor.id)),
  rule('stick.pass', 'anyone', passShape, (state, command, ctx) => passStick(state, command, ctx.actor, ctx)),
  rule('meToo', 'member', {}, (state, _command, ctx) => meToo(state, ctx.actor)),
];
