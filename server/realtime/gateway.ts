import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { Server, type Socket } from 'socket.io';
import { clientCommandSchema, PROTOCOL_VERSION, syncRequestSchema } from '../../shared/protocol/commands.js';
import { reject, type ErrorCode, type Rejection } from '../../shared/protocol/errors.js';
import { describeIssue } from '../../shared/protocol/issue.js';
import { clientEventNames, type Ack, type ClientToServerEvents, type ServerToClientEvents, type SnapshotAck } from '../../shared/protocol/events.js';
import { shutOut } from '../../shared/session/admission.js';
import type { SessionClaims, TokenSigner } from '../access/tokens.js';
import type { Logger } from '../logger.js';
import type { Tally } from '../operations/metrics.js';
import type { RoomAudience } from '../rooms/room-actor.js';
import type { RoomDirectory, RoomHandle } from '../rooms/room-directory.js';
import { RoomGone } from '../store/room-store.js';
import { EventLimiter, FailureBudget, ParticipantBudgets, personKey, type EventLimits } from './limits.js';

export interface SocketData {
  roomId: string;
  participantId: string;
  role: 'facilitator' | 'member';
  /** When the session token this socket was opened with expires. */
  expiresAt: number;
  /** A facilitator's sign-in (its hash) that must stay live for this socket to stay open; absent without accounts. */
  signIn?: string;
}

/** With accounts: a facilitator's socket needs the live sign-in its token was issued to, of an account that still facilitates the room. */
export interface FacilitatorGate {
  /** The sign-in (its hash) the handshake's cookie proves for these claims, or null. */
  admit(request: IncomingMessage, claims: SessionClaims): Promise<string | null>;
  /** Whether the sign-in is still live (not ended, expired or idle past the limit); undefined when that cannot be told now. */
  alive(signIn: string): Promise<boolean | undefined>;
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
  /** Failed handshakes per address and minute; also each participant's reconnects per minute. */
  entryPerMinute: number;
  /** Sockets one participant may hold open here at once. */
  socketsPerParticipant: number;
  /** How often open sockets are checked against token expiry, removal and leaving. */
  recheckMs?: number;
  /** The client's address for the per-address budgets (behind a trusted proxy, from X-Forwarded-For). */
  addressOf?: (request: IncomingMessage) => string;
  /** Where answers and refusals are counted for the operator. */
  tally?: Tally;
  facilitatorGate?: FacilitatorGate;
}

