import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FacilitatorView } from '../../shared/session/projection.js';
import { startNodes, type NodeProcess } from '../support/cluster.js';
import { command, group, recordVersions, seatClusterRoom, type ClusterRoom } from '../support/cluster-session.js';
import { until } from '../support/holdspace.js';
import { startRedis, type RunningRedis } from '../support/redis-server.js';

/**
 * Two server processes on different ports sharing one Redis. The room runs on node B; the
 * facilitator and half the members are connected to node A, so their commands are forwarded
 * and every broadcast crosses nodes. A whole session later, every client has applied exactly
 * the same versions, in the same order, with the same view at each.
 */
describe('two nodes serving one room', () => {
  let redis: RunningRedis;
  let a: NodeProcess;
  let b: NodeProcess;
  let room: ClusterRoom;
  let records: ReturnType<typeof recordVersions>[];

  beforeAll(async () => {
    redis = await startRedis();
    [a, b] = (await startNodes(redis.url, ['node-a', 'node-b'])) as [NodeProcess, NodeProcess];
  });
  afterAll(async () => {
    room?.everyone.forEach((c) => c.close());
    await Promise.all([a?.destroy(), b?.destroy()]);
    await redis?.destroy();
  });

  it('plays a whole session with clients on both nodes, everyone seeing the same versions in the same order', async () => {
    room = await seatClusterRoom(b.url, [a.url, b.url], ['Ana', 'Ben', 'Chloe', 'Dev', 'Eli', 'Fay']);
    const { everyone, facilitator: f, member } = room;
    const fac = f.connection;
    // Clients are spread over both nodes.
    expect(new Set([f, ...room.members].map((p) => p.url))).toEqual(new Set([a.url, b.url]));
    records = everyone.map((connection) => recordVersions(connection));
    const run = (who: typeof fac, intent: Parameters<typeof fac.send>[0]) => command(everyone, who, intent);
    const ids = (...names: string[]) => names.map((name) => member(name).id);

    // Check-in: a rating, a pass, a time box that runs out (the owner's timer), a skip.
    await run(fac, { type: 'phase.go', index: 1 });
    await run(fac, { type: 'round.start', round: { prompt: 'How are you arriving today?', order: 'seats', timeBoxSeconds: 10, moodScale: true } });
    expect((await member('Ana').connection.send({ type: 'round.rate', rating: 7 })).ok).toBe(true);
    await run(member('Ana').connection, { type: 'turn.done' });
    await run(member('Ben').connection, { type: 'round.pass' });
    await Promise.all(everyone.map((c) => until(c, (s) => s.group?.round?.current === member('Dev').id, 15_000)));
    await run(fac, { type: 'round.next' });
    await run(member('Eli').connection, { type: 'turn.done' });
    await run(member('Fay').connection, { type: 'turn.done' });
    await until(fac, (s) => (s.self as FacilitatorView).round?.outcomes[member('Fay').id] === 'spoke');
    expect((fac.snapshot.self as FacilitatorView).round!.outcomes).toEqual({
      [member('Ana').id]: 'spoke',
      [member('Ben').id]: 'passed',
      [member('Chloe').id]: 'timed-out',
      [member('Dev').id]: 'skipped',
      [member('Eli').id]: 'spoke',
      [member('Fay').id]: 'spoke',
    });
    expect((fac.snapshot.self as FacilitatorView).round!.ratings).toEqual({ [member('Ana').id]: 7 });

    // The queue: hands from both nodes, reordered, served, taken back.
    await run(fac, { type: 'phase.go', index: 2 });
    for (const name of ['Ben', 'Dev', 'Ana']) await run(member(name).connection, { type: 'hand.raise' });
    await run(fac, { type: 'queue.reorder', order: ids('Dev', 'Ben', 'Ana') });
    await run(fac, { type: 'floor.next', timeBoxSeconds: 120 });
    await run(member('Eli').connection, { type: 'meToo' });
    await run(member('Dev').connection, { type: 'turn.done' });
    await run(fac, { type: 'floor.grant', to: member('Ana').id });
    await run(fac, { type: 'floor.release' });
    for (const connection of everyone) expect(group(connection).floor.queue).toEqual(ids('Ben'));
    await run(member('Ben').connection, { type: 'hand.lower' });

    // The talking stick, passed round the circle across nodes.
    await run(fac, { type: 'floor.mode', mode: 'stick' });
    await run(fac, { type: 'floor.grant', to: member('Ana').id });
    for (const holder of room.members) await run(holder.connection, { type: 'stick.pass', direction: 'next' });
    expect(group(fac).floor.turn?.holder).toBe(member('Ana').id);
    await run(fac, { type: 'floor.release' });

    // A scene with a reversal, then a sharing round for the audience.
    await run(fac, { type: 'phase.go', index: 3 });
    await run(fac, {
      type: 'scene.start',
      title: 'Telling my father',
      cast: [
        { role: 'Ana', kind: 'protagonist', memberId: member('Ana').id },
        { role: 'Father', kind: 'antagonist', memberId: member('Ben').id },
      ],
    });
    await run(fac, { type: 'scene.reverse', roleA: 0, roleB: 1 });
    await run(fac, { type: 'scene.freeze' });
    await run(fac, { type: 'scene.resume' });
    await run(fac, { type: 'scene.end', sharing: { prompt: 'What did the scene stir in you?', moodScale: false } });
    for (const name of ['Chloe', 'Dev', 'Eli', 'Fay']) await run(member(name).connection, { type: 'turn.done' });

    // Anonymous feedback from members on both nodes, released at close. Meanwhile every command
    // Redis receives is watched: what nodes tell each other must be sealed.
    const monitor = createClient({ url: redis.url });
    await monitor.connect();
    const seen: string[] = [];
    await monitor.monitor((line) => seen.push(String(line)));
    await run(fac, { type: 'phase.go', index: 4 });
    await run(fac, { type: 'feedback.open', question: 'What did you notice?', answer: 'text', audience: 'group', k: 3 });
    const promptId = group(fac).feedback.open!.id;
    const texts = { Ana: 'marker-a', Ben: 'marker-b', Chloe: 'marker-c', Dev: 'marker-d' };
    for (const [name, text] of Object.entries(texts)) expect((await member(name).connection.send({ type: 'feedback.submit', promptId, text })).ok).toBe(true);
    await run(fac, { type: 'feedback.close' });
    await monitor.close();
    const between = seen.filter((line) => /\] "(PUBLISH|XADD)" /.test(line));
    expect(between.length).toBeGreaterThan(10);
    for (const line of between) {
      expect(line).not.toContain('marker-');
      // (Ids, not names: a three-letter name turns up in base64 by chance.)
      for (const person of room.members) expect(line).not.toContain(person.id);
    }
    const released = everyone.map((c) => JSON.stringify(group(c).feedback.results.at(-1)));
    expect(new Set(released).size).toBe(1);
    expect(group(fac).feedback.results.at(-1)!.items!.map((item) => item.text).sort()).toEqual(Object.values(texts).sort());

    // Check-out.
    await run(fac, { type: 'phase.go', index: 5 });
    const last = group(fac).version;

    // Every client applied every version, one after the other, and saw the same view at each.
    const reference = records[0]!;
    expect(reference.versions.length).toBeGreaterThan(40);
    for (const [i, record] of records.entries()) {
      expect(record.versions.at(-1), `client ${i}`).toBe(last);
      expect(record.versions, `client ${i}`).toEqual(reference.versions);
      for (const [k, version] of record.versions.entries()) {
        if (k > 0) expect(version, `client ${i}: a gap after ${record.versions[k - 1]}`).toBe(record.versions[k - 1]! + 1);
        expect(record.views.get(version), `client ${i} at version ${version}`).toBe(reference.views.get(version));
      }
    }
  }, 150_000);
});
