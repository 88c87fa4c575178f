import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Ack } from '../../shared/protocol/events.js';
import type { ErrorCode } from '../../shared/protocol/errors.js';
import type { Sfu } from '../media/sfu.js';

/** What the edges report as they answer: every label is a fixed word (an error code), never a person, room or title. */
export interface Tally {
  commandAnswered(seconds: number, ack: Ack): void;
  refused(code: ErrorCode): void;
  storeError(): void;
}

/** What this process holds right now, read at each scrape. */
export interface Holdings {
  rooms(): number;
  sockets(): number;
  participants(): number;
  media: Sfu | null;
}

/**
 * The operator's view in Prometheus's format: Node's process metrics and Holdspace's own under
 * `holdspace_`. Counts and timings only; nothing that names a person, a room or a group.
 */
export class Metrics implements Tally {
  readonly registry = new Registry();
  readonly #commandSeconds: Histogram;
  readonly #refusals: Counter<'code'>;
  readonly #storeErrors: Counter;

  constructor(holdings: Holdings) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({ name, help, registers, collect: function (this: Gauge) { this.set(read()); } });
    gauge('holdspace_rooms', 'Rooms whose live session runs in this process', holdings.rooms);
    gauge('holdspace_sockets', 'Socket.IO connections open to this process', holdings.sockets);
    gauge('holdspace_participants', 'Distinct participants with at least one connection to this process', holdings.participants);
    this.#commandSeconds = new Histogram({
      name: 'holdspace_command_seconds',
      help: 'Time from a command arriving at this process to its answer',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.#refusals = new Counter({ name: 'holdspace_refusals_total', help: 'Commands, handshakes and requests refused, by error code', labelNames: ['code'], registers });
    this.#storeErrors = new Counter({ name: 'holdspace_store_errors_total', help: 'Times the room store (Redis) could not answer', registers });

    const media = holdings.media;
    if (!media) return;
    gauge('holdspace_media_rooms', 'Rooms whose media router runs in this process', () => media.roomCount);
    gauge('holdspace_media_peers', 'Media connections (browsers sending or receiving audio and video) in this process', () => media.peerCount);
    gauge('holdspace_media_workers', 'Media worker processes running', () => media.pool.workers.length);
    const deaths = new Counter({ name: 'holdspace_media_worker_deaths_total', help: 'Media worker processes that died (each is replaced)', registers });
    media.pool.on('died', () => deaths.inc());
    new Gauge({
      name: 'holdspace_media_worker_cpu_seconds',
      help: 'CPU time (user + system) each running media worker has used since it started, by worker slot',
      labelNames: ['slot'],
      registers,
      collect: async function (this: Gauge<'slot'>) {
        this.reset();
        const workers = media.pool.workers;
        const used = await Promise.all(workers.map((worker) => worker.cpuSeconds().catch(() => null)));
        workers.forEach((worker, i) => used[i] !== null && this.set({ slot: String(worker.slot) }, used[i]!));
      },
    });
  }

  commandAnswered(seconds: number, ack: Ack): void {
    this.#commandSeconds.observe(seconds);
    if (!ack.ok) this.refused(ack.code);
  }

  refused(code: ErrorCode): void {
    this.#refusals.inc({ code });
    if (code === 'STORE_UNAVAILABLE') this.#storeErrors.inc();
  }

  storeError(): void {
    this.#storeErrors.inc();
  }
}
