import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandId } from '../../client/src/session/connection.js';
import type { ClientCommand } from '../../shared/protocol/commands.js';
import type { Ack } from '../../shared/protocol/events.js';
import type { FacilitatorView, GroupView, MemberView } from '../../shared/session/projection.js';
import { roomKeys } from '../../server/redis/redis-keys.js';
import { startNodes, type NodeProcess } from '../support/cluster.js';
import { command, consistent, group, recordVersions, seatClusterRoom, type ClusterRoom } from '../support/cluster-session.js';
import { until } from '../support/holdspace.js';
import { startRedis, type RunningRedis } from '../support/redis-server.js';

/** Longer than a room lease (5 s): every lease has lapsed by the time Redis is back. */
const OUTAGE_MS = 6_000;

/**
 * Redis dies (SIGKILL) and comes back under a running session on two nodes. While it is away,
 * commands are refused with STORE_UNAVAILABLE and nothing is half-applied; once it is back, the
 * nodes resume by themselves (reconnect, resubscribe, leases taken again) and the room is intact.
 */
describe('Redis restarted under a running session', () => {
  let redis: RunningRedis;
  let a: NodeProcess;
  let b: NodeProcess;
  let room: ClusterRoom;

  beforeAll(async () => {
    redis = await startRedis();
    [a, b] = (await startNodes(redis.url, ['node-a', 'node-b'])) as [NodeProcess, NodeProcess];
    room = await seatClusterRoom(a.url, [a.url, b.url], ['Ana', 'Ben', 'Chloe', 'Dev']);
  });
  afterAll(async () => {
    room?.everyone.forEach((c) => c.close());
    await Promise.all([a?.destroy(), b?.destroy()]);
    await redis?.destroy();
  });

  it('refuses commands while Redis is away, changes nothing, and resumes by itself with the room intact', async () => {
    const { everyone, facilitator: f, member } = room;
    const run = (who: typeof f.connection, intent: Parameters<typeof who.send>[0]) => command(everyone, who, intent);
    await run(f.connection, { type: 'round.start', round: { prompt: 'How are you arriving?', order: 'seats', timeBoxSeconds: 300, moodScale: true } });
    await run(member('Ana').connection, { type: 'turn.done' });
    await run(member('Dev').connection, { type: 'hand.raise' });
    await run(f.connection, { type: 'feedback.open', question: 'What did you notice?', answer: 'text', audience: 'group', k: 3 });
    const promptId = group(f.connection).feedback.open!.id;
    expect((await member('Ana').connection.send({ type: 'feedback.submit', promptId, text: 'marker-before' })).ok).toBe(true);
    expect((await member('Ben').connection.send({ type: 'round.rate', rating: 6 })).ok).toBe(true);
    await until(f.connection, (s) => (s.self as FacilitatorView).round?.ratings[member('Ben').id] === 6);
    const before = group(f.connection);
    const records = everyone.map((connection) => recordVersions(connection));

    await redis.stop('SIGKILL');
    const downAt = Date.now();
    // Members on both nodes (Ben on A runs it, Ana on B forwards it): refused at once, coded.
    const anaRaise: ClientCommand = { id: commandId(), type: 'hand.raise' };
    const refused: Ack[] = await Promise.all([
      member('Ben').connection.send({ type: 'turn.done' }),
      member('Ana').connection.resend(anaRaise),
      f.connection.send({ type: 'round.next' }),
      member('Chloe').connection.send({ type: 'feedback.submit', promptId, text: 'marker-during' }),
    ]);
    expect(refused.map((ack) => (ack.ok ? 'ok' : ack.code))).toEqual(['STORE_UNAVAILABLE', 'STORE_UNAVAILABLE', 'STORE_UNAVAILABLE', 'STORE_UNAVAILABLE']);
    expect(Date.now() - downAt).toBeLessThan(4_000);
    // The clients stay connected and nobody saw anything change.
    for (const c of everyone) {
      expect(c.snapshot.status).toBe('online');
      expect(group(c)).toEqual(before);
    }

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - downAt))));
    await redis.start();
    const upAt = Date.now();

    // Service resumes by itself: Ben's turn ends as soon as a command gets through again.
    let resumed: Ack = { ok: false, code: 'STORE_UNAVAILABLE', message: '' };
    while (!resumed.ok && Date.now() - upAt < 10_000) {
      resumed = await member('Ben').connection.send({ type: 'turn.done' });
      if (!resumed.ok) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(resumed).toMatchObject({ ok: true });
    console.log(`Redis restart: commands accepted again ${Date.now() - upAt} ms after Redis was back (outage ${upAt - downAt} ms)`);

    // No corruption: what was there before is still there, and nothing refused was applied.
    await consistent(everyone, 10_000, resumed.ok ? resumed.version : 0);
    const after = group(f.connection);
    expect(after.round?.done).toEqual([member('Ana').id, member('Ben').id]);
    expect(after.round?.current).toBe(member('Chloe').id);
    expect(after.floor.queue).toEqual([member('Dev').id]);
    expect(after.feedback.open?.id).toBe(promptId);
    // The same people in the same seats; who is silenced moved on with the round (it holds the stick).
    expect(after.seats.map(({ silenced: _moved, ...seat }) => seat)).toEqual(before.seats.map(({ silenced: _moved, ...seat }) => seat));
    expect((f.connection.snapshot.self as FacilitatorView).round?.ratings).toEqual({ [member('Ben').id]: 6 });
    expect((member('Chloe').connection.snapshot.self as MemberView).feedback).toMatchObject({ promptId, answered: false });
    // Versions went on from where they were, with no gap, on both nodes.
    for (const record of records) {
      expect(record.versions[0]).toBe(before.version);
      expect(record.versions).toEqual(Array.from({ length: record.versions.length }, (_, i) => before.version + i));
    }

    // A refused command sent again (same id) is applied once; forwarding and broadcasts work both ways.
    // (On a slow machine the client may re-emit it before the first answer arrives: then the answer it
    // gets is the duplicate's. Either way it is applied once: Ana's hand is up once.)
    expect(await member('Ana').connection.resend(anaRaise)).toMatchObject({ ok: true });
    expect(await member('Ana').connection.resend(anaRaise)).toMatchObject({ ok: true, duplicate: true });
    await until(f.connection, (s) => s.group?.floor.queue.includes(member('Ana').id) ?? false);
    expect(group(f.connection).floor.queue).toEqual([member('Dev').id, member('Ana').id]);
    expect((await member('Chloe').connection.send({ type: 'feedback.submit', promptId, text: 'marker-after' })).ok).toBe(true);
    expect((await member('Ben').connection.send({ type: 'feedback.submit', promptId, text: 'marker-after-too' })).ok).toBe(true);
    await run(f.connection, { type: 'feedback.close' });
    for (const c of everyone) {
      const view: GroupView = group(c);
      expect(view.floor.queue).toEqual([member('Dev').id, member('Ana').id]);
      expect(view.feedback.results.at(-1)!.items!.map((item) => item.text).sort()).toEqual(['marker-after', 'marker-after-too', 'marker-before']);
    }

    // The stored room is whole: one hash of state, its answers gone with the closed prompt.
    const inspect = createClient({ url: redis.url });
    await inspect.connect();
    const keys = roomKeys(room.roomId);
    expect(Number(await inspect.hGet(keys.state, 'version'))).toBe(group(f.connection).version);
    expect(await inspect.exists([keys.feedbackItems, keys.feedbackSubmitters])).toBe(0);
    expect([a.nodeId, b.nodeId]).toContain(await inspect.get(keys.owner));
    await inspect.close();
  }, 150_000);
});
