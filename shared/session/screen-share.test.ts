import { describe, expect, it } from 'vitest';
import { expectPublished, groupRoom, table } from './fixtures.test-support.js';
import { groupView } from './projection.js';

describe('the screen share fact', () => {
  it('the SFU carrying the facilitator\'s screen puts it on the stage for everyone; its end takes it off', () => {
    const room = groupRoom({ members: 2 });
    const before = room.state;
    const shared = expectPublished(room.system({ type: 'screen.shared', participantId: room.facilitator, on: true }), before);
    expect(groupView(shared).screenShare).toEqual({ by: room.facilitator });
    const stopped = expectPublished(room.system({ type: 'screen.shared', participantId: room.facilitator, on: false }), shared);
    expect(groupView(stopped).screenShare).toBeNull();
  });

  it('a repeated report changes nothing', () => {
    const room = groupRoom({ members: 1 });
    room.must(room.system({ type: 'screen.shared', participantId: room.facilitator, on: true }));
    expect(room.system({ type: 'screen.shared', participantId: room.facilitator, on: true })).toMatchObject({ ok: true, stored: false });
  });

  it.each(table([
    { name: 'a member', who: 'member', code: 'FORBIDDEN' },
    { name: 'someone not in the room', who: 'stranger', code: 'NOT_FOUND' },
  ]))('%s never becomes the one who shares', (_, { who, code }) => {
    const room = groupRoom({ members: 1 });
    const before = room.state;
    expect(room.system({ type: 'screen.shared', participantId: who === 'member' ? room.m(0) : 'stranger-1', on: true })).toMatchObject({ ok: false, code });
    expect(room.state).toBe(before);
  });
});
