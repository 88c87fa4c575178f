import { reject, type Rejection } from '../../shared/protocol/errors.js';
import type { Ack } from '../../shared/protocol/events.js';
import type { Actor } from '../../shared/session/rules.js';
import type { Logger } from '../logger.js';
import type { RoomActor } from '../rooms/room-actor.js';
import type { PresenceLedger } from './presence-book.js';

const system: Actor = { role: 'system' };

/**
 * Who is present in a room this node runs, from the sockets on every live node: each change is
 * read from the ledger and told to the room, one read at a time per room.
 */
export class ClusterPresence {
  readonly #ledger: PresenceLedger;
  readonly #logger: Logger;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(ledger: PresenceLedger, logger: Logger) {
    this.#ledger = ledger;
    this.#logger = logger;
  }

  /** One participant's sockets changed somewhere: read who is here, in order with other reads. */
  tell(roomId: string, actor: RoomActor, participantId: string): Promise<Ack | Rejection> {
    return this.#queue(roomId, async () => {
      const here = await this.#ledger.present(roomId);
      return actor.dispatch(system, { type: 'presence', participantId, online: here.has(participantId) });
    });
  }

  /** Bring everyone's presence in line with the sockets on all live nodes; how many are connected. */
  sync(roomId: string, actor: RoomActor): Promise<number | Rejection> {
    return this.#queue(roomId, async () => {
      const here = await this.#ledger.present(roomId);
      for (const person of Object.values(actor.state.participants)) {
        if (person.status === 'removed' || person.status === 'declined') continue;
        const connected = here.has(person.id);
        // Shown here but connected nowhere (their node died); or shown away while connected (a
        // connection announced while Redis was away). Someone gone (left, or past the grace
        // period) comes back only by connecting again, as with one process.
        if (connected ? person.presence === 'away' : person.presence === 'online') {
          await actor.dispatch(system, { type: 'presence', participantId: person.id, online: connected });
        }
      }
      return here.size;
    });
  }

  #queue<T>(roomId: string, task: () => Promise<T>): Promise<T | Rejection> {
    const previous = this.#queues.get(roomId) ?? Promise.resolve();
    const next = previous.then(task).catch((error: unknown) => {
      this.#logger.warn({ room: roomId, err: error instanceof Error ? error.message : String(error) }, 'presence not read: Redis unavailable');
      return reject('STORE_UNAVAILABLE');
    });
    this.#queues.set(roomId, next);
    void next.then(() => this.#queues.get(roomId) === next && this.#queues.delete(roomId));
    return next;
  }
}
