import { z } from 'zod';
import { limits, secondsSchema, textSchema } from '../protocol/fields.js';
import { finishTurn, handFloor } from './floor.js';
import { accept, acceptSealed, memberSeats, presentMember, refuse, rule, shuffle, type Fields, type RuleContext, type Step } from './rules.js';
import type { RoomState, Round, RoundOutcome, RoundPurpose } from './state.js';

export const roundSettingsSchema = z.strictObject({
  prompt: textSchema(limits.promptLength),
  order: z.enum(['seats', 'random', 'volunteers']).default('seats'),
  timeBoxSeconds: secondsSchema.optional(),
  moodScale: z.boolean().default(false),
});

/** A round the facilitator starts: its purpose names it on every screen; a custom one carries its own label. */
export const roundStartSchema = roundSettingsSchema.extend({
  purpose: z.enum(['check-in', 'check-out', 'sharing', 'custom']).optional(),
  label: textSchema(limits.roleLength).optional(),
});

type RoundSettings = z.output<typeof roundSettingsSchema>;
const startShape = { round: roundStartSchema };
const rateShape = { rating: z.number().int().min(1).max(10) };

const running = (state: RoomState): Round | null => (state.round && !state.round.closed ? state.round : null);

export const currentSpeaker = (round: Round): string | null => (round.closed ? null : (round.speakers[round.position] ?? null));

/** Start a go-around. Shared by check-in and the sharing round that follows a scene. */
export function openRound(state: RoomState, settings: RoundSettings, purpose: RoundPurpose, ctx: RuleContext, speakersFrom?: string[], label: string | null = null): Step {
  if (running(state)) return refuse('ROUND_RUNNING');
  if (state.scene) return refuse('SCENE_RUNNING');
  if (state.problemSolving.current) return refuse('EXERCISE_RUNNING');
  const circle = (speakersFrom ?? memberSeats(state)).filter((id) => presentMember(state, id));
  if (circle.length === 0) return refuse('TOO_FEW_MEMBERS');
  const speakers = settings.order === 'seats' ? circle : settings.order === 'random' ? shuffle(circle, ctx) : [];
  const round: Round = {
    id: ctx.newId(),
    purpose,
    label,
    prompt: settings.prompt,
    order: settings.order,
    timeBoxMs: settings.timeBoxSeconds === undefined ? null : settings.timeBoxSeconds * 1000,
    moodScale: settings.moodScale,
    speakers,
    position: 0,
    outcomes: {},
    ratings: {},
    closed: false,
    restoreMode: state.floor.mode === 'stick' ? null : state.floor.mode,
  };
  // The round passes a talking stick: only its speaker is heard until it closes.
  const floor = { ...state.floor, queue: [], mode: 'stick' as const };
  return accept(handFloor({ ...state, floor, round }, speakers[0] ?? null, ctx, round.timeBoxMs));
}

export function start(state: RoomState, command: Fields<typeof startShape>, ctx: RuleContext): Step {
  const { purpose = 'check-in', label, ...settings } = command.round;
  if (purpose === 'custom' && label === undefined) return refuse('INVALID', 'a custom round needs a label');
  if (purpose !== 'custom' && label !== undefined) return refuse('INVALID', 'only a custom round takes a label');
  return openRound(state, settings, purpose, ctx, undefined, label ?? null);
}

/**
 * The round is over: the floor goes back to the mode it had before, unless the facilitator chose
 * another one while it ran (the room is no longer in stick mode), whose choice then stands.
 */
function close(state: RoomState, round: Round): RoomState {
  const restore = round.restoreMode !== null && state.floor.mode === 'stick';
  const closed = { ...round, closed: true, restoreMode: null };
  return { ...state, round: closed, floor: restore ? { ...state.floor, mode: round.restoreMode! } : state.floor };
}

