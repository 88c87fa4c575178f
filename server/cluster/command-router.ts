import { reject } from '../../shared/protocol/errors.js';
import type { Logger } from '../logger.js';
import type { MediaHangUp } from '../media/media-connections.js';
import type { RoomActor } from '../rooms/room-actor.js';
import { StoreUnavailable } from '../store/room-store.js';
import type { DeadNodes } from './dead-nodes.js';
import { FORWARD_TIMEOUT_MS, type Link, type RoomAnswer, type RoomOp, type RoomReply, type RoomRequest } from './node-link.js';
import type { Leases } from './room-lease.js';
import type { RoomOwnership } from './room-ownership.js';

/** What runs on the room's actor; a hang-up only ever goes to the node that already runs it. */
export type RoutedOp = Exclude<RoomOp, { kind: 'hangup' }>;

export interface CommandRouterDeps {
  nodeId: string;
  leases: Leases;
  link: Link;
  ownership: RoomOwnership;
  dead: DeadNodes;
  logger: Logger;
  /** Run an operation on a room this node runs. */
  run(roomId: string, actor: RoomActor, op: RoutedOp): Promise<RoomAnswer>;
  /** A connection whose media this node holds closed. */
  hangUp(hangUp: MediaHangUp): void;
}

/** How long a command may take to find its room's owner: under the client's 8 s acknowledgement timeout. */
const ROUTE_BUDGET_MS = 6_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every operation on a room goes where the room runs: to its actor when this node runs it,
 * forwarded to the lease holder otherwise; when nobody holds the lease, or its holder is dead,
 * this node takes the room over. Answers always, never throws.
 */
export class CommandRouter {
  readonly #deps: CommandRouterDeps;

  constructor(deps: CommandRouterDeps) {
    this.#deps = deps;
  }

  async route(roomId: string, op: RoutedOp): Promise<RoomAnswer> {
    const { leases, link, ownership, dead, nodeId } = this.#deps;
    const deadline = Date.now() + ROUTE_BUDGET_MS;
    for (;;) {
      try {
        const local = await ownership.running(roomId);
        if (local) {
          const ack = await this.#perform(roomId, local, op);
          if (ack !== 'moved') return ack;
          continue;
        }
        const holder = await leases.holder(roomId);
        if (holder === null || holder === nodeId) {
          if (ownership.closing) {
            // A closing node takes nothing on; another node will.
            if (Date.now() > deadline) return reject('ROOM_MOVING');
            await pause(100);
            continue;
          }
          if ((await ownership.adopt(roomId)) === 'missing') return reject('ROOM_GONE');
          continue;
        }
        if (dead.has(holder)) {
          if (await dead.stillDead(holder)) await leases.evict(roomId, holder);
          continue;
        }
        const answer = await link.request(holder, { roomId, op }, Math.max(100, Math.min(FORWARD_TIMEOUT_MS, deadline - Date.now())));
        if (answer === 'absent') {
          // Nobody heard it: unless the room has moved meanwhile, its node is gone.
          if ((await leases.holder(roomId)) === holder && (await dead.silent(holder))) await leases.evict(roomId, holder);
          continue;
        }
        if (answer !== 'timeout' && 'ack' in answer) return answer.ack;
        await pause(20);
      } catch (error) {
        this.#deps.logger.warn({ room: roomId, err: error instanceof StoreUnavailable ? error.cause : error }, 'room unreachable: Redis unavailable');
        return reject('STORE_UNAVAILABLE');
      }
      if (Date.now() > deadline) return reject('ROOM_MOVING');
    }
  }

  /** Another node asks this one to run an operation on a room. */
  async answer({ roomId, op }: RoomRequest): Promise<RoomReply> {
    const { leases, ownership, nodeId } = this.#deps;
    try {
      if (op.kind === 'hangup') {
        this.#deps.hangUp(op.hangUp);
        return { ack: { ok: true } };
      }
      let actor = await ownership.running(roomId);
      if (!actor) {
        if (ownership.closing || (await leases.holder(roomId)) !== nodeId) return { moved: true };
        const adopted = await ownership.adopt(roomId);
        if (adopted === 'missing') return { ack: reject('ROOM_GONE') };
        if (adopted === 'taken') return { moved: true };
        actor = adopted;
      }
      const ack = await this.#perform(roomId, actor, op);
      return ack === 'moved' ? { moved: true } : { ack };
    } catch {
      return { ack: reject('STORE_UNAVAILABLE') };
    }
  }

  /** The actor stepped aside (another node holds the lease now): this node no longer runs the room. */
  async #perform(roomId: string, actor: RoomActor, op: RoutedOp): Promise<RoomAnswer | 'moved'> {
    const ack = await this.#deps.run(roomId, actor, op);
    if (ack.ok || ack.code !== 'ROOM_MOVING') return ack;
    this.#deps.ownership.drop(roomId, actor);
    return 'moved';
  }
}
