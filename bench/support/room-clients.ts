import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../shared/protocol/commands.js';
import type { GroupView } from '../../shared/session/projection.js';

export type RawSocket = Socket;

export function connect(url: string, auth: Record<string, unknown>): Promise<RawSocket> {
  const socket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** POST JSON to the HTTP API, with the facilitator key when given; throws on an error status. */
export async function post(url: string, body: unknown, key?: string): Promise<Record<string, string>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, string>;
}

export interface BenchRoom {
  facilitator: RawSocket;
  members: RawSocket[];
  memberIds: string[];
  /** The group view as the facilitator last saw it. */
  group(): GroupView;
  close(): void;
}

let sequence = 0;
export const benchCommandId = () => `bench-${process.pid}-${++sequence}`;

/** A Holdspace room with a facilitator and `size` admitted members, all on raw Socket.IO sockets. */
export async function openRoom(url: string, facilitatorKey: string, size: number): Promise<BenchRoom> {
  const room = await post(`${url}/api/rooms`, { title: 'Bench group' }, facilitatorKey);
  const facilitator = await connect(url, { protocol: PROTOCOL_VERSION, token: room.token });
  let group: GroupView | null = null;
  facilitator.on('snapshot', (snapshot: { group: GroupView }) => (group = snapshot.group));
  facilitator.on('room', (message: { group: GroupView }) => (group = message.group));
  const invite = new URL(room.inviteUrl!).hash.slice(1);
  const members: RawSocket[] = [];
  const memberIds: string[] = [];
  for (let i = 0; i < size; i++) {
    const joined = await post(`${url}/api/join`, { invite, name: `Member ${i + 1}` });
    memberIds.push(joined.memberId!);
    members.push(await connect(url, { protocol: PROTOCOL_VERSION, token: joined.token }));
    const ack = await facilitator.emitWithAck('command', { id: benchCommandId(), type: 'admit', memberId: joined.memberId });
    if (!ack.ok) throw new Error(`admit: ${ack.code}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  return {
    facilitator,
    members,
    memberIds,
    group: () => group!,
    close: () => [facilitator, ...members].forEach((socket) => socket.close()),
  };
}

/** Resolve when every socket has received a `room` message with at least this version. */
export function arrivals(sockets: RawSocket[], version: number): Promise<number> {
  return new Promise((resolve) => {
    let waiting = sockets.length;
    for (const socket of sockets) {
      const listener = (message: { group: { version: number } }) => {
        if (message.group.version < version) return;
        socket.off('room', listener);
        if (--waiting === 0) resolve(performance.now());
      };
      socket.on('room', listener);
    }
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarise(samples: number[]): { p50: number; p99: number; mean: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, n: sorted.length };
}
