import type { z } from 'zod';
import { reject, type ErrorCode, type Rejection } from '../protocol/errors.js';
import { commandSchema, type CommandSchema } from '../protocol/fields.js';
import type { AdmissionStatus, Participant, RoomState } from './state.js';

/** Everything a rule needs from outside: time and randomness are handed in, so rules stay pure. */
export interface RuleContext {
  now: number;
  newId(): string;
  /** A uniformly random integer in [0, maxExclusive); the server uses a cryptographic source. */
  randomInt(maxExclusive: number): number;
  anonymise: Anonymiser;
}

/**
 * A keyed one-way tag of a member for one feedback prompt (the server uses an HMAC with its
 * secret): stored instead of the member's id, so the store alone cannot tell who answered.
 */
export type Anonymiser = (memberId: string, promptId: string) => string;

export type Actor = { role: 'facilitator' | 'member'; id: string } | { role: 'system' };

/**
 * A rule's answer: the next state, or why nothing changed. `sealed` marks a change nobody but
 * its author and the facilitator's private view may notice: no version bump, no broadcast.
 */
export type Step = { ok: true; state: RoomState; sealed?: boolean } | Rejection;

/** Who may send a command by role: the one permission check for all of them is in room.ts. */
export type Sender = 'facilitator' | 'member' | 'anyone';

/** Whose admission lets them send a command; the declined, removed and left are shut out before any rule. */
export type SenderStatus = Extract<AdmissionStatus, 'admitted' | 'waiting'>;

/** A rule applied on behalf of someone in the room. */
export interface CommandContext extends RuleContext {
  actor: { id: string; role: 'facilitator' | 'member' };
}

/**
 * One command of a mechanic: its wire schema, who may send it, and the rule that applies it.
 * Each mechanic module exports a list of these; `shared/protocol/commands.ts` assembles them.
 */
export interface CommandRule<T extends string = string, S extends z.ZodType = z.ZodType, W extends Sender = Sender> {
  type: T;
  sender: W;
  /** Admitted people only, unless the rule also lets someone still in the waiting room send it. */
  statuses: readonly SenderStatus[];
  schema: S;
  apply(state: RoomState, command: z.output<S>, ctx: CommandContext): Step;
}

/** The fields of a command with this shape, as its rule receives them. */
export type Fields<Shape extends z.ZodRawShape> = { id: string } & z.output<z.ZodObject<Shape>>;

export function rule<T extends string, W extends Sender, Shape extends z.ZodRawShape>(
  type: T,
  sender: W,
  shape: Shape,
  apply: (state: RoomState, command: z.output<CommandSchema<T, Shape>>, ctx: CommandContext) => Step,
  statuses: readonly SenderStatus[] = ['admitted'],
): CommandRule<T, CommandSchema<T, Shape>, W> {
  return { type, sender, statuses, schema: commandSchema(type, shape), apply };
}

export const acceptSealed = (state: RoomState): Step => ({ ok: true, state, sealed: true });

export const accept = (state: RoomState): Step => ({ ok: true, state });
export const refuse = (code: ErrorCode, detail?: string): Rejection => reject(code, detail);

export function admittedMember(state: RoomState, id: string): Participant | null {
  const person = state.participants[id];
  return person && person.role === 'member' && person.status === 'admitted' ? person : null;
}

/** Whether this participant leads the room: any of its facilitators. */
export const isFacilitator = (state: RoomState, id: string): boolean => state.facilitatorIds.includes(id);

/** Admitted members in circle order, the facilitator left out. */
export function memberSeats(state: RoomState): string[] {
  return state.seats.filter((id) => admittedMember(state, id) !== null);
}

/** Members who are here now (online, or within their grace period). */
export function presentMember(state: RoomState, id: string): boolean {
  const person = admittedMember(state, id);
  return person !== null && person.presence !== 'gone';
}

export function shuffle<T>(items: readonly T[], ctx: RuleContext): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = ctx.randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return set.size === a.length && new Set(b).size === b.length && b.every((id) => set.has(id));
}
