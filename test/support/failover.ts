import { expect } from 'vitest';
import type { Ack } from '../../shared/protocol/events.js';
import type { FacilitatorView } from '../../shared/session/projection.js';
import type { Balancer, NodeProcess } from './cluster.js';
import { command, consistent, group, seatClusterRoom } from './cluster-session.js';

export const RECOVERY_LIMIT_MS = 10_000;

/** Two nodes behind a balancer, and a way to read which node holds a room's lease. */
export interface FailoverStage {
  nodes: NodeProcess[];
  balancer: Balancer;
  holder(roomId: string): Promise<string | null>;
}

let restarts = 0;

/**
 * The node running a room dies in the middle of a check-in round with a feedback prompt open,
 * while commands are in flight. Clients (behind the balancer, spread over both nodes) reconnect
 * to the other node, which takes the room over from Redis. Every client is back and consistent
 * within 10 s, and nothing sent is lost or applied twice. Run `run` makes node `run % 2` the
 * owner; the dead node is started again afterwards under a new id. Resolves with the recovery time.
 */
export async function failover(stage: FailoverStage, signal: 'SIGTERM' | 'SIGKILL', run: number): Promise<number> {
  const owner = stage.nodes[run % 2]!;
  const survivor = stage.nodes[(run + 1) % 2]!;
  const room = await seatClusterRoom(owner.url, [stage.balancer.url], ['Ana', 'Ben', 'Chloe', 'Dev', 'Eve']);
  const { everyone, facilitator: f, member } = room;
  try {
    expect(await stage.holder(room.roomId)).toBe(owner.nodeId);
    await command(everyone, f.connection, { type: 'round.start', round: { prompt: 'How are you arriving?', order: 'seats', timeBoxSeconds: 120, moodScale: false } });
    await command(everyone, member('Ana').connection, { type: 'turn.done' });
    await command(everyone, f.connection, { type: 'feedback.open', question: 'What did you notice?', answer: 'text', audience: 'group', k: 3 });
    const promptId = group(f.connection).feedback.open!.id;
    expect((await member('Ana').connection.send({ type: 'feedback.submit', promptId, text: `marker-${run}-Ana` })).ok).toBe(true);
    expect((await member('Eve').connection.send({ type: 'feedback.submit', promptId, text: `marker-${run}-Eve` })).ok).toBe(true);
    expect(group(f.connection).round?.current).toBe(member('Ben').id);

    // Commands leave, and the node dies while they are on their way or just applied.
    const inFlight: Promise<Ack>[] = [
      member('Ben').connection.send({ type: 'turn.done' }),
      member('Chloe').connection.send({ type: 'feedback.submit', promptId, text: `marker-${run}-Chloe` }),
      member('Dev').connection.send({ type: 'hand.raise' }),
    ];
    await new Promise((resolve) => setTimeout(resolve, run % 3));
    const killedAt = Date.now();
    const stopped = owner.stop(signal);
    // And one more while the room has no node.
    inFlight.push(member('Eve').connection.send({ type: 'hand.raise' }));
    await stopped;

    const acks = await Promise.all(inFlight);
    expect(acks.map((ack) => (ack.ok ? 'ok' : ack.code))).toEqual(['ok', 'ok', 'ok', 'ok']);
    const acked = Math.max(...acks.map((ack) => (ack.ok ? ack.version : 0)));
    const took = (await consistent(everyone, RECOVERY_LIMIT_MS, acked)) - killedAt;
    expect(took).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(await stage.holder(room.roomId)).toBe(survivor.nodeId);

    // Nothing lost, nothing applied twice: one turn moved on, each hand once, each answer once.
    const view = group(f.connection);
    expect(view.round?.done).toEqual([member('Ana').id, member('Ben').id]);
    expect(view.round?.current).toBe(member('Chloe').id);
    expect([...view.floor.queue].sort()).toEqual([member('Dev').id, member('Eve').id].sort());
    expect((f.connection.snapshot.self as FacilitatorView).round?.outcomes).toEqual({ [member('Ana').id]: 'spoke', [member('Ben').id]: 'spoke' });
    await command(everyone, f.connection, { type: 'round.next' });
    expect(group(f.connection).round?.current).toBe(member('Dev').id);
    await command(everyone, f.connection, { type: 'feedback.close' });
    for (const c of everyone) {
      expect(group(c).feedback.results.at(-1)!.items!.map((item) => item.text).sort()).toEqual([`marker-${run}-Ana`, `marker-${run}-Chloe`, `marker-${run}-Eve`]);
    }
    return took;
  } finally {
    everyone.forEach((c) => c.close());
    if (!owner.running) await owner.start(`${owner.nodeId.replace(/-\d+$/, '')}-${++restarts}`);
  }
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
