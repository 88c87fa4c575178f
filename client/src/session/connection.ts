import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { ClientCommand } from '../../../shared/protocol/commands.js';
import { PROTOCOL_VERSION } from '../../../shared/protocol/commands.js';
import type { ErrorCode } from '../../../shared/protocol/errors.js';
import type { Ack, ClientToServerEvents, Farewell, HandshakeAuth, ServerToClientEvents, Snapshot } from '../../../shared/protocol/events.js';
import type { GroupView, SelfView } from '../../../shared/session/projection.js';

/** A command as a view writes it; the connection gives it its id. */
export type Intent = ClientCommand extends infer C ? (C extends ClientCommand ? Omit<C, 'id'> : never) : never;

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'closed';

export interface RoomSnapshot {
  status: ConnectionStatus;
  group: GroupView | null;
  self: SelfView | null;
  /** serverTime - local time, to draw countdowns from the server's deadlines. */
  clockOffsetMs: number;
  /** Why the server ended this connection for good, if it did. */
  farewell: Farewell | null;
  /** Commands sent but not yet acknowledged (they are re-sent after a reconnect). */
  pending: number;
}

export type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 8_000;
/** An acknowledgement may outrun the broadcast of its version (several servers): wait this long before asking. */
const ACKED_VERSION_GRACE_MS = 500;

/**
 * Handshake refusals that retrying cannot mend. A server that is older than this page (it says
 * SERVER_TOO_OLD, or UNSUPPORTED_PROTOCOL before it knew that code) is retried: during a rolling
 * deploy the next attempt may reach an updated server.
 */
const finalRefusals: readonly ErrorCode[] = ['REMOVED', 'DECLINED', 'LEFT', 'UNAUTHENTICATED', 'SIGNED_OUT', 'ROOM_GONE', 'CLIENT_TOO_OLD'];
const isFinalRefusal = (code: string | undefined): code is ErrorCode => finalRefusals.some((final) => final === code);

export function commandId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One participant's live link to a room: applies the server's versioned views in order, asks
 * for a snapshot on a gap, and re-sends unacknowledged commands (same ids) after a reconnect,
 * so nothing is lost and nothing is applied twice.
 */
export class RoomConnection {
  readonly socket: RoomSocket;
  #snapshot: RoomSnapshot = { status: 'connecting', group: null, self: null, clockOffsetMs: 0, farewell: null, pending: 0 };
  readonly #listeners = new Set<(snapshot: RoomSnapshot) => void>();
  readonly #pending = new Map<string, { command: ClientCommand; resolve: (ack: Ack) => void }>();
  /** The highest version an acknowledgement named, and the check that the room caught up with it. */
  #acked = 0;
  #ackedCheck: ReturnType<typeof setTimeout> | null = null;

