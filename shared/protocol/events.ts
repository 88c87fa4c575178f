import type { ErrorCode } from './errors.js';
import type { MediaClientToServerEvents, MediaServerToClientEvents } from './media.js';
import type { GroupView, SelfView } from '../session/projection.js';

/** A command's answer, through the Socket.IO acknowledgement. */
export type Ack = { ok: true; version: number; duplicate?: boolean } | { ok: false; code: ErrorCode; message: string; detail?: string };

/** A new group view: apply only on version + 1, otherwise ask for a snapshot. */
export interface RoomMessage {
  serverTime: number;
  group: GroupView;
}

/** A participant's own view; may arrive at the same version as the group view it belongs to. */
export interface SelfMessage {
  serverTime: number;
  self: SelfView;
}

export interface Snapshot {
  serverTime: number;
  /** Null while the member is still in the waiting room. */
  group: GroupView | null;
  self: SelfView;
}

export type SnapshotAck = ({ ok: true } & Snapshot) | { ok: false; code: ErrorCode; message: string };

/** Why the server closed a connection, sent just before it does. */
export interface Farewell {
  code: ErrorCode;
  message: string;
}

/** Everything the server sends a client, session and media alike. */
export interface ServerToClientEvents extends MediaServerToClientEvents {
  /** Sent on every (re)connection and on admission: replaces whatever the client held. */
  snapshot: (message: Snapshot) => void;
  room: (message: RoomMessage) => void;
  self: (message: SelfMessage) => void;
  farewell: (message: Farewell) => void;
}

/** What the client sends in the Socket.IO handshake. */
export interface HandshakeAuth {
  protocol: number;
  token: string;
}

/** Everything a client may send; payloads are unknown here because the server parses each at the edge. */
export interface ClientToServerEvents extends MediaClientToServerEvents {
  command: (command: unknown, ack: (answer: Ack) => void) => void;
  sync: (request: unknown, ack: (answer: SnapshotAck) => void) => void;
}

/** Session events the gateway itself handles; extensions (media signalling) add theirs, anything else is answered with UNKNOWN_EVENT. */
export const clientEventNames = ['command', 'sync'] as const;
