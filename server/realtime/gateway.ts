import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { clientCommandSchema, PROTOCOL_VERSION, syncRequestSchema } from '../../shared/protocol/commands.js';
import { reject, type ErrorCode, type Rejection } from '../../shared/protocol/errors.js';
import { clientEventNames, type Ack, type ClientToServerEvents, type ServerToClientEvents, type SnapshotAck } from '../../shared/protocol/events.js';
import type { TokenSigner } from '../access/tokens.js';
import type { Logger } from '../logger.js';
import type { RoomAudience } from '../rooms/room-actor.js';
import type { RoomDirectory, RoomHandle } from '../rooms/room-directory.js';
import { entryLimiter, EventLimiter, type EventLimits } from './limits.js';

export interface SocketData {
  roomId: string;
  participantId: string;
  role: 'facilitator' | 'member';
  /** When the session token this socket was opened with expires. */
  expiresAt: number;
}

export type HoldspaceServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type HoldspaceSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface GatewayOptions {
  rooms: RoomDirectory;
  signer: TokenSigner;
  logger: Logger;
  /** Origins a browser may connect from; empty accepts any origin (development only). */
  allowedOrigins: string[];
  events: EventLimits;
  /** Handshakes per address and minute. */
  entryPerMinute: number;
  /** How often open sockets are checked against token expiry and removal. */
  recheckMs?: number;
}

/**
 * Extra per-socket event handlers, e.g. media signalling; they share auth and budgets. `events`
 * names what they handle, so those are not answered UNKNOWN_EVENT.
 */
export interface SocketExtension {
  events: readonly string[];
  attach(socket: HoldspaceSocket): void;
}

export const roomChannel = (roomId: string) => `room:${roomId}`;
export const personChannel = (participantId: string) => `person:${participantId}`;


function handshakeError(code: ErrorCode): Error & { data: Rejection } {
  const rejection = reject(code);
  return Object.assign(new Error(rejection.message), { data: rejection });
}

