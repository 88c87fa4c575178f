import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { RoomSocket } from '../../../client/src/session/connection.js';

export type Handshake = { connected: RoomSocket } | { refused: string };

/** One Socket.IO handshake with exactly these credentials and headers, no retries. */
export function handshake(url: string, auth: unknown, options: Partial<ManagerOptions & SocketOptions> & { origin?: string } = {}): Promise<Handshake> {
  const { origin, ...rest } = options;
  const socket: RoomSocket = io(url, {
    auth: auth as Record<string, unknown>,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 5_000,
    ...(origin ? { extraHeaders: { origin } } : {}),
    ...rest,
  });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ connected: socket }));
    socket.once('connect_error', (error) => {
      socket.close();
      resolve({ refused: (error as Error & { data?: { code?: string } }).data?.code ?? `transport: ${error.message}` });
    });
  });
}

/** A connected socket for these credentials; fails if the server refuses. */
export async function openSocket(url: string, auth: unknown, options: Partial<ManagerOptions & SocketOptions> & { origin?: string } = {}): Promise<RoomSocket> {
  const outcome = await handshake(url, auth, options);
  if ('refused' in outcome) throw new Error(`handshake refused: ${outcome.refused}`);
  return outcome.connected;
}

/** The same socket as Socket.IO's untyped client, to emit anything, however malformed; the protocol's types would not allow it. */
export const untyped = (socket: RoomSocket): Socket => socket;

/** Emit and wait for the acknowledgement, or 'no answer' after the timeout. */
export function ask(socket: RoomSocket, event: string, payload: unknown, timeoutMs = 5_000): Promise<unknown> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('no answer'), timeoutMs);
    untyped(socket).emit(event, payload, (answer: unknown) => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

/** Resolves with the reason once the socket is disconnected (at once if it already is). */
export function disconnection(socket: RoomSocket): Promise<string> {
  if (!socket.connected) return Promise.resolve('already disconnected');
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}

export type RawAttempt = { refused: string; answeredAfter: unknown } | { answered: unknown };

/**
 * Try to send one event on a bare WebSocket with these credentials: join the namespace, then send
 * the event anyway (also after a refusal) and see whether anything answers it.
 */
export async function rawAttempt(url: string, auth: unknown, event: string, payload: unknown, origin?: string): Promise<RawAttempt> {
  const { RawEngine } = await import('./raw-engine.js');
  const engine = new RawEngine(url, origin ? { origin } : {});
  try {
    if (!(await engine.opened)) return { refused: 'transport: handshake refused', answeredAfter: null };
    const joined = await engine.connect(auth);
    engine.send(`421${JSON.stringify([event, payload])}`);
    const ack = await engine.next((frame) => frame.startsWith('431'), joined?.startsWith('40') ? 5_000 : 300);
    const answer = ack ? (JSON.parse(ack.slice(3)) as unknown[])[0] : null;
    if (joined?.startsWith('44')) return { refused: (JSON.parse(joined.slice(2)) as { data?: { code?: string } }).data?.code ?? 'refused', answeredAfter: answer };
    if (joined === null) return { refused: 'transport: closed before joining', answeredAfter: answer };
    return { answered: answer };
  } finally {
    engine.close();
  }
}
