import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupView } from '../../shared/session/projection.js';
import { seatedRoom, startHoldspace, until, type RunningHoldspace } from '../support/holdspace.js';

describe('ending a session', () => {
  let server: RunningHoldspace;
  beforeAll(async () => {
    server = await startHoldspace({ ENDED_ROOM_MINUTES: '0.02' });
  });
  afterAll(async () => server?.stop());

  it('shows everyone the end, refuses what follows, and forgets the room after the retention time', async () => {
    const room = await seatedRoom(server, ['Ana', 'Ben']);
    const ana = room.members[0]!.connection;
    expect(await room.facilitator.send({ type: 'session.end' })).toMatchObject({ ok: true });
    await until(ana, (s) => s.group?.ended === true);
    expect(await ana.send({ type: 'hand.raise' })).toMatchObject({ ok: false, code: 'SESSION_ENDED' });
    await expect(server.join(room.inviteUrl, 'Late')).rejects.toThrow(/410/);

    const listed = async () => {
      const response = await fetch(`${server.url}/api/rooms`, { headers: { authorization: `Bearer ${server.facilitatorKey}` } });
      return ((await response.json()) as { rooms: { id: string }[] }).rooms.map((r) => r.id);
    };
    expect(await listed()).toContain(room.roomId);
    // 0.02 minutes: the room is unloaded from the process and forgotten by the store.
    const deadline = Date.now() + 5_000;
    while ((await listed()).includes(room.roomId) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await listed()).not.toContain(room.roomId);
    expect(server.holdspace.rooms.loaded).toBe(0);
    expect((ana.snapshot.group as GroupView).ended).toBe(true);
  });
});
