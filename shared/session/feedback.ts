import { z } from 'zod';
import { idSchema, limits, textSchema } from '../protocol/fields.js';
import { accept, acceptSealed, memberSeats, refuse, rule, shuffle, type Anonymiser, type Fields, type RuleContext, type Step } from './rules.js';
import type { FeedbackItem, FeedbackPrompt, RoomState } from './state.js';

const openShape = {
  question: textSchema(limits.promptLength),
  answer: z.enum(['text', 'scale', 'both']),
  about: z.union([z.strictObject({ memberId: idSchema }), z.strictObject({ scene: z.literal(true) })]).optional(),
  audience: z.enum(['facilitator', 'group']),
  k: z.number().int().min(limits.feedbackMinK).max(12).default(3),
};
const submitShape = {
  promptId: idSchema,
  text: textSchema(limits.feedbackTextLength).optional(),
  scale: z.number().int().min(1).max(5).optional(),
};

/** Results are never released for fewer than this many distinct members: at 2, each answerer could read the other's. */
export const MIN_K = limits.feedbackMinK;

/**
 * Who may answer a prompt opening now: admitted members online at this moment, other than the
 * one it is about. Members seated but not here (never connected, dropped, left) are left out, so
 * a facilitator cannot pad k with people who join through the invite and are admitted as puppets.
 */
export function eligibleNow(state: RoomState, about: FeedbackPrompt['about']): string[] {
  const subject = about && 'memberId' in about ? about.memberId : null;
  return memberSeats(state).filter((id) => id !== subject && state.participants[id]!.presence === 'online');
}

export function open(state: RoomState, command: Fields<typeof openShape>, ctx: RuleContext): Step {
  if (state.feedback.open) return refuse('FEEDBACK_OPEN');
  const about = command.about ?? null;
  if (about && 'memberId' in about && !memberSeats(state).includes(about.memberId)) return refuse('NOT_FOUND');
  // A standing group's own threshold is a floor no prompt of its sessions goes below.
  const k = Math.max(MIN_K, state.group?.feedbackK ?? MIN_K, command.k);
  const eligible = eligibleNow(state, about);
  if (eligible.length < k) return refuse('TOO_FEW_MEMBERS', `at least ${k} members here now must be able to answer`);
  const prompt: FeedbackPrompt = {
    id: ctx.newId(),
    question: command.question,
    answer: command.answer,
    about,
    audience: command.audience,
    k,
    eligibleCount: eligible.length,
  };
  return accept({ ...state, feedback: { ...state.feedback, open: prompt, eligible, submitters: [], items: [], receipts: [] } });
}

/** Whether this member may answer the open prompt: here when it opened, and not the one it is about. */
export function mayAnswer(state: RoomState, memberId: string): boolean {
  return state.feedback.open !== null && state.feedback.eligible.includes(memberId);
}

/**
 * Store an answer with no trace of who gave it or when: the submitter joins a sorted set, the
 * item goes to a random position. Sealed: no version bump, nobody but the sender hears of it.
 */
export function submit(state: RoomState, memberId: string, command: Fields<typeof submitShape>, ctx: RuleContext): Step {
  const prompt = state.feedback.open;
  if (!prompt || prompt.id !== command.promptId) {
    return state.feedback.results.some((result) => result.prompt.id === command.promptId) ? refuse('FEEDBACK_CLOSED') : refuse('NO_FEEDBACK_PROMPT');
  }
  if (prompt.about && 'memberId' in prompt.about && prompt.about.memberId === memberId) return refuse('FORBIDDEN', 'this prompt is about you');
  if (!mayAnswer(state, memberId)) return refuse('NOT_ELIGIBLE');
  const tag = ctx.anonymise(memberId, prompt.id);
  if (state.feedback.submitters.includes(tag)) return refuse('ALREADY_SUBMITTED');
  const item = itemFor(prompt, command);
  if (!item) return refuse('INVALID', prompt.answer === 'both' ? 'give a text, a scale value, or both' : `this prompt asks for a ${prompt.answer}`);
  const submitters = [...state.feedback.submitters, tag].sort();
  const receipts = [...state.feedback.receipts, command.id].sort();
  const items = state.feedback.items.slice();
  items.splice(ctx.randomInt(items.length + 1), 0, item);
  return acceptSealed({ ...state, feedback: { ...state.feedback, submitters, items, receipts } });
}

function itemFor(prompt: FeedbackPrompt, command: Fields<typeof submitShape>): FeedbackItem | null {
  const wantsText = prompt.answer !== 'scale';
  const wantsScale = prompt.answer !== 'text';
  if ((command.text !== undefined && !wantsText) || (command.scale !== undefined && !wantsScale)) return null;
  if (command.text === undefined && command.scale === undefined) return null;
  const item: FeedbackItem = {};
  if (command.text !== undefined) item.text = command.text;
  if (command.scale !== undefined) item.scale = command.scale;
  return item;
}

/** Whether this member has answered the open prompt. */
export function hasAnswered(state: RoomState, memberId: string, anonymise: Anonymiser): boolean {
  const prompt = state.feedback.open;
  return prompt !== null && state.feedback.submitters.includes(anonymise(memberId, prompt.id));
}

/** Close the prompt: release a fresh shuffle if k members answered, else withhold; forget who could and who did answer. */
export function close(state: RoomState, ctx: RuleContext): Step {
  const prompt = state.feedback.open;
  if (!prompt) return refuse('NO_FEEDBACK_PROMPT');
  const released = state.feedback.submitters.length >= prompt.k ? shuffle(state.feedback.items, ctx) : null;
  return accept({
    ...state,
    feedback: { open: null, eligible: [], submitters: [], items: [], receipts: [], results: [...state.feedback.results, { prompt, items: released }] },
  });
}

export const feedbackCommands = [
  rule('feedback.open', 'facilitator', openShape, open),
  rule('feedback.close', 'facilitator', {}, (state, _command, ctx) => close(state, ctx)),
  rule('feedback.submit', 'member', submitShape, (state, command, ctx) => submit(state, ctx.actor.id, command, ctx),
  ),
];
