import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { ConsumerDescription, ParsedMediaRequest, ProducerOffer, RtpCapabilities } from '../../shared/protocol/media.js';
import { mayBeHeard, type Silence } from '../../shared/session/speech.js';
import { attentionOf, type ReceiveMode, type TileHint } from '../../shared/session/video-layers.js';
import type { Role, RoomState } from '../../shared/session/state.js';
import type { Logger } from '../logger.js';
import type { RoomActor } from '../rooms/room-actor.js';
import type { MediaWorker } from './media-worker.js';
import { PeerMedia, type Publication } from './peer-media.js';
import { Refused } from './refused.js';
import { VideoAdaptation } from './video-adaptation.js';
import type { WorkerPool } from './worker-pool.js';

/** Opus with in-band FEC and DTX; VP8 first for video, H264 for browsers that only encode that. */
export const mediaCodecs: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, parameters: { useinbandfec: 1, usedtx: 1 } },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 600 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1, 'x-google-start-bitrate': 600 },
  },
];

/** How often the audio level observer reports, and the level above which someone counts as heard. */
const LEVEL_INTERVAL_MS = 400;
const HEARD_THRESHOLD_DBOV = -60;
/** The facilitator's heard-airtime figures go out at most this often. */
const HEARD_EVERY_MS = 2_000;

export interface RoomMediaOptions {
  maxPeers: number;
  maxIncomingBitrate: number;
  /** Choose each video consumer's layers from its receiver's tiles (off: everyone gets the top layer). */
  adaptVideo: boolean;
}

type RoomMediaEvents = {
  /** Participant ids heard right now. */
  speaking: [speaking: string[]];
  /** Milliseconds each participant was actually heard, for the facilitator. */
  heard: [heardMs: Record<string, number>];
};

interface Placement {
  worker: MediaWorker;
  router: types.Router;
  levels: types.AudioLevelObserver;
}

/**
 * One room's SFU: a router on the least-loaded worker, the peers in it, and the floor enforced
 * on their microphones. When the router's worker dies, every peer is told to join again and the
 * room moves to a live worker.
 */
