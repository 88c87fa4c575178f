import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { RoomConnection, type RoomSnapshot } from '../../client/src/session/connection.js';
import { createHoldspace, type Holdspace, type HoldspaceParts } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import { firstAdmin, type FacilitatorBrowser } from './passkey.js';

export interface RunningHoldspace {
  holdspace: Holdspace;
  url: string;
  facilitatorKey: string;
  createRoom(title?: string): Promise<{ roomId: string; token: string; inviteUrl: string }>;
  /** Enter a room with the facilitator key: as its opener (no body), as a lead coming back ({ facilitatorId }), or as a new co-facilitator ({ name }). */
  facilitate(roomId: string, body?: { facilitatorId: string } | { name: string }): Promise<{ roomId: string; facilitatorId: string; token: string; inviteUrl: string }>;
  /** Ask to join through an invite link, as a member's browser would. */
  join(inviteUrl: string, name: string): Promise<{ roomId: string; memberId: string; token: string }>;
  connect(token: string, options?: Partial<ManagerOptions & SocketOptions>): RoomConnection;
  /** With records (accounts on): the first administrator, signed in (made on first use through the break-glass setup link). */
  facilitator(): Promise<FacilitatorBrowser>;
  /** What a facilitator's request carries: the sign-in cookie with records, else the facilitator key. */
  facilitatorHeaders(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/** A real Holdspace on a free port with its own data folder. */
export async function startHoldspace(env: Record<string, string> = {}, parts: HoldspaceParts = {}): Promise<RunningHoldspace> {
  const dataDir = await mkdtemp(join(tmpdir(), 'holdspace-test-'));
  // Records only where a test hands its own database in (parts.records): PGlite takes seconds to open.
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', RECORDS_ENABLED: 'false', ...env });
  const holdspace = await createHoldspace(config, { logger: pino({ level: config.logLevel }), ...parts });
  await holdspace.listen();
  const url = holdspace.url();
  const facilitatorKey = holdspace.secrets.facilitatorKey;
  const connections = new Set<RoomConnection>();

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };

  let admin: Promise<FacilitatorBrowser> | null = null;
  // Sockets carry the administrator's cookie once signed in, as the facilitator's browser would.
  let signedIn: FacilitatorBrowser | null = null;
  const facilitator = () => (admin ??= firstAdmin(url, facilitatorKey).then((browser) => (signedIn = browser)));
  const facilitatorHeaders = async (): Promise<Record<string, string>> => (holdspace.accounts ? (await facilitator()).headers : { authorization: `Bearer ${facilitatorKey}` });

  return {
    holdspace,
    url,
    facilitatorKey,
    facilitator,
    facilitatorHeaders,
    createRoom: async (title = 'Tuesday group') =>
      (await post('/api/rooms', { title, facilitatorName: 'Dr. Rivera' }, await facilitatorHeaders())) as {
        roomId: string;
        token: string;
        inviteUrl: string;
      },
    facilitate: async (roomId, body) =>
      (await post(`/api/rooms/${roomId}/facilitate`, body ?? {}, { authorization: `Bearer ${facilitatorKey}` })) as { roomId: string; facilitatorId: string; token: string; inviteUrl: string },
    join: async (inviteUrl, name) => {
      const invite = new URL(inviteUrl).hash.slice(1);
      return (await post('/api/join', { invite, name })) as { roomId: string; memberId: string; token: string };
    },
    connect: (token, options = {}) => {
      const connection = new RoomConnection(url, token, { reconnectionDelay: 50, reconnectionDelayMax: 200, ...(signedIn ? { extraHeaders: signedIn.headers } : {}), ...options });
      connections.add(connection);
      return connection;
    },
    stop: async () => {
      for (const connection of connections) connection.close();
      await holdspace.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolve once the connection's snapshot satisfies `ready`; fail with what it held instead. */
export function until(connection: RoomConnection, ready: (snapshot: RoomSnapshot) => boolean, timeoutMs = 5_000): Promise<RoomSnapshot> {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`condition not met in ${timeoutMs} ms; last snapshot: ${JSON.stringify(connection.snapshot).slice(0, 2000)}`));
    }, timeoutMs);
    unsubscribe = connection.subscribe((snapshot) => {
      if (!ready(snapshot)) return;
      clearTimeout(timer);
      queueMicrotask(() => unsubscribe());
      resolve(snapshot);
    });
  });
}

export interface SeatedRoom {
  roomId: string;
  inviteUrl: string;
  facilitator: RoomConnection;
  facilitatorToken: string;
  members: { name: string; id: string; token: string; connection: RoomConnection }[];
}

/** What seating a room needs of a server, in this process or in a child process. */
export type RoomHost = Pick<RunningHoldspace, 'createRoom' | 'join' | 'connect'>;

/** A room with a connected facilitator and these members joined, admitted and seen by all. */
export async function seatedRoom(server: RoomHost, names: string[], title?: string): Promise<SeatedRoom> {
  const room = await server.createRoom(title);
  const facilitator = server.connect(room.token);
  await until(facilitator, (s) => s.group !== null);
  const members: SeatedRoom['members'] = [];
  for (const name of names) {
    const joined = await server.join(room.inviteUrl, name);
    members.push({ name, id: joined.memberId, token: joined.token, connection: server.connect(joined.token) });
  }
  for (const m of members) {
    const ack = await facilitator.send({ type: 'admit', memberId: m.id });
    if (!ack.ok) throw new Error(`admit failed: ${ack.code}`);
  }
  const everyone = [facilitator, ...members.map((m) => m.connection)];
  await Promise.all(everyone.map((c) => until(c, (s) => s.group?.seats.length === names.length + 1 && s.group.seats.every((seat) => seat.presence === 'online'), 10_000)));
  return { roomId: room.roomId, inviteUrl: room.inviteUrl, facilitator, facilitatorToken: room.token, members };
}
