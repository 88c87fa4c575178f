import { z } from 'zod';
import { idSchema, limits, textSchema } from '../protocol/fields.js';
import * as feedback from './feedback.js';
import { handFloor } from './floor.js';
import { accept, presentMember, refuse, rule, type Fields, type RuleContext, type Step } from './rules.js';
import type { ProblemExercise, ProblemOption, ProblemOutcome, ProblemStep, RoomState } from './state.js';

/**
 * A member brings a problem and the group helps: define (the member states it), options (the
 * others offer ideas, aloud or anonymously), weigh (the member marks what fits), plan (the
 * member writes their next step). The facilitator picks the member, having asked them aloud,
 * moves the steps on and may end it at any time.
 */
const startShape = {
  memberId: idSchema,
  anonymous: z.boolean().default(false),
  k: z.number().int().min(limits.feedbackMinK).max(12).default(limits.feedbackMinK),
};
const textShape = { text: textSchema(limits.problemLength) };
const optionShape = { text: textSchema(limits.optionLength) };
const weighShape = { optionId: idSchema, fits: z.boolean() };

const nextStep: Record<ProblemStep, ProblemStep | null> = { define: 'options', options: 'weigh', weigh: 'plan', plan: null };

/** The member holds the floor while they state, weigh and plan; during options the floor is free for the facilitator to steer. */
export const memberHoldsFloor = (exercise: ProblemExercise): boolean => exercise.step !== 'options';

const running = (state: RoomState): ProblemExercise | null => state.problemSolving.current;

const withExercise = (state: RoomState, current: ProblemExercise | null): RoomState => ({ ...state, problemSolving: { ...state.problemSolving, current } });

export function start(state: RoomState, command: Fields<typeof startShape>, ctx: RuleContext): Step {
  if (running(state)) return refuse('EXERCISE_RUNNING');
  if (state.round && !state.round.closed) return refuse('ROUND_RUNNING');
  if (state.scene) return refuse('SCENE_RUNNING');
  if (!presentMember(state, command.memberId)) return refuse('NOT_FOUND');
  const exercise: ProblemExercise = {
    id: ctx.newId(),
    memberId: command.memberId,
    step: 'define',
    problem: null,
    anonymous: command.anonymous,
    k: command.k,
    promptId: null,
    options: [],
    withheld: false,
    plan: null,
    startedAt: ctx.now,
  };
  return accept(handFloor(withExercise(state, exercise), command.memberId, ctx, null));
}

/** The member's own step: only they write, and only in `step`. */
function ownStep(state: RoomState, memberId: string, step: ProblemStep): ProblemExercise | Step {
  const exercise = running(state);
  if (!exercise) return refuse('NO_EXERCISE');
  if (exercise.memberId !== memberId) return refuse('NOT_YOUR_TURN');
  if (exercise.step !== step) return refuse('WRONG_STEP');
  return exercise;
}

export function define(state: RoomState, memberId: string, command: Fields<typeof textShape>): Step {
  const exercise = ownStep(state, memberId, 'define');
  if ('ok' in exercise) return exercise;
  return accept(withExercise(state, { ...exercise, problem: command.text }));
}

/** An idea offered aloud: named, as said in the circle. Anonymous ideas go through feedback.submit instead. */
export function offer(state: RoomState, memberId: string, command: Fields<typeof optionShape>, ctx: RuleContext): Step {
  const exercise = running(state);
  if (!exercise) return refuse('NO_EXERCISE');
  if (exercise.memberId === memberId) return refuse('FORBIDDEN', 'the ideas come from the others');
  if (exercise.step !== 'options' || exercise.anonymous) return refuse('WRONG_STEP');
  if (exercise.options.length >= limits.problemOptions) return refuse('INVALID', `at most ${limits.problemOptions} options`);
  const option: ProblemOption = { id: ctx.newId(), text: command.text, by: memberId, fits: null };
  return accept(withExercise(state, { ...exercise, options: [...exercise.options, option] }));
}

export function weigh(state: RoomState, memberId: string, command: Fields<typeof weighShape>): Step {
  const exercise = ownStep(state, memberId, 'weigh');
  if ('ok' in exercise) return exercise;
  const option = exercise.options.find((candidate) => candidate.id === command.optionId);
  if (!option) return refuse('NOT_FOUND');
  if (option.fits === command.fits) return accept(state);
  const options = exercise.options.map((candidate) => (candidate === option ? { ...candidate, fits: command.fits } : candidate));
  return accept(withExercise(state, { ...exercise, options }));
}

