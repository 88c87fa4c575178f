import type { Intent, RoomConnection } from '../../client/src/session/connection.js';
import type { Ack } from '../../shared/protocol/events.js';
import type { GroupView } from '../../shared/session/projection.js';
import { connectTo, createRoomAt, joinAt } from './cluster.js';
import { until } from './holdspace.js';

export interface Person {
  name: string;
  id: string;
  token: string;
  /** Where this person's client connects (a node, or the balancer). */
  url: string;
  connection: RoomConnection;
}

export interface ClusterRoom {
  roomId: string;
  inviteUrl: string;
  facilitator: Person;
  members: Person[];
  everyone: RoomConnection[];
  member(name: string): Person;
}

/**
 * A room created on `apiUrl`, with a facilitator and members admitted. Person i connects to
 * `urls[i % urls.length]` (the facilitator is person 0), so clients are spread over the nodes.
 */
export async function seatClusterRoom(apiUrl: string, urls: string[], names: string[]): Promise<ClusterRoom> {
  const room = await createRoomAt(apiUrl);
  const url = (i: number) => urls[i % urls.length]!;
  const facilitatorConnection = connectTo(url(0), room.token);
  const facilitator: Person = { name: 'Dr. Rivera', id: '', token: room.token, url: url(0), connection: facilitatorConnection };
  await until(facilitatorConnection, (s) => s.group !== null, 10_000);
  facilitator.id = facilitatorConnection.snapshot.group!.seats[0]!.id;
  const members: Person[] = [];
  for (const [i, name] of names.entries()) {
    const joined = await joinAt(url(i + 1), room.inviteUrl, name);
    members.push({ name, id: joined.memberId, token: joined.token, url: url(i + 1), connection: connectTo(url(i + 1), joined.token) });
  }
  for (const m of members) {
    const ack = await facilitatorConnection.send({ type: 'admit', memberId: m.id });
    if (!ack.ok) throw new Error(`admit failed: ${ack.code}`);
  }
  const everyone = [facilitatorConnection, ...members.map((m) => m.connection)];
  await Promise.all(
    everyone.map((c) => until(c, (s) => s.group?.seats.length === names.length + 1 && s.group.seats.every((seat) => seat.presence === 'online'), 10_000)),
  );
  return {
    roomId: room.roomId,
    inviteUrl: room.inviteUrl,
    facilitator,
    members,
    everyone,
    member: (name) => members.find((m) => m.name === name)!,
  };
}

export const group = (connection: RoomConnection) => connection.snapshot.group as GroupView;

/** Send, insist on ok, and wait until every connection holds the new version. */
export async function command(everyone: RoomConnection[], connection: RoomConnection, intent: Intent): Promise<Extract<Ack, { ok: true }>> {
  const ack = await connection.send(intent);
  if (!ack.ok) throw new Error(`${intent.type} refused: ${JSON.stringify(ack)}`);
  await Promise.all(everyone.map((c) => until(c, (s) => (s.group?.version ?? 0) >= ack.version, 10_000)));
  return ack;
}

/**
 * Every client online, nothing unacknowledged, all at the same version (at least `atLeastVersion`:
 * an acknowledgement may arrive before the broadcast of its version) with the same group view.
 * Resolves with the time it became true.
 */
export async function consistent(everyone: RoomConnection[], timeoutMs = 10_000, atLeastVersion = 0): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const views = everyone.map((c) => c.snapshot);
    const first = views[0]!.group;
    const same =
      first !== null &&
      first.version >= atLeastVersion &&
      views.every((s) => s.status === 'online' && s.pending === 0 && s.group !== null && JSON.stringify(s.group) === JSON.stringify(first)) &&
      first.seats.every((seat) => seat.presence === 'online');
    if (same) return Date.now();
    if (Date.now() > deadline) {
      const summary = views.map((s) => ({ status: s.status, pending: s.pending, version: s.group?.version, away: s.group?.seats.filter((x) => x.presence !== 'online').map((x) => x.name) }));
      throw new Error(`clients not consistent within ${timeoutMs} ms: ${JSON.stringify(summary)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The versions a client applied, in order, with the group view it held at each. */
export function recordVersions(connection: RoomConnection): { versions: number[]; views: Map<number, string> } {
  const record = { versions: [] as number[], views: new Map<number, string>() };
  connection.subscribe((snapshot) => {
    const view = snapshot.group;
    if (!view || record.versions.at(-1) === view.version) return;
    record.versions.push(view.version);
    record.views.set(view.version, JSON.stringify(view));
  });
  return record;
}
