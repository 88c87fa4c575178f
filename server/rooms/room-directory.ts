import type { ClientCommand, SystemCommand } from '../../shared/protocol/commands.js';
import type { Ack, Snapshot } from '../../shared/protocol/events.js';
import type { Actor } from '../../shared/session/rules.js';
import type { GroupAgenda } from '../../shared/protocol/groups.js';
import type { GroupSessionPlan } from '../../shared/session/group-room.js';
import type { RoomState } from '../../shared/session/state.js';
import type { RoomSummary } from '../store/room-store.js';
import type { RoomActor, RoomAudience } from './room-actor.js';

/**
 * What the gateway and the HTTP API need of one room, wherever its actor runs: in this process
 * (the actor itself) or on another node (commands are forwarded to it).
 */
export interface RoomHandle {
  readonly id: string;
  /** The state as of the `get` that returned this handle (or later). */
  readonly state: RoomState;
  dispatch(actor: Actor, command: ClientCommand | SystemCommand): Promise<Ack>;
  snapshot(participantId: string): Snapshot | Promise<Snapshot>;
  /** A socket of this participant opened. */
  connected(participantId: string): Promise<Ack>;
  /** A socket of this participant closed; null when nothing had to change. */
  disconnected(participantId: string): Promise<Ack> | null;
}

/** Who opens a new room: its first facilitator, under a given participant id (a signed-in lead's seat) or a new one. */
export interface Opener {
  name: string;
  id?: string;
}

/** What a new room is made from: a one-off room's own agenda, or a standing group's session. */
export type RoomPlan = { agenda: GroupAgenda } | GroupSessionPlan;

/** The rooms this server serves: all of them in one process (Rooms), or shared by nodes through Redis. */
export interface RoomDirectory {
  reachThrough(audience: RoomAudience): void;
  /** Called for every actor this process starts, e.g. to give it a media room. */
  onActor(listener: (actor: RoomActor) => void): void;
  /** A new room; with a group's plan, a standing group's session whose room id is the session's id. */
  create(title: string, opener: Opener, plan?: RoomPlan): Promise<RoomHandle>;
  /** The room with fresh state, or null if there is none. May throw StoreUnavailable. */
  get(roomId: string): Promise<RoomHandle | null>;
  list(): Promise<RoomSummary[]>;
  /** How many room actors run in this process. */
  readonly loaded: number;
  close(): Promise<void>;
}