export function plan(state: RoomState, memberId: string, command: Fields<typeof textShape>): Step {
  const exercise = ownStep(state, memberId, 'plan');
  if ('ok' in exercise) return exercise;
  return accept(withExercise(state, { ...exercise, plan: command.text }));
}

/**
 * Anonymous options are a feedback prompt about the member: its sealing, k, eligibility fixed
 * at open and shuffled release are the feedback module's. Its result becomes the options and
 * is kept out of the feedback results, so it is shown and recorded once.
 */
function openAnonymousOptions(state: RoomState, exercise: ProblemExercise, ctx: RuleContext): Step {
  const question = exercise.problem ?? '';
  return feedback.open(state, { id: exercise.id, question, answer: 'text', about: { memberId: exercise.memberId }, audience: 'group', k: exercise.k }, ctx);
}

function releaseAnonymousOptions(state: RoomState, exercise: ProblemExercise, ctx: RuleContext): { state: RoomState; exercise: ProblemExercise } {
  if (state.feedback.open?.id !== exercise.promptId) return { state, exercise };
  const closed = feedback.close(state, ctx);
  if (!closed.ok) return { state, exercise };
  const results = closed.state.feedback.results;
  const released = results[results.length - 1]!.items;
  const options = (released ?? []).flatMap((item) => (item.text === undefined ? [] : [{ id: ctx.newId(), text: item.text, by: null, fits: null }]));
  const next = { ...closed.state, feedback: { ...closed.state.feedback, results: results.slice(0, -1) } };
  return { state: next, exercise: { ...exercise, options, withheld: released === null } };
}

export function advance(state: RoomState, ctx: RuleContext): Step {
  const exercise = running(state);
  if (!exercise) return refuse('NO_EXERCISE');
  const step = nextStep[exercise.step];
  if (!step) return refuse('WRONG_STEP', 'plan is the last step: end the exercise');
  if (exercise.step === 'define' && exercise.problem === null) return refuse('PROBLEM_NOT_STATED');
  if (step === 'options') {
    let next = handFloor(state, null, ctx, null);
    let promptId: string | null = null;
    if (exercise.anonymous) {
      const opened = openAnonymousOptions(next, exercise, ctx);
      if (!opened.ok) return opened;
      next = opened.state;
      promptId = next.feedback.open!.id;
    }
    return accept(withExercise(next, { ...exercise, step, promptId }));
  }
  if (step === 'weigh') {
    const released = releaseAnonymousOptions(state, exercise, ctx);
    return accept(handFloor(withExercise(released.state, { ...released.exercise, step }), exercise.memberId, ctx, null));
  }
  return accept(withExercise(state, { ...exercise, step }));
}

export const outcomeOf = (exercise: ProblemExercise): ProblemOutcome => ({
  memberId: exercise.memberId,
  problem: exercise.problem,
  options: exercise.options.map((option) => ({ text: option.text, fits: option.fits })),
  plan: exercise.plan,
});

/** The facilitator ends the exercise at any step: an open anonymous prompt closes by its own rule first. */
export function end(state: RoomState, ctx: RuleContext): Step {
  const current = running(state);
  if (!current) return refuse('NO_EXERCISE');
  const released = releaseAnonymousOptions(state, current, ctx);
  const floorFreed = released.state.floor.turn?.holder === current.memberId ? handFloor(released.state, null, ctx, null) : released.state;
  return accept({ ...floorFreed, problemSolving: { current: null, past: [...state.problemSolving.past, outcomeOf(released.exercise)] } });
}

export const problemSolvingCommands = [
  rule('problem.start', 'facilitator', startShape, start),
  rule('problem.next', 'facilitator', {}, (state, _command, ctx) => advance(state, ctx)),
  rule('problem.end', 'facilitator', {}, (state, _command, ctx) => end(state, ctx)),
  rule('problem.define', 'member', textShape, (state, command, ctx) => define(state, ctx.actor.id, command)),
  rule('problem.option', 'member', optionShape, (state, command, ctx) => offer(state, ctx.actor.id, command, ctx)),
  rule('problem.weigh', 'member', weighShape, (state, command, ctx) => weigh(state, ctx.actor.id, command)),
  rule('problem.plan', 'member', textShape, (state, command, ctx) => plan(state, ctx.actor.id, command)),
];
