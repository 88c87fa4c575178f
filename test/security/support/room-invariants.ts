import type { SnapshotAck } from '../../../shared/protocol/events.js';
import type { RoomSocket } from '../../../client/src/session/connection.js';

/** What is wrong with a facilitator's snapshot of a room: seats, queue, turn, round and waiting list must agree. */
export function roomInconsistencies(snapshot: SnapshotAck): string[] {
  if (!snapshot.ok) return [`snapshot refused: ${snapshot.code}`];
  const { group, self } = snapshot;
  if (!group) return ['the facilitator has no group view'];
  const problems: string[] = [];
  const seats = group.seats.map((seat) => seat.id);
  const seated = new Set(seats);
  if (seated.size !== seats.length) problems.push('a seat appears twice');
  if (group.seats.filter((seat) => seat.role === 'facilitator').length !== 1) problems.push('not exactly one facilitator seat');
  const queue = group.floor.queue;
  if (new Set(queue).size !== queue.length) problems.push('a hand is queued twice');
  for (const id of queue) if (!seated.has(id)) problems.push(`queued ${id} has no seat`);
  if (group.floor.turn && !seated.has(group.floor.turn.holder)) problems.push('the floor is held by someone without a seat');
  if (group.floor.meToo < 0 || !Number.isInteger(group.floor.meToo)) problems.push('me-too count is not a count');
  if (group.round) for (const id of group.round.speakers) if (!seated.has(id)) problems.push(`round speaker ${id} has no seat`);
  if (self.role === 'facilitator') for (const waiting of self.waiting) if (seated.has(waiting.id)) problems.push(`${waiting.id} is both waiting and seated`);
  if (!Number.isInteger(group.version) || group.version < 1) problems.push('version is not a positive integer');
  return problems;
}

/** The room as the server holds it now, through one socket's snapshot (serverTime left out). */
export async function snapshotThrough(socket: RoomSocket): Promise<{ ack: SnapshotAck; text: string }> {
  const ack = (await socket.timeout(5_000).emitWithAck('sync', {})) as SnapshotAck;
  return { ack, text: ack.ok ? JSON.stringify({ group: ack.group, self: ack.self }) : JSON.stringify(ack) };
}
