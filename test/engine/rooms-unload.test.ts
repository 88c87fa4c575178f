import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { feedbackAnonymiser } from '../../server/access/anonymiser.js';
import { createLogger } from '../../server/logger.js';
import { Rooms } from '../../server/rooms/rooms.js';
import { MemoryStore } from '../../server/store/memory-store.js';
import { RecordingAudience } from '../support/cluster-fakes.js';

const ENDED_MS = 60_000;
const UNUSED_MS = 24 * 3_600_000;

/** A room that ended and unloaded must leave nothing behind in the process: no timer still holding its actor. */
describe('rooms that end and unload', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  function setUp() {
    const store = new MemoryStore(ENDED_MS);
    const rooms = new Rooms(store, createLogger('silent'), {}, feedbackAnonymiser('a-secret-for-tests-only-0123456789'), ENDED_MS, UNUSED_MS);
    rooms.reachThrough(new RecordingAudience());
    return { store, rooms };
  }

  it('an ended session, once unloaded, leaves no timer behind (not even the unused-room one)', async () => {
    const { rooms, store } = setUp();
    for (let i = 0; i < 3; i++) {
      const actor = await rooms.create(`Group ${i}`, { name: 'Dana' });
      const ack = await actor.dispatch({ role: 'facilitator', id: actor.state.facilitatorIds[0]! }, { id: `end-${i}`, type: 'session.end' });
      expect(ack).toMatchObject({ ok: true });
    }
    expect(rooms.loaded).toBe(3);

    await vi.advanceTimersByTimeAsync(ENDED_MS + 1);

    expect(rooms.loaded).toBe(0);
    expect(await store.list()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('closing the rooms leaves no timer behind either', async () => {
    const { rooms, store } = setUp();
    const actor = await rooms.create('Group', { name: 'Dana' });
    await actor.dispatch({ role: 'facilitator', id: actor.state.facilitatorIds[0]! }, { id: 'end-1', type: 'session.end' });
    await rooms.close();
    await store.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a room nobody used is still forgotten after the unused-room time', async () => {
    const { rooms, store } = setUp();
    const actor = await rooms.create('Group', { name: 'Dana' });
    await vi.advanceTimersByTimeAsync(UNUSED_MS + 1);
    expect(rooms.loaded).toBe(0);
    expect(await store.load(actor.id)).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
  });
});