export interface Gateway {
  io: HoldspaceServer;
  extend(extension: SocketExtension): void;
  /** Facilitators' sockets need a live sign-in from now on (accounts are on). */
  setFacilitatorGate(gate: FacilitatorGate): void;
  /** Resolves once every command received so far is answered; commands arriving later are left unanswered, so clients re-send them to the next server. */
  answerInFlight(): Promise<void>;
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
export function createGateway(http: HttpServer | HttpsServer, options: GatewayOptions): Gateway {
  const knownEvents = new Set<string>(clientEventNames);
  const { rooms, signer, logger, allowedOrigins, tally } = options;
  const addressOf = options.addressOf ?? ((request: IncomingMessage) => request.socket.remoteAddress ?? 'unknown');
  let inFlight = 0;
  let draining = false;
  const settled = new Set<() => void>();
  const extensions: SocketExtension[] = [];
  const events = new EventLimiter(options.events);
  // Media signalling comes in bursts (joining a full room, recovering from a worker restart) and
  // is spent from its own, larger budget so it cannot starve a person's session commands.
  const mediaEvents = new EventLimiter({ perSecond: options.events.perSecond * 3, burst: options.events.burst * 3 });
  // Junk handshakes spend their address's budget; a valid token spends its own participant's.
  const failures = new FailureBudget('handshake-failures', options.entryPerMinute);
  const people = new ParticipantBudgets({ reconnectsPerMinute: options.entryPerMinute, events: options.events });
  // Nobody reaches a room through an actor that stopped: its people's budgets need not wait out their windows.
  rooms.onActor((actor) => actor.onDispose(() => people.forget(actor.id, Object.keys(actor.state.participants))));
  const socketsHeld = new Map<string, number>();
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
    const refuse = (code: ErrorCode) =>
      void failures.fail(addressOf(socket.request)).then((verdict) => {
        const answer = verdict === 'over' ? 'RATE_LIMITED' : code;
        tally?.refused(answer);
        next(handshakeError(answer));
      });
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const protocolRefusal = protocolMismatch(auth.protocol);
    if (protocolRefusal) return refuse(protocolRefusal);
    const claims = signer.readSession(auth.token);
    if (!claims) return refuse('UNAUTHENTICATED');
    const gate = options.facilitatorGate;
    const signedIn = claims.role === 'facilitator' && gate ? gate.admit(socket.request, claims) : Promise.resolve(undefined);
    void people.reconnect(claims.room, claims.sub).then((allowed) =>
      allowed
        ? signedIn.then(
            (signIn) => (signIn === null ? refuse('SIGNED_OUT') : authenticate(socket, claims, next, refuse, signIn)),
            () => next(handshakeError('STORE_UNAVAILABLE')),
          )
        : next(handshakeError('RATE_LIMITED')),
    );
  });

  /** Hold one of the participant's socket slots until the connection closes; false when all are taken. */
  function holdSlot(socket: HoldspaceSocket, person: string): boolean {
    const held = socketsHeld.get(person) ?? 0;
    if (held >= options.socketsPerParticipant) return false;
    socketsHeld.set(person, held + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (socketsHeld.get(person) ?? 1) - 1;
      if (left > 0) socketsHeld.set(person, left);
      else socketsHeld.delete(person);
    };
    // The connection closing covers a socket refused or dropped before it was ever welcomed.
    socket.conn.once('close', release);
    socket.once('disconnect', release);
    return true;
  }

  /**
   * The room each handshake found, so the socket's handlers are in place at once: an event the
   * client sends right after connecting (a command re-sent after a reconnect) must not arrive
   * while its handler is still being set up, or Socket.IO drops it.
   */
  const handshakeRooms = new WeakMap<HoldspaceSocket, RoomHandle>();

  function authenticate(socket: HoldspaceSocket, claims: SessionClaims, next: (error?: Error) => void, refuse: (code: ErrorCode) => void, signIn: string | undefined): void {
    rooms.get(claims.room).then(
      (actor) => {
        // A signed token names a room that existed: if the store no longer has it, it is gone.
        if (!actor) return next(handshakeError('ROOM_GONE'));
        const person = actor.state.participants[claims.sub];
        if (!person) return refuse('UNAUTHENTICATED');
        const shut = shutOut(person.status);
        if (shut) return next(handshakeError(shut));
        if (!holdSlot(socket, personKey(actor.id, person.id))) return next(handshakeError('TOO_MANY_CONNECTIONS'));
        socket.data = { roomId: actor.id, participantId: person.id, role: person.role, expiresAt: claims.exp, ...(signIn ? { signIn } : {}) };
        handshakeRooms.set(socket, actor);
        next();
      },
      (error: unknown) => {
        logger.warn({ err: error }, 'handshake could not load room');
        next(handshakeError('STORE_UNAVAILABLE'));
      },
    );
  }

  const showOut = (socket: HoldspaceSocket, code: ErrorCode) => {
    socket.emit('farewell', { code, message: reject(code).message });
    socket.disconnect(true);
  };
  /** Sockets outlive their handshake: expired sessions, removed members and signed-out facilitators are shown out. */
  const recheck = setInterval(() => {
    const now = Date.now();
    for (const socket of io.of('/').sockets.values()) {
      const { expiresAt, roomId, participantId, signIn } = socket.data;
      if (expiresAt === undefined) continue;
      if (signIn && options.facilitatorGate) {
        void options.facilitatorGate.alive(signIn).catch(() => undefined).then((alive) => {
          if (alive === false && socket.connected) showOut(socket, 'SIGNED_OUT');
        });
      }
      // undefined: the store could not answer (ask again next time); null: the room is gone.
      void rooms.get(roomId).catch(() => undefined).then((actor) => {
        const status = actor?.state.participants[participantId]?.status;
        const code: ErrorCode | null = expiresAt <= now ? 'UNAUTHENTICATED' : actor === null ? 'ROOM_GONE' : status ? shutOut(status) : null;
        if (code) showOut(socket, code);
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

    // Every incoming event spends from the socket's budget, then its participant's, before any handler sees it.
    socket.use((packet, next) => {
      const kind = String(packet[0]).startsWith('media.') ? 'media' : 'session';
      const perSocket = kind === 'media' ? mediaEvents : events;
      void perSocket.take(socket.id).then((verdict) => (verdict === 'ok' ? people.take(roomId, participantId, kind) : verdict)).then((verdict) => {
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
      // Left unanswered: the client re-sends it, under the same id, to the server it reconnects to.
      if (draining) return;
      const reply = typeof ack === 'function' ? (ack as (answer: Ack) => void) : () => undefined;
      const started = performance.now();
      inFlight++;
      const answer = (result: Ack) => {
        tally?.commandAnswered((performance.now() - started) / 1000, result);
        reply(result);
        if (--inFlight === 0) for (const wake of settled) wake();
      };
      const parsed = clientCommandSchema.safeParse(payload);
      if (!parsed.success) return answer(reject('INVALID', describeIssue(parsed.error.issues[0])));
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
      // Never an older state than the client may hold: no answer but the truth, or a code.
      void Promise.resolve()
        .then(() => actor.snapshot(participantId))
        .then(
          (snapshot) => answer({ ok: true, ...snapshot }),
          (error: unknown) => {
            const code = error instanceof RoomGone ? 'ROOM_GONE' : 'STORE_UNAVAILABLE';
            tally?.refused(code);
            answer(reject(code));
          },
        );
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
    setFacilitatorGate: (gate) => void (options.facilitatorGate = gate),
    extend: (extension) => {
      for (const name of extension.events) knownEvents.add(name);
      extensions.push(extension);
    },
    answerInFlight: () => {
      draining = true;
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const wake = () => {
          if (inFlight > 0) return;
          settled.delete(wake);
          resolve();
        };
        settled.add(wake);
      });
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
