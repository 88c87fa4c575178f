import { describe, expect, it } from 'vitest';
import { clientCommandSchema } from '../protocol/commands.js';
import { expectPublished, expectRefused, groupRoom, table } from './fixtures.test-support.js';
import { handoutLimits } from './handout.js';
import { groupView } from './projection.js';

const base64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');
const png = (size = 64) => base64([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array<number>(size - 8).fill(7)]);
const jpeg = base64([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]);
const webp = base64([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 9, 9, 9]);

describe('the handout', () => {
  it('a text handout is shown to everyone, then hidden', () => {
    const room = groupRoom({ members: 2 });
    const before = room.state;
    const shown = expectPublished(room.act(room.facilitator, 'handout.show', { handout: { kind: 'text', title: 'The window of tolerance', text: 'Stay within it.' } }), before);
    expect(groupView(shown).handout).toEqual({ id: expect.any(String), kind: 'text', title: 'The window of tolerance', text: 'Stay within it.' });
    const hidden = expectPublished(room.act(room.facilitator, 'handout.hide'), shown);
    expect(groupView(hidden).handout).toBeNull();
  });

  it.each(table([
    { name: 'a PNG', mime: 'image/png', data: png() },
    { name: 'a JPEG', mime: 'image/jpeg', data: jpeg },
    { name: 'a WebP', mime: 'image/webp', data: webp },
  ] as const))('%s is shown by its size, type and description; its bytes stay out of the broadcast view', (_, { mime, data }) => {
    const room = groupRoom({ members: 1 });
    room.lead('handout.show', { handout: { kind: 'image', mime, alt: 'A diagram of the window', data } });
    expect(room.state.handout).toMatchObject({ kind: 'image', mime, data });
    const view = groupView(room.state);
    expect(view.handout).toEqual({ id: room.state.handout!.id, kind: 'image', title: null, mime, alt: 'A diagram of the window', bytes: atob(data).length });
    expect(JSON.stringify(view)).not.toContain(data);
  });

  it('a new handout replaces the one shown', () => {
    const room = groupRoom({ members: 1 });
    room.lead('handout.show', { handout: { kind: 'text', text: 'first' } });
    const first = room.state.handout!.id;
    room.lead('handout.show', { handout: { kind: 'text', text: 'second' } });
    expect(groupView(room.state).handout).toMatchObject({ kind: 'text', text: 'second' });
    expect(room.state.handout!.id).not.toBe(first);
  });

  it.each(table([
    { name: 'a member shows a handout', by: 'member', handout: { kind: 'text', text: 'mine' }, code: 'FORBIDDEN' },
    { name: 'an empty text', by: 'facilitator', handout: { kind: 'text', text: '   ' }, code: 'INVALID' },
    { name: 'a text over the limit', by: 'facilitator', handout: { kind: 'text', text: 'x'.repeat(handoutLimits.textLength + 1) }, code: 'INVALID' },
    { name: 'a GIF', by: 'facilitator', handout: { kind: 'image', mime: 'image/gif', alt: 'a', data: base64([0x47, 0x49, 0x46, 0x38]) }, code: 'INVALID' },
    { name: 'an SVG declared as PNG', by: 'facilitator', handout: { kind: 'image', mime: 'image/png', alt: 'a', data: btoa('<svg onload="x()"></svg>') }, code: 'INVALID' },
    { name: 'a JPEG declared as WebP', by: 'facilitator', handout: { kind: 'image', mime: 'image/webp', alt: 'a', data: jpeg }, code: 'INVALID' },
    { name: 'an image over the size limit', by: 'facilitator', handout: { kind: 'image', mime: 'image/png', alt: 'a', data: png(handoutLimits.imageBytes + 1) }, code: 'INVALID' },
    { name: 'an image that is not base64', by: 'facilitator', handout: { kind: 'image', mime: 'image/png', alt: 'a', data: 'iVBOR%%%' }, code: 'INVALID' },
    { name: 'an image with broken base64 padding', by: 'facilitator', handout: { kind: 'image', mime: 'image/png', alt: 'a', data: `${png()}A` }, code: 'INVALID' },
    { name: 'an image with no description', by: 'facilitator', handout: { kind: 'image', mime: 'image/png', alt: '', data: png() }, code: 'INVALID' },
    { name: 'an image with no bytes', by: 'facilitator', handout: { kind: 'image', mime: 'image/png', alt: 'a', data: '' }, code: 'INVALID' },
  ]))('refused, room unchanged: %s', (_, { by, handout, code }) => {
    const room = groupRoom({ members: 1 });
    const sender = by === 'member' ? room.m(0) : room.facilitator;
    // As at the gateway: the wire schema first, then the rule.
    const parsed = clientCommandSchema.safeParse({ id: room.nextCommandId(), type: 'handout.show', handout });
    if (!parsed.success) return expect(code).toBe('INVALID');
    expectRefused(room, sender, parsed.data, code);
  });

  it('hiding when nothing is shown is refused with NOT_FOUND; a member cannot hide', () => {
    const room = groupRoom({ members: 1 });
    expectRefused(room, room.facilitator, room.command('handout.hide'), 'NOT_FOUND');
    room.lead('handout.show', { handout: { kind: 'text', text: 'shown' } });
    expectRefused(room, room.m(0), room.command('handout.hide'), 'FORBIDDEN');
  });
});
