import { z } from 'zod';
import { admissionCommands } from '../session/admission.js';
import { agendaCommands } from '../session/agenda.js';
import { encryptionCommands } from '../session/encryption.js';
import { endingCommands } from '../session/ending.js';
import { feedbackCommands } from '../session/feedback.js';
import { handoutCommands } from '../session/handout.js';
import { floorCommands } from '../session/floor.js';
import { problemSolvingCommands } from '../session/problem-solving.js';
import { roundCommands } from '../session/round.js';
import { sceneCommands } from '../session/scene.js';
import { signalCommands } from '../session/signals.js';
import { standingGroupCommands } from '../session/standing-group.js';
import type { GoalView } from '../session/state.js';

/**
 * Bumped whenever a client and server of different versions could misunderstand each other.
 * 2: sync takes no arguments; the member view lost handRaised; CLIENT_TOO_OLD / SERVER_TOO_OLD.
 */
export const PROTOCOL_VERSION = 2;

export { displayNameSchema, floorModeSchema, idSchema, limits, textSchema, type FloorMode } from './fields.js';

/**
 * Every command a client may send, assembled from the mechanics' own tables: each module in
 * `shared/session/` declares its commands' schemas, who may send them, and the rules that apply them.
 */
export const commandRules = [
  ...admissionCommands,
  ...agendaCommands,
  ...floorCommands,
  ...roundCommands,
  ...sceneCommands,
  ...feedbackCommands,
  ...problemSolvingCommands,
  ...signalCommands,
  ...handoutCommands,
  ...standingGroupCommands,
  ...encryptionCommands,
  ...endingCommands,
] as const;

type Rule = (typeof commandRules)[number];
const schemas = commandRules.map((rule) => rule.schema) as [Rule['schema'], ...Rule['schema'][]];

export const clientCommandSchema = z.discriminatedUnion('type', schemas);
export type ClientCommand = z.infer<typeof clientCommandSchema>;
export type CommandType = ClientCommand['type'];
export type CommandOf<T extends CommandType> = Extract<ClientCommand, { type: T }>;

export type FacilitatorCommandType = Extract<Rule, { sender: 'facilitator' }>['type'];

export const commandTypes: readonly CommandType[] = commandRules.map((rule) => rule.type);
/** Commands only the facilitator may send. */
export const facilitatorCommandTypes: ReadonlySet<string> = new Set(commandRules.filter((rule) => rule.sender === 'facilitator').map((rule) => rule.type));

/** What the server itself feeds the room: never accepted from a socket. */
export type SystemCommand =
  /** invite: the generation of the invite link used; absent in links made before links could be replaced (generation 0). */
  | { type: 'join'; memberId: string; name: string; invite?: number }
  /** A member of the standing group came through their personal link: let in at once, to their own seat. */
  | { type: 'join.member'; memberId: string }
  /** A co-facilitator enters the live room (the server vouched for them); the same id again changes nothing. */
  | { type: 'join.facilitator'; facilitatorId: string; name: string }
  /** The member's personal link was revoked (or they left the group): out of the running session at once. */
  | { type: 'member.revoke'; memberId: string }
  /** The member's goals changed in the records while the session runs. */
  | { type: 'member.goals'; memberId: string; goals: GoalView[] }
  /** The facilitator replaces the room's invite link: links of earlier generations stop working. */
  | { type: 'invite.replace' }
  | { type: 'presence'; participantId: string; online: boolean }
  /** The SFU started or stopped carrying this participant's screen. */
  | { type: 'screen.shared'; participantId: string; on: boolean }
  | { type: 'tick' };

/** A sync always answers the whole current state: there is nothing to ask for. */
export const syncRequestSchema = z.strictObject({});