  constructor(
    url: string,
    /** This participant's session token: it also opens what the room serves over HTTP (a handout's picture). */
    readonly token: string,
    options: Partial<ManagerOptions & SocketOptions> = {},
  ) {
    const auth: HandshakeAuth = { protocol: PROTOCOL_VERSION, token };
    this.socket = io(url, { auth, transports: ['websocket'], reconnectionDelay: 250, reconnectionDelayMax: 2_000, ...options });
    this.socket.on('connect', () => {
      this.#update({ status: 'online' });
      for (const { command } of this.#pending.values()) this.#emit(command);
    });
    this.socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      this.#update({ status: this.#snapshot.farewell ? 'closed' : 'reconnecting' });
    });
    this.socket.on('connect_error', (error) => {
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      // The server refused us for good: no point in retrying.
      if (isFinalRefusal(code)) {
        this.#end({ code, message: error.message });
      } else if (!this.socket.active) {
        // Refused for now (store unavailable, rate limited, the room moving to another node): Socket.IO
        // does not retry a refused handshake by itself, so try again shortly.
        setTimeout(() => this.#snapshot.status !== 'closed' && !this.socket.connected && this.socket.connect(), 1_000);
      }
    });
    this.socket.on('snapshot', (snapshot) => this.#applySnapshot(snapshot));
    this.socket.on('room', ({ serverTime, group }) => {
      const held = this.#snapshot.group;
      if (held && group.version <= held.version) return;
      if (!held || group.version !== held.version + 1) return void this.resync();
      this.#update({ group, clockOffsetMs: serverTime - Date.now() });
    });
    this.socket.on('self', ({ self }) => this.#update({ self }));
    this.socket.on('farewell', (farewell) => this.#update({ farewell, status: 'closed' }));
  }

  get snapshot(): RoomSnapshot {
    return this.#snapshot;
  }

  subscribe(listener: (snapshot: RoomSnapshot) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#snapshot);
    return () => this.#listeners.delete(listener);
  }

  /** Send an intent; resolves with the server's answer, however many reconnects it takes. */
  send(intent: Intent): Promise<Ack> {
    const command = { ...intent, id: commandId() } as ClientCommand;
    return this.resend(command).then((ack) => {
      // The server sends no view when an answer lands (that moment must not travel); the
      // acknowledgement is the author's receipt, kept for that prompt only.
      const self = this.#snapshot.self;
      const landed = ack.ok || ack.code === 'ALREADY_SUBMITTED';
      if (landed && command.type === 'feedback.submit' && self?.role === 'member' && self.feedback?.promptId === command.promptId) {
        this.#update({ self: { ...self, feedback: { ...self.feedback, answered: true } } });
      }
      return ack;
    });
  }

  /** Send a command with an id already given (a retry); the server applies each id once. */
  resend(command: ClientCommand): Promise<Ack> {
    return new Promise((resolve) => {
      this.#pending.set(command.id, { command, resolve });
      this.#update({ pending: this.#pending.size });
      if (this.socket.connected) this.#emit(command);
    });
  }

  /** Ask for the whole current state, e.g. after missing a version. */
  resync(): void {
    this.socket.timeout(ACK_TIMEOUT_MS).emit('sync', {}, (error, answer) => {
      if (error) return;
      if (answer.ok) this.#applySnapshot(answer);
      else if (answer.code === 'ROOM_GONE') this.#end(answer);
    });
  }

  close(): void {
    if (this.#ackedCheck) clearTimeout(this.#ackedCheck);
    this.socket.disconnect();
    this.#update({ status: 'closed' });
  }

  #emit(command: ClientCommand): void {
    this.socket.timeout(ACK_TIMEOUT_MS).emit('command', command, (error, ack) => {
      const entry = this.#pending.get(command.id);
      if (!entry) return;
      if (error) {
        // No answer in time: try again while connected; a reconnect re-sends anyway.
        if (this.socket.connected) this.#emit(command);
        return;
      }
      this.#pending.delete(command.id);
      this.#update({ pending: this.#pending.size });
      if (ack.ok) this.#expect(ack.version);
      entry.resolve(ack);
      if (!ack.ok && ack.code === 'ROOM_GONE') this.#end(ack);
    });
  }

  /** The server ended this connection for good: say why, and stop reconnecting. */
  #end({ code, message }: Farewell): void {
    this.socket.disconnect();
    // Nothing still waiting will be applied now: its senders hear why.
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    this.#update({ status: 'closed', farewell: { code, message }, pending: 0 });
    for (const entry of waiting) entry.resolve({ ok: false, code, message });
  }

  /** The server has stored `version`: if its broadcast never comes (its node died right after the save), ask for the room. */
  #expect(version: number): void {
    this.#acked = Math.max(this.#acked, version);
    if (this.#ackedCheck || !this.#behindAcked()) return;
    this.#ackedCheck = setTimeout(() => {
      this.#ackedCheck = null;
      if (this.#behindAcked() && this.socket.connected) this.resync();
    }, ACKED_VERSION_GRACE_MS);
  }

  #behindAcked(): boolean {
    const held = this.#snapshot.group;
    return held !== null && held.version < this.#acked;
  }

  #applySnapshot({ serverTime, group, self }: Snapshot): void {
    const held = this.#snapshot.group;
    // Read before a version this client already applied (several servers: another answered first).
    if (held && group && group.version < held.version) return;
    this.#update({ group, self, clockOffsetMs: serverTime - Date.now() });
  }

  #update(change: Partial<RoomSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...change };
    for (const listener of this.#listeners) listener(this.#snapshot);
  }
}
