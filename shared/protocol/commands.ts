import { z } from 'zod';

/**
 * Bumped whenever a client and server of different versions could misunderstand each other.
 * 2: sync takes no arguments; the member view lost handRaised; CLIENT_TOO_OLD / SERVER_TOO_OLD.
 */
export const PROTOCOL_VERSION = 2;

export const limits = {
  nameLength: 40,
  promptLength: 300,
  feedbackTextLength: 500,
  roleLength: 40,
  titleLength: 120,
  settingLength: 500,
  agendaPhases: 12,
  castSize: 8,
  timeBoxSeconds: 60 * 60,
} as const;

export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'expected an id of 6-64 letters, digits, _ or -');

/** Text a person typed: trimmed, no control characters, bounded. */
export const textSchema = (max: number) =>
  z
    .string()
    .max(max * 4)
    .transform((text) => text.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '').trim())
    .pipe(z.string().min(1).max(max));

export const displayNameSchema = textSchema(limits.nameLength);

export const floorModeSchema = z.enum(['open', 'queue', 'stick']);
export type FloorMode = z.infer<typeof floorModeSchema>;

const seconds = z.number().int().min(10).max(limits.timeBoxSeconds);

const phaseSchema = z.strictObject({
  name: textSchema(40),
  floorMode: floorModeSchema.optional(),
});

const castMemberSchema = z.strictObject({
  role: textSchema(limits.roleLength),
  kind: z.enum(['protagonist', 'antagonist', 'double', 'other']),
  memberId: idSchema,
});

const roundSettingsSchema = z.strictObject({
  prompt: textSchema(limits.promptLength),
  order: z.enum(['seats', 'random', 'volunteers']).default('seats'),
  timeBoxSeconds: seconds.optional(),
  moodScale: z.boolean().default(false),
});

const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ id: idSchema, type: z.literal(type), ...shape });

/** Commands the facilitator may send. */
export const facilitatorCommands = [
  command('admit', { memberId: idSchema }),
  command('decline', { memberId: idSchema }),
  command('remove', { memberId: idSchema }),
  command('seats.reorder', { order: z.array(idSchema).max(64) }),
  command('agenda.set', { phases: z.array(phaseSchema).min(1).max(limits.agendaPhases) }),
  command('phase.go', { index: z.number().int().min(0).max(limits.agendaPhases - 1) }),
  command('floor.mode', { mode: floorModeSchema }),
  command('floor.grant', { to: idSchema, timeBoxSeconds: seconds.optional() }),
  command('floor.next', { timeBoxSeconds: seconds.optional() }),
  command('floor.release', {}),
  command('queue.reorder', { order: z.array(idSchema).max(64) }),
  command('queue.remove', { memberId: idSchema }),
  command('member.mute', { memberId: idSchema, muted: z.boolean() }),
  command('round.start', { round: roundSettingsSchema }),
  command('round.next', {}),
  command('round.end', {}),
  command('scene.start', {
    title: textSchema(limits.titleLength),
    setting: textSchema(limits.settingLength).optional(),
    cast: z.array(castMemberSchema).min(1).max(limits.castSize),
    durationSeconds: seconds.optional(),
  }),
  command('scene.reverse', { roleA: z.number().int().min(0).max(limits.castSize - 1), roleB: z.number().int().min(0).max(limits.castSize - 1) }),
  command('scene.freeze', {}),
  command('scene.resume', {}),
  command('scene.end', { sharing: roundSettingsSchema.omit({ order: true }).optional() }),
  command('feedback.open', {
    question: textSchema(limits.promptLength),
    answer: z.enum(['text', 'scale', 'both']),
    about: z.union([z.strictObject({ memberId: idSchema }), z.strictObject({ scene: z.literal(true) })]).optional(),
    audience: z.enum(['facilitator', 'group']),
    k: z.number().int().min(2).max(12).default(3),
  }),
  command('feedback.close', {}),
  command('alert.ack', { memberId: idSchema }),
  command('session.end', {}),
] as const;

/** Commands a member may send (the facilitator may send some of them too, see rules). */
export const memberCommands = [
  command('hand.raise', {}),
  command('hand.lower', {}),
  command('stick.pass', { direction: z.enum(['next', 'previous']) }),
  command('turn.done', {}),
  command('round.pass', {}),
  command('round.volunteer', {}),
  command('round.rate', { rating: z.number().int().min(1).max(10) }),
  command('feedback.submit', {
    promptId: idSchema,
    text: textSchema(limits.feedbackTextLength).optional(),
    scale: z.number().int().min(1).max(5).optional(),
  }),
  command('moment.need', { tellGroup: z.boolean() }),
  command('moment.back', {}),
  command('meToo', {}),
  command('leave', {}),
] as const;

export const clientCommandSchema = z.discriminatedUnion('type', [...facilitatorCommands, ...memberCommands]);
export type ClientCommand = z.infer<typeof clientCommandSchema>;
export type CommandType = ClientCommand['type'];
export type CommandOf<T extends CommandType> = Extract<ClientCommand, { type: T }>;

export const facilitatorCommandTypes: ReadonlySet<string> = new Set(facilitatorCommands.map((c) => c.shape.type.value));

/** What the server itself feeds the room: never accepted from a socket. */
export type SystemCommand =
  | { type: 'join'; memberId: string; name: string }
  | { type: 'presence'; participantId: string; online: boolean }
  | { type: 'tick' };

/** A sync always answers the whole current state: there is nothing to ask for. */
export const syncRequestSchema = z.strictObject({});
