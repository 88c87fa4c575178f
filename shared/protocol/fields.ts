import { z } from 'zod';

/** The building blocks of every command and HTTP body: ids, typed text, bounds. */

export const limits = {
  nameLength: 40,
  promptLength: 300,
  feedbackTextLength: 500,
  /** The least k a feedback prompt may have (see shared/session/feedback.ts). */
  feedbackMinK: 3,
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

/** A time box in seconds. */
export const secondsSchema = z.number().int().min(10).max(limits.timeBoxSeconds);

/** Every command a client sends: a client-made id, its type, and its own fields. */
export const commandSchema = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ id: idSchema, type: z.literal(type), ...shape });

export type CommandSchema<T extends string, S extends z.ZodRawShape> = ReturnType<typeof commandSchema<T, S>>;
