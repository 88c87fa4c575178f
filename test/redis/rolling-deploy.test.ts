import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomKeys } from '../../server/redis/redis-keys.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/commands.js';
import { STATE_SCHEMA } from '../../shared/session/migrations.js';
import type { GroupView } from '../../shared/session/projection.js';
import { connectTo, createRoomAt, joinAt, startNode, type NodeProcess } from '../support/cluster.js';
import { until } from '../support/holdspace.js';
import { checkOutPreviousRelease, PreviousClient, PREVIOUS_RELEASE, type ReleaseTree } from '../support/previous-release.js';
import { startRedis, type RunningRedis } from '../support/redis-server.js';

const eventually = async (check: () => boolean, what: string, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

/**
 * A rolling deploy: a node of the previous release (state without a schema, protocol 1) and a
 * node of this one share Redis while a session runs. The old node runs the room; a member on
 * the new node is forwarded to it; then the old node is stopped and the new one takes the room
 * over from what the old one wrote, migrating it. No one is left with a broken page.
 */
describe('a rolling deploy from the previous release', () => {
  let redis: RunningRedis;
  let tree: ReleaseTree;
  let old: NodeProcess;
  let fresh: NodeProcess;
  const clients: { close(): void }[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    tree = await checkOutPreviousRelease();
    [old, fresh] = await Promise.all([
      startNode({ redisUrl: redis.url, nodeId: 'old-release', root: tree.root }),
      startNode({ redisUrl: redis.url, nodeId: 'new-release' }),
    ]);
  });
  afterAll(async () => {
    clients.forEach((client) => client.close());
    await Promise.all([old?.destroy(), fresh?.destroy()]);
    await redis?.destroy();
    await tree?.remove();
  });

  it('keeps the session whole: old state migrated on takeover, old pages told to reload, new pages carried over', async () => {
    expect(PROTOCOL_VERSION).toBeGreaterThan(PREVIOUS_RELEASE.protocol);
    const room = await createRoomAt(old.url);
    const facilitator = new PreviousClient(old.url, room.token);
    clients.push(facilitator);
    const oldMembers: { name: string; id: string; token: string; page: PreviousClient }[] = [];
    for (const name of ['Ana', 'Ben', 'Chloe']) {
      const joined = await joinAt(old.url, room.inviteUrl, name);
      const page = new PreviousClient(old.url, joined.token);
      clients.push(page);
      oldMembers.push({ name, id: joined.memberId, token: joined.token, page });
    }
    // Dev's page was loaded from the new node: protocol 2, its commands forwarded to the old owner.
    const dev = await joinAt(fresh.url, room.inviteUrl, 'Dev');
    const devPage = connectTo(fresh.url, dev.token);
    clients.push(devPage);
    await eventually(() => facilitator.group !== null, 'the facilitator sees the room');
    for (const id of [...oldMembers.map((m) => m.id), dev.memberId]) expect(await facilitator.send({ type: 'admit', memberId: id })).toMatchObject({ ok: true });
    await until(devPage, (s) => s.group?.seats.length === 5);

    // A check-in under way: Ana has spoken, Ben holds the stick; Dev (new page) has rated.
    expect(await facilitator.send({ type: 'round.start', round: { prompt: 'How are you arriving?', order: 'seats', moodScale: true } })).toMatchObject({ ok: true });
    expect(await oldMembers[0]!.page.send({ type: 'turn.done' })).toMatchObject({ ok: true });
    expect(await devPage.send({ type: 'round.rate', rating: 6 })).toMatchObject({ ok: true });
    await until(devPage, (s) => s.group?.round?.current === oldMembers[1]!.id);
    const before = devPage.snapshot.group as GroupView;

    const reader = createClient({ url: redis.url });
    await reader.connect();
    try {
      const written = JSON.parse((await reader.hGet(roomKeys(room.roomId).state, 'json'))!) as Record<string, unknown>;
      expect(written.schema).toBeUndefined();

      // The deploy replaces the old node: it hands its rooms over, and its pages reconnect through
      // the balancer to the new node, which tells them (in the only words they know) to reload.
      await old.stop('SIGTERM');
      const reconnecting = new PreviousClient(fresh.url, oldMembers[1]!.token);
      clients.push(reconnecting);
      await eventually(() => reconnecting.refusal !== null, 'the old page is answered');
      expect(reconnecting.refusal).toBe('UNSUPPORTED_PROTOCOL');

      // Reloaded, the pages run this release and find the session exactly where it was.
      const reloaded = [{ token: room.token }, ...oldMembers].map(({ token }) => connectTo(fresh.url, token));
      clients.push(...reloaded);
      for (const page of reloaded) {
        await until(page, (s) => s.group !== null, 10_000);
        // Schema 4 gave rounds a label (null but for custom rounds): the round itself is where it was.
        expect(page.snapshot.group!.round).toEqual({ ...before.round, label: null });
        expect(page.snapshot.group!.seats.map((seat) => seat.id)).toEqual(before.seats.map((seat) => seat.id));
      }
      // Dev's page never reloaded: it follows the room onto the new owner.
      await until(devPage, (s) => s.status === 'online' && s.group !== null, 10_000);

      // The room runs on: Ben finishes, and the state is now stored in this release's schema.
      const ben = reloaded[2]!;
      expect(await ben.send({ type: 'turn.done' })).toMatchObject({ ok: true });
      for (const page of [...reloaded, devPage]) await until(page, (s) => s.group?.round?.current === oldMembers[2]!.id);
      const migrated = JSON.parse((await reader.hGet(roomKeys(room.roomId).state, 'json'))!) as Record<string, unknown>;
      expect(migrated.schema).toBe(STATE_SCHEMA);
      const facilitatorView = reloaded[0]!.snapshot.self;
      expect(facilitatorView?.role === 'facilitator' && facilitatorView.round?.ratings).toEqual({ [dev.memberId]: 6 });
    } finally {
      await reader.quit();
    }
  });
});