/** The Socket.IO edge: authenticates every handshake, validates every event, and fans state out. */
export function createGateway(http: HttpServer, options: GatewayOptions): { io: HoldspaceServer; extend(extension: SocketExtension): void } {
  const knownEvents = new Set<string>(clientEventNames);
  const { rooms, signer, logger, allowedOrigins } = options;
  const extensions: SocketExtension[] = [];
  const events = new EventLimiter(options.events);
  // Media signalling comes in bursts (joining a full room, recovering from a worker restart) and
  // is spent from its own, larger budget so it cannot starve a person's session commands.
  const mediaEvents = new EventLimiter({ perSecond: options.events.perSecond * 3, burst: options.events.burst * 3 });
  const handshakes = entryLimiter(options.entryPerMinute);
  const io: HoldspaceServer = new Server(http, {
    maxHttpBufferSize: 64 * 1024,
    serveClient: false,
    // A connection that does not complete the Socket.IO handshake soon is dropped.
    connectTimeout: 10_000,
    pingInterval: 10_000,
    pingTimeout: 8_000,
    // Browsers do not apply CORS to WebSockets: check the Origin of every handshake ourselves.
    allowRequest: (request, callback) => {
      const origin = request.headers.origin;
      callback(null, origin === undefined || allowedOrigins.length === 0 || allowedOrigins.includes(origin));
    },
  });

  const audience: RoomAudience = {
    group: (roomId, message) => io.to(roomChannel(roomId)).emit('room', message),
    self: (participantId, message) => io.to(personChannel(participantId)).emit('self', message),
    admitted: (participantId, roomId, snapshot) => {
      io.in(personChannel(participantId)).socketsJoin(roomChannel(roomId));
      io.to(personChannel(participantId)).emit('snapshot', snapshot);
    },
    dismissed: (participantId, code) => {
      const farewell = reject(code);
      io.to(personChannel(participantId)).emit('farewell', { code, message: farewell.message });
      io.in(personChannel(participantId)).disconnectSockets(true);
    },
  };
  rooms.reachThrough(audience);

  io.use((socket, next) => {
    handshakes.consume(socket.handshake.address).then(
      () => authenticate(socket, next),
      () => next(handshakeError('RATE_LIMITED')),
    );
  });

  /**
   * The room each handshake found, so the socket's handlers are in place at once: an event the
   * client sends right after connecting (a command re-sent after a reconnect) must not arrive
   * while its handler is still being set up, or Socket.IO drops it.
   */
  const handshakeRooms = new WeakMap<HoldspaceSocket, RoomHandle>();

  function authenticate(socket: HoldspaceSocket, next: (error?: Error) => void): void {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const protocolRefusal = protocolMismatch(auth.protocol);
    if (protocolRefusal) return next(handshakeError(protocolRefusal));
    const claims = signer.readSession(auth.token);
    if (!claims) return next(handshakeError('UNAUTHENTICATED'));
    rooms.get(claims.room).then(
      (actor) => {
        const person = actor?.state.participants[claims.sub];
        if (!actor || !person) return next(handshakeError('UNAUTHENTICATED'));
        if (person.status === 'removed') return next(handshakeError('REMOVED'));
        if (person.status === 'declined') return next(handshakeError('DECLINED'));
        socket.data = { roomId: actor.id, participantId: person.id, role: person.role, expiresAt: claims.exp };
        handshakeRooms.set(socket, actor);
        next();
      },
      (error: unknown) => {
        logger.warn({ err: error }, 'handshake could not load room');
        next(handshakeError('STORE_UNAVAILABLE'));
      },
    );
  }

  /** Sockets outlive their handshake: expired sessions and removed members are shown out. */
  const recheck = setInterval(() => {
    const now = Date.now();
    for (const socket of io.of('/').sockets.values()) {
      const { expiresAt, roomId, participantId } = socket.data;
      if (expiresAt === undefined) continue;
      void rooms.get(roomId).catch(() => null).then((actor) => {
        const status = actor?.state.participants[participantId]?.status;
        const code: ErrorCode | null = expiresAt <= now ? 'UNAUTHENTICATED' : status === 'removed' ? 'REMOVED' : status === 'declined' ? 'DECLINED' : null;
        if (!code) return;
        socket.emit('farewell', { code, message: reject(code).message });
        socket.disconnect(true);
      });
    }
  }, options.recheckMs ?? 20_000);
  recheck.unref();
  http.once('close', () => clearInterval(recheck));

  io.on('connection', (socket) =>
    void welcome(socket).catch((error: unknown) => {
      logger.warn({ err: error }, 'could not welcome a socket; it will reconnect');
      socket.conn.close();
    }),
  );

  async function welcome(socket: HoldspaceSocket): Promise<void> {
    const { roomId, participantId } = socket.data;
    const actor = handshakeRooms.get(socket) ?? (await rooms.get(roomId));
    handshakeRooms.delete(socket);
    if (!actor) return void socket.disconnect(true);
    if (!socket.connected) return;
    socket.join(personChannel(participantId));
    if (actor.state.participants[participantId]?.status === 'admitted') socket.join(roomChannel(roomId));

    // A session ends when its token does, not at the next periodic re-check: nothing sent after that is handled.
    socket.use((packet, next) => {
      if (socket.data.expiresAt > Date.now()) return next();
      const ack = packet.at(-1);
      if (typeof ack === 'function') ack(reject('UNAUTHENTICATED'));
      socket.emit('farewell', { code: 'UNAUTHENTICATED', message: reject('UNAUTHENTICATED').message });
      socket.disconnect(true);
    });

    // Every incoming event spends from the socket's budget before any handler sees it.
    socket.use((packet, next) => {
      const budget = String(packet[0]).startsWith('media.') ? mediaEvents : events;
      void budget.take(socket.id).then((verdict) => {
        if (verdict === 'ok') return next();
        const ack = packet.at(-1);
        if (typeof ack === 'function') ack(reject('RATE_LIMITED'));
        if (verdict === 'cut') {
          logger.warn({ room: roomId, by: participantId }, 'socket flooding; disconnected');
          socket.disconnect(true);
        }
      });
    });

    socket.onAny((event: string, ...args: unknown[]) => {
      if (knownEvents.has(event)) return;
      const ack = args.at(-1);
      if (typeof ack === 'function') ack(reject('UNKNOWN_EVENT', String(event).slice(0, 40)));
    });

    socket.on('command', (payload: unknown, ack?: unknown) => {
      const answer = typeof ack === 'function' ? (ack as (answer: Ack) => void) : () => undefined;
      const parsed = clientCommandSchema.safeParse(payload);
      if (!parsed.success) return answer(reject('INVALID', describe(parsed.error.issues[0])));
      const command = parsed.data;
      actor.dispatch({ role: socket.data.role, id: participantId }, command).then(
        (result) => {
          // Sealed commands are logged without who sent them: the log must not say who answered feedback.
          if (command.type === 'feedback.submit') logger.debug({ room: roomId, ok: result.ok }, 'feedback answer');
          else logger.debug({ room: roomId, by: participantId, type: command.type, code: result.ok ? undefined : result.code }, 'command');
          answer(result);
        },
        (error: unknown) => {
          logger.error({ room: roomId, err: error }, 'command crashed');
          answer(reject('INTERNAL'));
        },
      );
    });

    socket.on('sync', (payload: unknown, ack?: unknown) => {
      if (typeof ack !== 'function') return;
      const answer = ack as (answer: SnapshotAck) => void;
      if (!syncRequestSchema.safeParse(payload ?? {}).success) return answer(reject('INVALID'));
      void Promise.resolve(actor.snapshot(participantId)).then((snapshot) => answer({ ok: true, ...snapshot }));
    });

    socket.on('disconnect', () => {
      events.forget(socket.id);
      mediaEvents.forget(socket.id);
      actor.disconnected(participantId)?.catch((error: unknown) => logger.error({ err: error }, 'presence update failed'));
    });

    for (const extension of extensions) extension.attach(socket);
    await actor.connected(participantId);
    const snapshot = await actor.snapshot(participantId);
    // Admitted while this socket was being welcomed (on another node, say): it must hear the room.
    if (snapshot.group) socket.join(roomChannel(roomId));
    socket.emit('snapshot', snapshot);
  }

  return {
    io,
    extend: (extension) => {
      for (const name of extension.events) knownEvents.add(name);
      extensions.push(extension);
    },
  };
}

/** Which side of a handshake is out of date, so the client knows whether to reload or to wait. */
export function protocolMismatch(protocol: unknown, server = PROTOCOL_VERSION): ErrorCode | null {
  if (typeof protocol !== 'number' || !Number.isInteger(protocol)) return 'UNSUPPORTED_PROTOCOL';
  if (protocol === server) return null;
  // Protocol 1 pages know only UNSUPPORTED_PROTOCOL as "reload this page"; they retry anything else for ever.
  if (protocol <= 1) return 'UNSUPPORTED_PROTOCOL';
  return protocol < server ? 'CLIENT_TOO_OLD' : 'SERVER_TOO_OLD';
}

function describe(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'invalid payload';
  const where = issue.path.map(String).join('.');
  return (where ? `${where}: ${issue.message}` : issue.message).slice(0, 200);
}
