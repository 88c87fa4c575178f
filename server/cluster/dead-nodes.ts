import type { Logger } from '../logger.js';
import type { Link } from './node-link.js';

/** A node that stopped listening may only be reconnecting to Redis: ask again before calling it dead. */
const SILENCE_CHECKS_MS = [100, 250, 500];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The nodes this one has found dead, so their other rooms and media are freed without asking again. */
export class DeadNodes {
  readonly #link: Pick<Link, 'listening'>;
  readonly #logger: Logger;
  readonly #dead = new Set<string>();
  /** One check per node at a time, shared by every command and socket that found it silent. */
  readonly #checks = new Map<string, Promise<boolean>>();

  constructor(link: Pick<Link, 'listening'>, logger: Logger) {
    this.#link = link;
    this.#logger = logger;
  }

  has(nodeId: string): boolean {
    return this.#dead.has(nodeId);
  }

  /** Still dead? A node id given again to a restarted node (NODE_ID) listens again. */
  async stillDead(nodeId: string): Promise<boolean> {
    if (!(await this.#link.listening(nodeId))) return true;
    this.#dead.delete(nodeId);
    return false;
  }

  /** Is the node gone? It does not listen on Redis, asked a few times over about a second. */
  silent(nodeId: string): Promise<boolean> {
    if (this.#dead.has(nodeId)) return Promise.resolve(true);
    let check = this.#checks.get(nodeId);
    if (!check) {
      check = (async () => {
        for (const wait of SILENCE_CHECKS_MS) {
          await pause(wait);
          if (await this.#link.listening(nodeId)) return false;
        }
        this.#logger.warn({ node: nodeId }, 'node no longer listens; taking its rooms over');
        this.#dead.add(nodeId);
        return true;
      })();
      this.#checks.set(nodeId, check);
      const done = () => this.#checks.delete(nodeId);
      check.then(done, done);
    }
    return check;
  }
}
