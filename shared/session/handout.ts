import { z } from 'zod';
import { textSchema } from '../protocol/fields.js';
import { accept, refuse, rule, type Fields, type RuleContext, type Step } from './rules.js';
import type { Handout, RoomState } from './state.js';

/** A handout is short: a few paragraphs, or one small picture. */
export const handoutLimits = { textLength: 2000, altLength: 200, imageBytes: 300 * 1024 } as const;

export const handoutImageTypes = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type HandoutImageType = (typeof handoutImageTypes)[number];

const imageShape = {
  mime: z.enum(handoutImageTypes),
  alt: textSchema(handoutLimits.altLength),
  // Base64 of at most imageBytes; the bytes themselves are checked in the rule.
  data: z.string().max(Math.ceil(handoutLimits.imageBytes / 3) * 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64'),
};
const showShape = {
  handout: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('text'), title: textSchema(80).optional(), text: textSchema(handoutLimits.textLength) }),
    z.strictObject({ kind: z.literal('image'), title: textSchema(80).optional(), ...imageShape }),
  ]),
};

/** The first bytes each accepted image type starts with: the declared type must match the content. */
function contentMatches(mime: HandoutImageType, bytes: Uint8Array): boolean {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (mime === 'image/png') return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
  if (mime === 'image/jpeg') return starts(0xff, 0xd8, 0xff);
  // RIFF....WEBP
  return starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50;
}

function decode(data: string): Uint8Array | null {
  if (data.length % 4 !== 0) return null;
  try {
    const binary = atob(data);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** The facilitator shows a handout to everyone, replacing the one shown before. */
export function showHandout(state: RoomState, command: Fields<typeof showShape>, ctx: RuleContext): Step {
  const given = command.handout;
  const title = given.title ?? null;
  let handout: Handout;
  if (given.kind === 'text') {
    handout = { id: ctx.newId(), kind: 'text', title, text: given.text, shownAt: ctx.now };
  } else {
    const bytes = decode(given.data);
    if (!bytes || bytes.length === 0) return refuse('INVALID', 'the image is not valid base64');
    if (bytes.length > handoutLimits.imageBytes) return refuse('INVALID', `an image handout is at most ${handoutLimits.imageBytes / 1024} KB`);
    if (!contentMatches(given.mime, bytes)) return refuse('INVALID', `the image is not a ${given.mime}`);
    handout = { id: ctx.newId(), kind: 'image', title, mime: given.mime, alt: given.alt, data: given.data, bytes: bytes.length, shownAt: ctx.now };
  }
  return accept({ ...state, handout });
}

export function hideHandout(state: RoomState): Step {
  if (!state.handout) return refuse('NOT_FOUND', 'no handout is shown');
  return accept({ ...state, handout: null });
}

export const handoutCommands = [
  rule('handout.show', 'facilitator', showShape, showHandout),
  rule('handout.hide', 'facilitator', {}, hideHandout),
];