/** Record how the current turn ended and hand the floor to the next speaker who is here. */
function advance(state: RoomState, outcome: RoundOutcome, ctx: RuleContext): RoomState {
  let round = state.round!;
  const speaker = currentSpeaker(round);
  const outcomes = { ...round.outcomes };
  if (speaker !== null) outcomes[speaker] = outcome;
  let position = round.position + (speaker === null ? 0 : 1);
  while (position < round.speakers.length && !presentMember(state, round.speakers[position]!)) {
    outcomes[round.speakers[position]!] = 'absent';
    position += 1;
  }
  round = { ...round, outcomes, position };
  const nextSpeaker = round.speakers[position] ?? null;
  // A volunteer round stays open for more volunteers until the facilitator ends it.
  const over = nextSpeaker === null && round.order !== 'volunteers';
  return handFloor(over ? close(state, round) : { ...state, round }, nextSpeaker, ctx, round.timeBoxMs);
}

export function done(state: RoomState, memberId: string, outcome: 'spoke' | 'passed', ctx: RuleContext): Step {
  const round = running(state);
  if (!round) return refuse(state.round ? 'ROUND_CLOSED' : 'NO_ROUND');
  if (currentSpeaker(round) !== memberId) return refuse('NOT_YOUR_TURN');
  return accept(advance(state, outcome, ctx));
}

export function skip(state: RoomState, ctx: RuleContext): Step {
  const round = running(state);
  if (!round) return refuse(state.round ? 'ROUND_CLOSED' : 'NO_ROUND');
  return accept(advance(state, 'skipped', ctx));
}

export function end(state: RoomState, ctx: RuleContext): Step {
  const round = running(state);
  if (!round) return refuse(state.round ? 'ROUND_CLOSED' : 'NO_ROUND');
  return accept(handFloor(close(state, round), null, ctx, null));
}

export function volunteer(state: RoomState, memberId: string, ctx: RuleContext): Step {
  const round = running(state);
  if (!round) return refuse(state.round ? 'ROUND_CLOSED' : 'NO_ROUND');
  if (round.order !== 'volunteers') return refuse('WRONG_FLOOR_MODE', 'this round goes in order');
  if (round.speakers.includes(memberId)) return accept(state);
  const speakers = [...round.speakers, memberId];
  const idle = currentSpeaker(round) === null;
  const next = { ...state, round: { ...round, speakers } };
  return accept(idle ? handFloor(next, memberId, ctx, round.timeBoxMs) : next);
}

export function rate(state: RoomState, memberId: string, command: Fields<typeof rateShape>): Step {
  const round = running(state);
  if (!round) return refuse(state.round ? 'ROUND_CLOSED' : 'NO_ROUND');
  if (!round.moodScale) return refuse('INVALID', 'this round has no mood scale');
  if (round.ratings[memberId] === command.rating) return accept(state);
  // Ratings are the facilitator's to see: the group must not even see a version move.
  return acceptSealed({ ...state, round: { ...round, ratings: { ...round.ratings, [memberId]: command.rating } } });
}

/** The speaker's time box is over: their turn counts as timed out. */
export function expire(state: RoomState, ctx: RuleContext): RoomState {
  const round = running(state);
  const endsAt = state.floor.turn?.endsAt;
  if (!round || endsAt == null || endsAt > ctx.now || currentSpeaker(round) === null) return state;
  return advance(state, 'timed-out', ctx);
}

/** Someone left for good: if it was their turn, move on; they keep their place if still to come. */
export function onMemberGone(state: RoomState, memberId: string, ctx: RuleContext): RoomState {
  const round = running(state);
  if (!round || currentSpeaker(round) !== memberId) return state;
  return advance(state, 'absent', ctx);
}

export const roundCommands = [
  rule('round.start', 'facilitator', startShape, start),
  rule('round.next', 'facilitator', {}, (state, _command, ctx) => skip(state, ctx)),
  rule('round.end', 'facilitator', {}, (state, _command, ctx) => end(state, ctx)),
  // "I'm done" ends a round speaker's turn while a round runs, the floor holder's otherwise.
  rule('turn.done', 'anyone', {}, (state, _command, ctx) => (running(state) ? done(state, ctx.actor.id, 'spoke', ctx) : finishTurn(state, ctx.actor, ctx))),
  rule('round.pass', 'anyone', {}, (state, _command, ctx) => done(state, ctx.actor.id, 'passed', ctx)),
  rule('round.volunteer', 'member', {}, (state, _command, ctx) => volunteer(state, ctx.actor.id, ctx)),
  rule('round.rate', 'member', rateShape, (state, command, ctx) => rate(state, ctx.actor.id, command)),
];
