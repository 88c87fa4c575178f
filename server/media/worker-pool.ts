import { EventEmitter } from 'node:events';
import type { Logger } from '../logger.js';
import { MediaWorker, type MediaWorkerOptions } from './media-worker.js';

type WorkerPoolEvents = {
  /** A worker process died; its routers are gone. */
  died: [worker: MediaWorker, error: Error];
  /** A new worker took the dead one's slot (and port). */
  replaced: [worker: MediaWorker];
};

const REPLACE_DELAYS_MS = [0, 500, 1_000, 2_000, 5_000, 10_000];

/** The mediasoup worker processes of this server, one per core by default; a dead one is replaced in its slot. */
export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  readonly #slots: (MediaWorker | null)[];
  readonly #options: MediaWorkerOptions;
  readonly #logger: Logger;
  readonly #waiting = new Set<() => void>();
  #closed = false;

  static async start(count: number, options: MediaWorkerOptions, logger: Logger): Promise<WorkerPool> {
    const started = await Promise.allSettled(Array.from({ length: count }, (_, slot) => MediaWorker.start(slot, options)));
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      for (const result of started) if (result.status === 'fulfilled') result.value.close();
      throw failure.reason;
    }
    return new WorkerPool(
      started.map((result) => (result as PromiseFulfilledResult<MediaWorker>).value),
      options,
      logger,
    );
  }

  private constructor(workers: MediaWorker[], options: MediaWorkerOptions, logger: Logger) {
    super();
    this.#slots = workers;
    this.#options = options;
    this.#logger = logger;
    for (const worker of workers) this.#watch(worker);
  }

  get workers(): MediaWorker[] {
    return this.#slots.filter((worker): worker is MediaWorker => worker !== null && worker.alive);
  }

  /** The least-loaded live worker; while every slot is being replaced, waits up to `timeoutMs`. */
  async pick(timeoutMs = 10_000): Promise<MediaWorker> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.#closed) throw new Error('the worker pool is closed');
      const best = this.workers.sort((a, b) => a.load - b.load)[0];
      if (best) return best;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no media worker is running');
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#waiting.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.#waiting.add(done);
      });
    }
  }

  close(): void {
    this.#closed = true;
    for (const worker of this.#slots) worker?.close();
    for (const wake of [...this.#waiting]) wake();
  }

  #watch(worker: MediaWorker): void {
    worker.once('died', (error) => {
      this.#logger.error({ slot: worker.slot, pid: worker.pid, err: error }, 'media worker died; replacing it');
      if (this.#slots[worker.slot] === worker) this.#slots[worker.slot] = null;
      this.emit('died', worker, error);
      void this.#replace(worker.slot);
    });
  }

  async #replace(slot: number): Promise<void> {
    for (let attempt = 0; !this.#closed; attempt++) {
      const delay = REPLACE_DELAYS_MS[Math.min(attempt, REPLACE_DELAYS_MS.length - 1)]!;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.#closed) return;
      try {
        const worker = await MediaWorker.start(slot, this.#options);
        if (this.#closed) return worker.close();
        this.#slots[slot] = worker;
        this.#watch(worker);
        this.#logger.info({ slot, pid: worker.pid }, 'media worker replaced');
        this.emit('replaced', worker);
        for (const wake of [...this.#waiting]) wake();
        return;
      } catch (error) {
        this.#logger.error({ slot, attempt, err: error }, 'media worker could not be replaced; retrying');
      }
    }
  }
}
