import type { DeadNodes } from '../cluster/dead-nodes.js';
import { FORWARD_TIMEOUT_MS, type Link } from '../cluster/node-link.js';
import type { Leases } from '../cluster/room-lease.js';
import type { MediaCall, MediaConnections, MediaHangUp, MediaReply } from './media-connections.js';
import type { MediaDesk } from './signalling.js';

export interface ClusterMediaDeskDeps {
  nodeId: string;
  /** The media of the rooms this node runs. */
  local: MediaConnections;
  leases: Leases;
  link: Link;
  dead: DeadNodes;
  runsHere(roomId: string): boolean;
  /** Send the request where the room runs, as commands go (the cluster's router). */
  route(call: MediaCall): Promise<MediaReply>;
  /** Work a closing node finishes before it lets its rooms go. */
  track<T>(work: Promise<T>): Promise<T>;
}

/**
 * Media with several nodes: a request goes where the room runs, answered by `local` for the
 * rooms this node runs and forwarded for the others; media this node holds for sockets of a
 * node that died goes with them.
 */
export class ClusterMediaDesk implements MediaDesk {
  readonly #deps: ClusterMediaDeskDeps;

  constructor(deps: ClusterMediaDeskDeps) {
    this.#deps = deps;
  }

  get local(): MediaConnections {
    return this.#deps.local;
  }

  answer(call: MediaCall): Promise<MediaReply> {
    return this.#deps.track(this.#deps.route(call));
  }

  hangUp(hangUp: MediaHangUp): void {
    void this.#deps.track(this.#hangUp(hangUp));
  }

  /** Media held here for sockets of a node that died goes with them (their browsers join again elsewhere). */
  async sweep(): Promise<void> {
    const { local, link, dead, nodeId } = this.#deps;
    await Promise.allSettled(
      [...local.origins()]
        .filter((origin) => origin !== nodeId)
        .map(async (origin) => {
          if (!(await link.listening(origin)) && (await dead.silent(origin))) local.forgetOrigin(origin);
        }),
    );
  }

  /** A socket with media closed: tell the room's node, if any node runs it (none is woken for this). */
  async #hangUp(hangUp: MediaHangUp): Promise<void> {
    const { leases, link, dead, nodeId } = this.#deps;
    if (this.#deps.runsHere(hangUp.roomId)) return this.#deps.local.hangUp(hangUp);
    try {
      const holder = await leases.holder(hangUp.roomId);
      if (holder === null || holder === nodeId || dead.has(holder)) return;
      await link.request(holder, { roomId: hangUp.roomId, op: { kind: 'hangup', hangUp } }, FORWARD_TIMEOUT_MS);
    } catch {
      // Redis is away: the room's node drops this media when it finds this node gone, or the room moves.
    }
  }
}
