import { z } from 'zod';
import { limits } from './limits.js';

/** The building blocks of every command and HTTP body: ids, typed text, bounds. */

export { limits };

export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'expected an id of 6-64 letters, digits, _ or -');

/** Text a person typed: trimmed, no control characters, bounded. */
export const textSchema = (max: number) =>
  z
    .string()
    .max(max * 4)
    .transform((text) => text.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '').trim())
    .pipe(z.string().min(1).max(max));

/** Why a typed name cannot be shown safely to others, or null; checked before it is normalised. */
export function nameProblem(raw: string): string | null {
  if (/\p{Cs}/u.test(raw)) return 'the name has broken characters in it (a lone surrogate)';
  if (/\p{Cc}/u.test(raw)) return 'the name has control characters in it (line breaks, tabs or escapes)';
  if (/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u.test(raw)) return 'the name has direction-changing characters in it';
  // The joiners and emoji variation selectors are kept: emoji and several scripts need them.
  if (/(?![\u200C\u200D\uFE00-\uFE0F])\p{Default_Ignorable_Code_Point}/u.test(raw)) return 'the name has invisible characters in it';
  if (!/[^\p{White_Space}\p{M}\u200C\u200D\uFE00-\uFE0F\u2800]/u.test(raw)) return 'a name needs at least one visible letter, digit or symbol';
  if (/\p{M}{5,}/u.test(raw.normalize('NFC'))) return 'the name piles too many accents on one letter';
  return null;
}

/** A person's name as others will see it: NFC, one space between words, nothing hidden or reordering. */
export const displayNameSchema = z
  .string()
  .max(limits.nameLength * 4)
  .transform((raw, ctx) => {
    const problem = nameProblem(raw);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return raw.normalize('NFC').replace(/\p{White_Space}+/gu, ' ').trim();
  })
  .pipe(z.string().min(1).max(limits.nameLength, `a name is at most ${limits.nameLength} characters`));

export const floorModeSchema = z.enum(['open', 'queue', 'stick']);
export type FloorMode = z.infer<typeof floorModeSchema>;

/** A time box in seconds. */
export const secondsSchema = z.number().int().min(limits.timeBoxMinSeconds).max(limits.timeBoxSeconds);

/** Every command a client sends: a client-made id, its type, and its own fields. */
export const commandSchema = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ id: idSchema, type: z.literal(type), ...shape });

export type CommandSchema<T extends string, S extends z.ZodRawShape> = ReturnType<typeof commandSchema<T, S>>;
