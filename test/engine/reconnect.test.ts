import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandId, type RoomConnection } from '../../client/src/session/connection.js';
import type { ClientCommand } from '../../shared/protocol/commands.js';
import type { FacilitatorView, GroupView, MemberView } from '../../shared/session/projection.js';
import { seatedRoom, startHoldspace, until, type RunningHoldspace, type SeatedRoom } from '../support/holdspace.js';

/** Cut a connection as a network drop would, and keep it down until `restore` is called. */
function drop(connection: RoomConnection): { restore(): Promise<void> } {
  const socket = connection.socket;
  const down = socket.connected ? new Promise<void>((resolve) => socket.once('disconnect', () => resolve())) : Promise.resolve();
  socket.io.reconnection(false);
  socket.io.engine.close();
  return {
    async restore() {
      await down;
      socket.io.reconnection(true);
      socket.connect();
    },
  };
}

describe('a member whose connection drops', () => {
  let server: RunningHoldspace;
  let room: SeatedRoom;
  const group = (connection: RoomConnection) => connection.snapshot.group as GroupView;

  beforeAll(async () => {
    server = await startHoldspace({ GRACE_SECONDS: '30' });
    room = await seatedRoom(server, ['Ana', 'Ben', 'Chloe']);
  });
  afterAll(async () => server?.stop());

  it('keeps seat and queue place while away, and is whole again on reconnect without applying anything twice', async () => {
    const { facilitator, members } = room;
    const [ana, ben] = members as [SeatedRoom['members'][0], SeatedRoom['members'][0]];
    expect((await facilitator.send({ type: 'floor.mode', mode: 'queue' })).ok).toBe(true);
    expect((await facilitator.send({ type: 'feedback.open', question: 'One thing you noticed?', answer: 'text', audience: 'group', k: 3 })).ok).toBe(true);
    await until(ana.connection, (s) => s.group?.feedback.open !== null);
    const promptId = group(facilitator).feedback.open!.id;
    expect((await ana.connection.send({ type: 'hand.raise' })).ok).toBe(true);

    const link = drop(ana.connection);
    await until(facilitator, (s) => s.group?.seats.find((seat) => seat.id === ana.id)?.presence === 'away');
    // Away, not gone: her seat and her place in the queue wait for her.
    expect(group(facilitator).seats.map((seat) => seat.id)).toContain(ana.id);
    expect(group(facilitator).floor.queue).toEqual([ana.id]);

    // While she is offline, she acts, and the room moves on without her.
    const lower = ana.connection.send({ type: 'hand.lower' });
    const raise = ana.connection.send({ type: 'hand.raise' });
    const answer = ana.connection.send({ type: 'feedback.submit', promptId, text: 'marker-offline-answer' });
    expect(ana.connection.snapshot.pending).toBe(3);
    expect((await ben.connection.send({ type: 'hand.raise' })).ok).toBe(true);
    expect((await facilitator.send({ type: 'queue.reorder', order: [ben.id, ana.id] })).ok).toBe(true);
    const versionWhileAway = group(facilitator).version;
    expect(group(ana.connection).version).toBeLessThan(versionWhileAway);

    await link.restore();
    const acks = await Promise.all([lower, raise, answer]);
    expect(acks.map((ack) => ack.ok)).toEqual([true, true, true]);
    const latest = Math.max(...acks.map((ack) => (ack.ok ? ack.version : 0)));
    await until(ana.connection, (s) => s.status === 'online' && (s.group?.version ?? 0) >= latest);
    await until(facilitator, (s) => (s.group?.version ?? 0) >= latest);
    // Whole again: the same view as everyone else, with no page reload.
    expect(group(ana.connection)).toEqual(group(facilitator));
    expect(group(facilitator).seats.find((seat) => seat.id === ana.id)?.presence).toBe('online');
    expect(group(facilitator).floor.queue.filter((id) => id === ana.id)).toHaveLength(1);
    expect((ana.connection.snapshot.self as MemberView).feedback?.answered).toBe(true);
    expect(ana.connection.snapshot.pending).toBe(0);
  });

  it('answers a retried command as a duplicate and applies it once', async () => {
    const { facilitator, members } = room;
    const chloe = members[2]!;
    const raise: ClientCommand = { id: commandId(), type: 'hand.raise' };
    const first = await chloe.connection.resend(raise);
    const retried = await chloe.connection.resend(raise);
    expect(first).toMatchObject({ ok: true });
    expect(retried).toMatchObject({ ok: true, duplicate: true, version: first.ok ? first.version : -1 });
    await until(facilitator, (s) => s.group?.floor.queue.includes(chloe.id) ?? false);
    expect(group(facilitator).floor.queue.filter((id) => id === chloe.id)).toHaveLength(1);

    // Lower, then a late duplicate of the old raise: the hand stays down.
    expect((await chloe.connection.send({ type: 'hand.lower' })).ok).toBe(true);
    expect(await chloe.connection.resend(raise)).toMatchObject({ ok: true, duplicate: true });
    const latest = group(facilitator).version;
    await until(chloe.connection, (s) => (s.group?.version ?? 0) >= latest);
    expect(group(facilitator).floor.queue).not.toContain(chloe.id);
  });

  it('counts an answer sent twice across a drop as one when the feedback is released', async () => {
    const { facilitator, members } = room;
    const ben = members[1]!;
    const promptId = group(facilitator).feedback.open!.id;
    const submit: ClientCommand = { id: commandId(), type: 'feedback.submit', promptId, text: 'marker-ben-answer' };
    // The answer leaves, the link drops at once, and the client sends it again on reconnect.
    const sent = ben.connection.resend(submit);
    await drop(ben.connection).restore();
    expect(await sent).toMatchObject({ ok: true });
    expect(await ben.connection.resend(submit)).toMatchObject({ ok: true, duplicate: true });
    expect(await members[2]!.connection.send({ type: 'feedback.submit', promptId, text: 'marker-chloe-answer' })).toMatchObject({ ok: true });

    expect((await facilitator.send({ type: 'feedback.close' })).ok).toBe(true);
    await until(ben.connection, (s) => s.group?.feedback.open === null);
    const result = group(ben.connection).feedback.results.at(-1)!;
    expect(result.status).toBe('released');
    expect(result.items!.map((item) => item.text).sort()).toEqual(['marker-ben-answer', 'marker-chloe-answer', 'marker-offline-answer']);
    expect((facilitator.snapshot.self as FacilitatorView).role).toBe('facilitator');
  });

  it('asks for a snapshot when it sees a gap in versions', async () => {
    const { facilitator, members } = room;
    const chloe = members[2]!;
    const held = group(chloe.connection).version;
    // Forge a gap: a view two versions ahead arrives; the client must not apply it but resync.
    const ahead = { ...group(chloe.connection), version: held + 2, title: 'forged' };
    (chloe.connection.socket as unknown as { emitReserved?: unknown; listeners(event: string): ((...args: unknown[]) => void)[] })
      .listeners('room')
      .forEach((listener) => listener({ serverTime: Date.now(), group: ahead }));
    await until(chloe.connection, (s) => s.group?.title !== 'forged' && s.group?.version === group(facilitator).version);
    expect(group(chloe.connection).title).toBe(group(facilitator).title);
  });
});