export class RoomMedia extends EventEmitter<RoomMediaEvents> {
  readonly roomId: string;
  readonly #actor: RoomActor;
  readonly #pool: WorkerPool;
  readonly #options: RoomMediaOptions;
  readonly #logger: Logger;
  readonly #peers = new Map<string, PeerMedia>();
  readonly #heardMs: Record<string, number> = {};
  readonly #stopWatchingFloor: () => void;
  readonly #adaptation: VideoAdaptation;
  #placement: Promise<Placement> | null = null;
  #speaking: string[] = [];
  #heardSentAt = 0;
  #heardTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(actor: RoomActor, pool: WorkerPool, options: RoomMediaOptions, logger: Logger) {
    super();
    this.roomId = actor.id;
    this.#actor = actor;
    this.#pool = pool;
    this.#options = options;
    this.#logger = logger;
    this.#adaptation = new VideoAdaptation({ enabled: options.adaptVideo, roomId: actor.id, peers: () => this.#peers.values(), logger });
    // When the session ends, everyone's media ends with it.
    this.#stopWatchingFloor = actor.onChange((state) => {
      if (state.endedAt !== null) return this.close();
      this.#enforceFloor(state);
      this.#adaptation.attend(attentionOf(state, this.#speaking));
    });
    // A room taken over or restored has no media yet: a share it remembers is not carried by anyone.
    const share = actor.state.screenShare;
    if (share && actor.state.endedAt === null) {
      actor.dispatch({ role: 'system' }, { type: 'screen.shared', participantId: share.by, on: false }).catch((error: unknown) => {
        logger.warn({ room: this.roomId, err: error }, 'a stale screen share could not be cleared');
      });
    }
  }

  get actor(): RoomActor {
    return this.#actor;
  }

  /** Everyone leading the room: the heard airtime goes to each of them. */
  get facilitatorIds(): readonly string[] {
    return this.#actor.state.facilitatorIds;
  }

  get peers(): PeerMedia[] {
    return [...this.#peers.values()];
  }

  get heardMs(): Record<string, number> {
    return { ...this.#heardMs };
  }

  get speaking(): string[] {
    return [...this.#speaking];
  }

  /** The pid of the worker process carrying this room, once it has a router. */
  async workerPid(): Promise<number | null> {
    if (!this.#placement) return null;
    return (await this.#placement).worker.pid;
  }

  /** A connection starts (or starts over) its media; answers the router's capabilities. */
  async join(connectionId: string, participantId: string, role: Role): Promise<{ peer: PeerMedia; routerRtpCapabilities: RtpCapabilities }> {
    this.#peers.get(connectionId)?.end('replaced');
    this.#admitted(participantId);
    if (this.#peers.size >= this.#options.maxPeers) throw new Refused('ROOM_FULL', 'the room has as many media connections as it allows');
    const placement = await this.#place();
    if (this.#closed) throw new Refused('MEDIA_UNAVAILABLE', 'the room closed');
    this.#peers.get(connectionId)?.end('replaced');
    if (this.#peers.size >= this.#options.maxPeers) throw new Refused('ROOM_FULL', 'the room has as many media connections as it allows');
    const peer = new PeerMedia({
      id: connectionId,
      participantId,
      role,
      worker: placement.worker,
      router: placement.router,
      maxIncomingBitrate: this.#options.maxIncomingBitrate,
    });
    this.#peers.set(connectionId, peer);
    peer.once('ended', () => {
      if (this.#peers.get(connectionId) === peer) this.#peers.delete(connectionId);
      // Its consumers are gone: senders may need fewer layers.
      this.#adaptation.uplink();
    });
    return { peer, routerRtpCapabilities: placement.router.rtpCapabilities };
  }

  /** The peer can receive now: what everyone else publishes is on offer. */
  receive(peer: PeerMedia, rtpCapabilities: RtpCapabilities): ProducerOffer[] {
    peer.setCapabilities(rtpCapabilities);
    return this.#offersFor(peer);
  }

  async produce(peer: PeerMedia, request: ParsedMediaRequest<'media.produce'>): Promise<Publication> {
    const publication = await peer.produce(request, this.#silence(this.#actor.state, peer.participantId));
    const offer = peer.offerOf(publication);
    if (publication.source === 'mic') {
      const placement = await this.#place();
      await placement.levels.addProducer({ producerId: publication.producer.id }).catch(() => undefined);
      // The floor may have moved while the producer was being created.
      await peer.silence(this.#silence(this.#actor.state, peer.participantId));
    }
    if (publication.source === 'screen') this.#reportScreen(peer, publication);
    for (const other of this.#peers.values()) if (other !== peer) other.offer(offer);
    return publication;
  }

  /** The room, not the browser, says who shares: the screen producer's life is reported to it. */
  #reportScreen(peer: PeerMedia, publication: Publication): void {
    const report = (on: boolean) => {
      if (this.#closed) return;
      this.#actor.dispatch({ role: 'system' }, { type: 'screen.shared', participantId: peer.participantId, on }).catch((error: unknown) => {
        this.#logger.warn({ room: this.roomId, err: error }, 'the screen share could not be reported to the room');
      });
    };
    report(true);
    publication.producer.observer.once('close', () => {
      // Another connection of the same person (a second tab) may still share.
      const stillSharing = this.peers.some((other) => other.participantId === peer.participantId && other.publications.some((p) => p.source === 'screen' && p !== publication && !p.producer.closed));
      if (!stillSharing) report(false);
    });
  }

  /** Consume other participants' producers in this room; those gone or unreceivable come back as missing. */
  async consume(peer: PeerMedia, producerIds: string[]): Promise<{ consumers: ConsumerDescription[]; missing: string[] }> {
    const offers = this.#offersFor(peer);
    const missing: string[] = [];
    const consumers: ConsumerDescription[] = [];
    await Promise.all(
      [...new Set(producerIds)].map(async (producerId) => {
        const offer = offers.find((o) => o.producerId === producerId);
        // The peer's own state (no receive transport, ended) fails the request; one producer closing meanwhile does not.
        const consumer = offer ? await peer.consume(offer).catch((error: unknown) => (error instanceof Refused && error.code === 'NOT_FOUND' ? Promise.reject(error) : null)) : null;
        if (consumer) consumers.push(consumer);
        else missing.push(producerId);
      }),
    );
    // Created paused: their layers and priorities are set before the browser resumes them.
    if (consumers.length > 0) await this.#adaptation.adapt(peer, this.#attention());
    return { consumers, missing };
  }

  /** A receiver's tiles, as its browser renders them; they choose layers, nothing else. */
  async setTiles(peer: PeerMedia, tiles: TileHint[]): Promise<void> {
    peer.setTiles(tiles);
    await this.#adaptation.adapt(peer, this.#attention());
  }

  /** A member's choice of incoming video. */
  async setReceiveMode(peer: PeerMedia, mode: ReceiveMode): Promise<void> {
    peer.setReceiveMode(mode);
    await this.#adaptation.adapt(peer, this.#attention());
  }

  leave(connectionId: string): void {
    this.#peers.get(connectionId)?.end('left');
  }

  /** The router as mediasoup reports it, for operators and tests. */
  async dump(): Promise<types.RouterDump | null> {
    if (!this.#placement) return null;
    const { router } = await this.#placement;
    return router.closed ? null : router.dump();
  }

  /** The router carrying this room, once placed: tests attach server-side consumers to it. */
  async router(): Promise<types.Router | null> {
    if (!this.#placement) return null;
    const { router } = await this.#placement;
    return router.closed ? null : router;
  }

  close(): void {
    this.#closed = true;
    this.#stopWatchingFloor();
    for (const peer of this.#peers.values()) peer.end('left');
    if (this.#heardTimer) clearTimeout(this.#heardTimer);
    void this.#placement?.then(({ router }) => router.close()).catch(() => undefined);
    this.#placement = null;
  }

  #attention() {
    return attentionOf(this.#actor.state, this.#speaking);
  }

  #admitted(participantId: string): void {
    const person = this.#actor.state.participants[participantId];
    if (!person || person.status !== 'admitted') throw new Refused('NOT_ADMITTED');
  }

  #silence(state: RoomState, participantId: string): Silence | null {
    const answer = mayBeHeard(state, participantId);
    return answer.allowed ? null : answer.reason;
  }

  #enforceFloor(state: RoomState): void {
    for (const peer of this.#peers.values()) {
      peer.silence(this.#silence(state, peer.participantId)).catch((error: unknown) => {
        if (!peer.ended) this.#logger.warn({ room: this.roomId, err: error }, 'floor could not pause a microphone');
      });
    }
  }

  #offersFor(peer: PeerMedia): ProducerOffer[] {
    const offers: ProducerOffer[] = [];
    for (const other of this.#peers.values()) {
      if (other.participantId === peer.participantId || other.ended) continue;
      for (const publication of other.publications) offers.push(other.offerOf(publication));
    }
    return offers;
  }

  #place(): Promise<Placement> {
    if (!this.#placement) {
      const placement = this.#createPlacement();
      this.#placement = placement;
      placement.catch(() => {
        if (this.#placement === placement) this.#placement = null;
      });
    }
    return this.#placement;
  }

  async #createPlacement(): Promise<Placement> {
    let worker: MediaWorker;
    try {
      worker = await this.#pool.pick();
    } catch (error) {
      throw new Refused('MEDIA_UNAVAILABLE', (error as Error).message);
    }
    const router = await worker.createRouter(mediaCodecs);
    const levels = await router.createAudioLevelObserver({ maxEntries: this.#options.maxPeers, threshold: HEARD_THRESHOLD_DBOV, interval: LEVEL_INTERVAL_MS });
    levels.on('volumes', (volumes) => this.#heard(volumes.map((v) => String(v.producer.appData.participantId))));
    levels.on('silence', () => this.#setSpeaking([]));
    router.once('workerclose', () => this.#moveOff(worker));
    if (this.#closed) router.close();
    return { worker, router, levels };
  }

  /** The router's worker died: everyone joins again, on a live worker. */
  #moveOff(worker: MediaWorker): void {
    this.#logger.warn({ room: this.roomId, slot: worker.slot, peers: this.#peers.size }, 'media worker died under this room; moving it');
    this.#placement = null;
    this.#setSpeaking([]);
    for (const peer of [...this.#peers.values()]) peer.end('worker-restarted');
    if (!this.#closed) this.#place().catch((error: unknown) => this.#logger.error({ room: this.roomId, err: error }, 'room media could not move'));
  }

  #heard(speaking: string[]): void {
    const unique = [...new Set(speaking)].sort();
    for (const id of unique) this.#heardMs[id] = (this.#heardMs[id] ?? 0) + LEVEL_INTERVAL_MS;
    this.#setSpeaking(unique);
    if (this.#heardTimer) return;
    const wait = Math.max(0, this.#heardSentAt + HEARD_EVERY_MS - Date.now());
    this.#heardTimer = setTimeout(() => {
      this.#heardTimer = null;
      this.#heardSentAt = Date.now();
      this.emit('heard', this.heardMs);
    }, wait);
    this.#heardTimer.unref();
  }

  #setSpeaking(speaking: string[]): void {
    if (speaking.length === this.#speaking.length && speaking.every((id, i) => id === this.#speaking[i])) return;
    this.#speaking = speaking;
    this.emit('speaking', this.speaking);
    this.#adaptation.attend(this.#attention());
  }
}
