import type { IceServer } from '../../shared/protocol/media.js';
import type { MediaConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { RoomActor } from '../rooms/room-actor.js';
import { RoomMedia } from './room-media.js';
import { iceServers } from './turn.js';
import { WorkerPool } from './worker-pool.js';

/** This process's selective forwarding unit: its worker pool and the media of every room it serves. */
export class Sfu {
  readonly #pool: WorkerPool;
  readonly #config: MediaConfig;
  readonly #logger: Logger;
  readonly #rooms = new Map<string, RoomMedia>();
  readonly #roomListeners = new Set<(room: RoomMedia) => void>();

  static async start(config: MediaConfig, logger: Logger): Promise<Sfu> {
    const pool = await WorkerPool.start(
      config.workers,
      { logLevel: config.workerLogLevel, listenIp: config.listenIp, announcedAddress: config.announcedAddress, port: config.port },
      logger,
    );
    logger.info({ workers: config.workers, pids: pool.workers.map((w) => w.pid) }, 'media workers running');
    return new Sfu(pool, config, logger);
  }

  private constructor(pool: WorkerPool, config: MediaConfig, logger: Logger) {
    this.#pool = pool;
    this.#config = config;
    this.#logger = logger;
  }

  get pool(): WorkerPool {
    return this.#pool;
  }

  /** Give a room actor its media; called for every actor the process starts. */
  serve(actor: RoomActor): RoomMedia {
    const existing = this.#rooms.get(actor.id);
    if (existing?.actor === actor) return existing;
    existing?.close();
    const room = new RoomMedia(actor, this.#pool, { maxPeers: this.#config.maxPeersPerRoom, maxIncomingBitrate: this.#config.maxIncomingBitrate, adaptVideo: this.#config.adaptVideo }, this.#logger);
    this.#rooms.set(actor.id, room);
    actor.onDispose(() => {
      room.close();
      if (this.#rooms.get(actor.id) === room) this.#rooms.delete(actor.id);
    });
    for (const listener of this.#roomListeners) listener(room);
    return room;
  }

  get roomCount(): number {
    return this.#rooms.size;
  }

  /** Media connections in every room this process carries. */
  get peerCount(): number {
    let count = 0;
    for (const room of this.#rooms.values()) count += room.peers.length;
    return count;
  }

  room(roomId: string): RoomMedia | undefined {
    return this.#rooms.get(roomId);
  }

  /** Called for every room given media from now on, e.g. to broadcast its speaking indicators. */
  onRoom(listener: (room: RoomMedia) => void): void {
    this.#roomListeners.add(listener);
    for (const room of this.#rooms.values()) listener(room);
  }

  /** The ICE servers for one browser, with fresh TURN credentials. */
  iceServers(): IceServer[] {
    return iceServers(this.#config.turn);
  }

  close(): void {
    for (const room of this.#rooms.values()) room.close();
    this.#rooms.clear();
    this.#pool.close();
  }
}
