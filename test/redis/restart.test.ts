import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FacilitatorView, GroupView, MemberView } from '../../shared/session/projection.js';
import { startNode, type NodeProcess } from '../support/cluster.js';
import { command, consistent, group, seatClusterRoom, type ClusterRoom } from '../support/cluster-session.js';
import { until } from '../support/holdspace.js';
import { startRedis, type RunningRedis } from '../support/redis-server.js';

/** What a room is, without who happens to be connected or how many versions that took. */
const theRoom = (view: GroupView) => ({ ...view, version: 0, seats: view.seats.map((seat) => ({ ...seat, presence: 'any', silenced: null })) });

/**
 * The only server is stopped mid-session and started again: every client (the same objects, no
 * page reload) gets back the same room from Redis, and what they sent while it was down lands.
 */
describe('the only server restarts under a running session', () => {
  let redis: RunningRedis;
  let node: NodeProcess;
  let room: ClusterRoom;

  beforeAll(async () => {
    redis = await startRedis();
    node = await startNode({ redisUrl: redis.url, nodeId: 'node-a', env: { GRACE_SECONDS: '60' } });
    room = await seatClusterRoom(node.url, [node.url], ['Ana', 'Ben', 'Chloe', 'Dev']);
  });
  afterAll(async () => {
    room?.everyone.forEach((c) => c.close());
    await node?.destroy();
    await redis?.destroy();
  });

  it('keeps the queue, the scene and the open feedback with its answers across a stop (SIGTERM) and start', async () => {
    const { everyone, facilitator: f, member } = room;
    const run = (who: typeof f.connection, intent: Parameters<typeof who.send>[0]) => command(everyone, who, intent);
    await run(f.connection, { type: 'floor.mode', mode: 'queue' });
    await run(member('Ben').connection, { type: 'hand.raise' });
    await run(member('Dev').connection, { type: 'hand.raise' });
    await run(f.connection, {
      type: 'scene.start',
      title: 'The empty chair',
      cast: [
        { role: 'Me', kind: 'protagonist', memberId: member('Ana').id },
        { role: 'My sister', kind: 'antagonist', memberId: member('Chloe').id },
      ],
    });
    await run(f.connection, { type: 'feedback.open', question: 'What did you notice?', answer: 'text', audience: 'group', k: 3 });
    const promptId = group(f.connection).feedback.open!.id;
    for (const name of ['Ana', 'Ben']) expect((await member(name).connection.send({ type: 'feedback.submit', promptId, text: `marker-${name}` })).ok).toBe(true);
    const before = theRoom(group(f.connection));

    await node.stop('SIGTERM');
    await Promise.all(everyone.map((c) => until(c, (s) => s.status === 'reconnecting')));
    // Dev lowers his hand while the server is down: the client holds it and sends it on reconnect.
    const lowered = member('Dev').connection.send({ type: 'hand.lower' });
    await node.start('node-a-restarted');

    const lowerAck = await lowered;
    expect(lowerAck).toMatchObject({ ok: true });
    await consistent(everyone, 10_000, lowerAck.ok ? lowerAck.version : 0);
    const after = group(f.connection);
    expect(theRoom(after)).toEqual({ ...before, floor: { ...before.floor, queue: [member('Ben').id] } });
    expect(after.scene?.cast.map((part) => part.memberId)).toEqual([member('Ana').id, member('Chloe').id]);
    expect(after.feedback.open?.id).toBe(promptId);
    for (const name of ['Ana', 'Ben']) expect((member(name).connection.snapshot.self as MemberView).feedback?.answered).toBe(true);
    expect((member('Chloe').connection.snapshot.self as MemberView).feedback).toMatchObject({ promptId, answered: false });
    expect(member('Ben').connection.snapshot.group?.floor.queue).toContain(member('Ben').id);
    expect(member('Dev').connection.snapshot.group?.floor.queue).not.toContain(member('Dev').id);

    // The answers given before the restart are still there when the prompt closes.
    expect((await member('Chloe').connection.send({ type: 'feedback.submit', promptId, text: 'marker-Chloe' })).ok).toBe(true);
    expect((await member('Ana').connection.send({ type: 'feedback.submit', promptId, text: 'again' })).ok ? 'accepted' : 'refused').toBe('refused');
    await run(f.connection, { type: 'feedback.close' });
    for (const c of everyone) expect(group(c).feedback.results.at(-1)!.items!.map((item) => item.text).sort()).toEqual(['marker-Ana', 'marker-Ben', 'marker-Chloe']);
    await run(f.connection, { type: 'scene.end' });
  }, 150_000);

  it('keeps a check-in round and its time box across a kill (SIGKILL) and start: the new process ends the turn on time', async () => {
    const { everyone, facilitator: f, member } = room;
    await command(everyone, f.connection, { type: 'round.start', round: { prompt: 'How are you arriving?', order: 'seats', timeBoxSeconds: 10, moodScale: true } });
    await command(everyone, member('Ana').connection, { type: 'turn.done' });
    expect((await member('Ben').connection.send({ type: 'round.rate', rating: 4 })).ok).toBe(true);
    const endsAt = group(f.connection).floor.turn!.endsAt!;
    expect(group(f.connection).round?.current).toBe(member('Ben').id);
    await until(f.connection, (s) => (s.self as FacilitatorView).round?.ratings[member('Ben').id] === 4);
    const before = theRoom(group(f.connection));
    await node.stop('SIGKILL');
    await node.start('node-a-after-kill');
    await consistent(everyone, 15_000);
    // (On a slow machine the restart can outlast the time box; then the turn has ended already.)
    if (Date.now() < endsAt - 500) expect(theRoom(group(f.connection))).toEqual(before);
    expect((f.connection.snapshot.self as FacilitatorView).round?.ratings).toEqual({ [member('Ben').id]: 4 });

    // Ben's time box, set before the kill, still ends his turn, once, at its deadline.
    await Promise.all(everyone.map((c) => until(c, (s) => s.group?.round?.current === member('Chloe').id, 15_000)));
    expect(Date.now()).toBeGreaterThanOrEqual(endsAt);
    await until(f.connection, (s) => (s.self as FacilitatorView).round?.outcomes[member('Ben').id] === 'timed-out');
    expect((f.connection.snapshot.self as FacilitatorView).round?.outcomes).toEqual({ [member('Ana').id]: 'spoke', [member('Ben').id]: 'timed-out' });
    expect(group(f.connection).round?.done).toEqual([member('Ana').id, member('Ben').id]);
  }, 150_000);
});
