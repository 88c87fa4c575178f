import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParticipantBudgets } from '../../server/realtime/limits.js';

/** What each participant spends across their sockets, and what is left of it once their room has gone. */
describe('participant budgets', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const budgets = () => new ParticipantBudgets({ reconnectsPerMinute: 3, events: { perSecond: 1, burst: 2 } });

  it('a participant has so many reconnects a minute; another participant of the same room is not affected', async () => {
    const held = budgets();
    for (let i = 0; i < 3; i++) expect(await held.reconnect('room-1', 'ana')).toBe(true);
    expect(await held.reconnect('room-1', 'ana')).toBe(false);
    expect(await held.reconnect('room-1', 'ben')).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await held.reconnect('room-1', 'ana')).toBe(true);
  });

  it('session and media events are spent from separate budgets', async () => {
    const held = budgets();
    // Twice a socket's budget for all of a participant's sockets together: burst 2 -> 4.
    for (let i = 0; i < 4; i++) expect(await held.take('room-1', 'ana', 'session')).toBe('ok');
    expect(await held.take('room-1', 'ana', 'session')).toBe('limited');
    expect(await held.take('room-1', 'ana', 'media')).toBe('ok');
  });

  it('a room that stopped here takes its participants’ budgets with it: nothing is held for them, not even a timer', async () => {
    const held = budgets();
    for (const person of ['ana', 'ben', 'fac']) {
      await held.reconnect('room-1', person);
      await held.take('room-1', person, 'session');
      await held.take('room-1', person, 'media');
    }
    await held.reconnect('room-2', 'cleo');
    expect(vi.getTimerCount()).toBeGreaterThan(0);

    held.forget('room-1', ['ana', 'ben', 'fac']);
    held.forget('room-2', ['cleo']);

    expect(vi.getTimerCount()).toBe(0);
  });

  it('forgetting one room leaves another room’s participants their spent budgets', async () => {
    const held = budgets();
    for (let i = 0; i < 3; i++) await held.reconnect('room-2', 'cleo');
    held.forget('room-1', ['cleo']);
    expect(await held.reconnect('room-2', 'cleo')).toBe(false);
  });
});
