import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import {
  kindOfSource,
  type ConsumerDescription,
  type DtlsParameters,
  type MediaSource,
  type ParsedMediaRequest,
  type ProducerOffer,
  type RtpCapabilities,
  type TransportDescription,
} from '../../shared/protocol/media.js';
import type { Role } from '../../shared/session/state.js';
import type { Silence } from '../../shared/session/speech.js';
import { chooseLayers, type Attention, type LayerChoice, type ReceiveMode, type TileHint } from '../../shared/session/video-layers.js';
import type { MediaWorker } from './media-worker.js';
import { Refused } from './refused.js';

/** Why a peer's media ended: its connection left, joined again, or its worker died. */
export type PeerEnd = 'left' | 'replaced' | 'worker-restarted';

type PeerMediaEvents = {
  offer: [offer: ProducerOffer];
  consumerclosed: [message: { consumerId: string; producerId: string }];
  silenced: [message: { producerId: string; reason: Silence | null }];
  /** Encode this camera no higher than this simulcast layer: nobody receives more now. */
  layers: [message: { producerId: string; maxSpatialLayer: number }];
  ended: [reason: PeerEnd];
};

export interface PeerMediaOptions {
  id: string;
  participantId: string;
  role: Role;
  worker: MediaWorker;
  router: types.Router;
  maxIncomingBitrate: number;
}

export interface Publication {
  producer: types.Producer;
  source: MediaSource;
  /** The owner paused it (muted themselves). */
  ownerPaused: boolean;
  /** The floor keeps it paused, and why; only ever set on the microphone. */
  silence: Silence | null;
  /** The paused state last asked of the worker. */
  requestedPaused: boolean;
  /** The highest simulcast layer the sender was last told to encode; null: never told, all of them. */
  maxSpatialLayer: number | null;
}

interface Subscription {
  consumer: types.Consumer;
  offer: ProducerOffer;
  /** The browser attached the track and asked for it to flow. */
  ready: boolean;
  /** What the layer rule last chose for it; null until it first ran. */
  choice: LayerChoice | null;
  /** The paused state last asked of the worker (created paused). */
  requestedPaused: boolean;
}

/**
 * One browser connection's media: a send and a receive transport, at most one producer per
 * source, and its consumers. Only ids found in this peer's own maps can be touched.
 */
export class PeerMedia extends EventEmitter<PeerMediaEvents> {
  /** The connection this media belongs to (the socket id). */
  readonly id: string;
  readonly participantId: string;
  readonly role: Role;
  readonly #worker: MediaWorker;
  readonly #router: types.Router;
  readonly #maxIncomingBitrate: number;
  readonly #transports: { send: types.WebRtcTransport | null; recv: types.WebRtcTransport | null } = { send: null, recv: null };
  readonly #publications = new Map<MediaSource, Publication>();
  /** Sources with a produce request in flight, so two requests cannot both win. */
  readonly #producing = new Set<MediaSource>();
  readonly #subscriptions = new Map<string, Subscription>();
  /** The receiver's tiles, by participant and source: hints for layers only. */
  readonly #tiles = new Map<string, TileHint>();
  #receiveMode: ReceiveMode = 'all';
  #rtpCapabilities: RtpCapabilities | null = null;
  #ended = false;

  constructor(options: PeerMediaOptions) {
    super();
    this.id = options.id;
    this.participantId = options.participantId;
    this.role = options.role;
    this.#worker = options.worker;
    this.#router = options.router;
    this.#maxIncomingBitrate = options.maxIncomingBitrate;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Whether this peer told us what it can receive, i.e. it wants offers. */
  get receiving(): boolean {
    return this.#rtpCapabilities !== null && !this.#ended;
  }

  get publications(): Publication[] {
    return [...this.#publications.values()];
  }

  get mic(): Publication | undefined {
    return this.#publications.get('mic');
  }

  offerOf(publication: Publication): ProducerOffer {
    return { producerId: publication.producer.id, participantId: this.participantId, kind: publication.producer.kind, source: publication.source };
  }

  setCapabilities(rtpCapabilities: RtpCapabilities): void {
    this.#live();
    this.#rtpCapabilities = rtpCapabilities;
  }

  async createTransport(direction: 'send' | 'recv'): Promise<TransportDescription> {
    this.#live();
    const transport = await this.#worker.createWebRtcTransport(this.#router, {
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 1_000_000,
      appData: { direction, peer: this.id },
    });
    if (this.#ended) {
      transport.close();
      throw new Refused('NOT_FOUND', 'this media connection has ended');
    }
    if (direction === 'send') await transport.setMaxIncomingBitrate(this.#maxIncomingBitrate).catch(() => undefined);
    // Asking again replaces the old transport, and with it what it carried.
    this.#transports[direction]?.close();
    this.#transports[direction] = transport;
    transport.observer.once('close', () => {
      if (this.#transports[direction] === transport) this.#transports[direction] = null;
    });
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    await this.#transport(transportId).connect({ dtlsParameters });
  }

  async restartIce(transportId: string): Promise<TransportDescription['iceParameters']> {
    return this.#transport(transportId).restartIce();
  }

  /** Publish one source. `silence` is the floor's answer for this participant right now. */
  async produce(request: ParsedMediaRequest<'media.produce'>, silence: Silence | null): Promise<Publication> {
    const { transportId, kind, source, rtpParameters, paused } = request;
    const transport = this.#transports.send;
    if (!transport || transport.id !== transportId) throw new Refused('NOT_FOUND', 'no such send transport');
    if (kindOfSource[source] !== kind) throw new Refused('INVALID', `a ${source} carries ${kindOfSource[source]}`);
    if (source === 'screen' && this.role !== 'facilitator') throw new Refused('FORBIDDEN', 'only the facilitator shares a screen');
    if (this.#publications.has(source) || this.#producing.has(source)) throw new Refused('INVALID', `already publishing a ${source}`);
    const floor = source === 'mic' ? silence : null;
    this.#producing.add(source);
    let producer: types.Producer;
    try {
      producer = await transport.produce({ kind, rtpParameters, paused: paused || floor !== null, appData: { source, participantId: this.participantId } });
    } finally {
      this.#producing.delete(source);
    }
    if (this.#ended || transport.closed) {
      producer.close();
      throw new Refused('NOT_FOUND', 'this media connection has ended');
    }
    const publication: Publication = { producer, source, ownerPaused: paused, silence: floor, requestedPaused: paused || floor !== null, maxSpatialLayer: null };
    this.#publications.set(source, publication);
    producer.observer.once('close', () => {
      if (this.#publications.get(source) === publication) this.#publications.delete(source);
    });
    return publication;
  }

  async pauseProducer(producerId: string): Promise<void> {
    const publication = this.#publication(producerId);
    publication.ownerPaused = true;
    await this.#applyPause(publication);
  }

  async resumeProducer(producerId: string): Promise<void> {
    const publication = this.#publication(producerId);
    if (publication.silence !== null) throw new Refused('FLOOR_NOT_ALLOWED', publication.silence);
    publication.ownerPaused = false;
    await this.#applyPause(publication);
  }

  closeProducer(producerId: string): void {
    this.#publication(producerId).producer.close();
  }

  /** The floor's answer for this participant changed: pause or release the microphone, and say why. */
  async silence(reason: Silence | null): Promise<void> {
    const mic = this.mic;
    if (!mic || mic.silence === reason || mic.producer.closed) return;
    mic.silence = reason;
    this.emit('silenced', { producerId: mic.producer.id, reason });
    await this.#applyPause(mic);
  }

  /** Tell this peer about a producer it may consume. */
  offer(offer: ProducerOffer): void {
    if (this.receiving && offer.participantId !== this.participantId) this.emit('offer', offer);
  }

  /** Create a paused consumer of another participant's producer; asking twice answers the same one. */
  async consume(offer: ProducerOffer): Promise<ConsumerDescription> {
    const transport = this.#transports.recv;
    const rtpCapabilities = this.#rtpCapabilities;
    if (!transport) throw new Refused('NOT_FOUND', 'create a receive transport first');
    if (!rtpCapabilities) throw new Refused('INVALID', 'send media.capabilities first');
    const existing = [...this.#subscriptions.values()].find((s) => s.offer.producerId === offer.producerId);
    if (existing) return this.#describe(existing);
    if (!this.#router.canConsume({ producerId: offer.producerId, rtpCapabilities })) throw new Refused('INVALID', 'this browser cannot receive that codec');
    const consumer = await transport.consume({ producerId: offer.producerId, rtpCapabilities, paused: true, appData: { participantId: offer.participantId, source: offer.source } });
    if (this.#ended || transport.closed) {
      consumer.close();
      throw new Refused('NOT_FOUND', 'this media connection has ended');
    }
    const subscription: Subscription = { consumer, offer, ready: false, choice: null, requestedPaused: true };
    this.#subscriptions.set(consumer.id, subscription);
    consumer.observer.once('close', () => this.#subscriptions.delete(consumer.id));
    consumer.once('producerclose', () => {
      consumer.close();
      this.emit('consumerclosed', { consumerId: consumer.id, producerId: offer.producerId });
    });
    return this.#describe(subscription);
  }

  /** The browser attached these consumers' tracks; answers those that closed meanwhile. */
  async resumeConsumers(consumerIds: string[]): Promise<string[]> {
    const missing: string[] = [];
    await Promise.all(
      consumerIds.map(async (consumerId) => {
        const subscription = this.#subscriptions.get(consumerId);
        if (!subscription) return void missing.push(consumerId);
        subscription.ready = true;
        await this.#applyFlow(subscription).catch(() => missing.push(consumerId));
      }),
    );
    return missing;
  }

  /** The receiver's tiles as it last reported them, replacing the report before. */
  setTiles(tiles: TileHint[]): void {
    this.#live();
    this.#tiles.clear();
    for (const tile of tiles) this.#tiles.set(`${tile.participantId}:${tile.source}`, tile);
  }

  setReceiveMode(mode: ReceiveMode): void {
    this.#live();
    this.#receiveMode = mode;
  }

  /** Apply the layer rule to every consumer: preferred layers, priority, and whether its video flows. */
  async adapt(attention: Attention): Promise<void> {
    await Promise.all(
      [...this.#subscriptions.values()].map(async (subscription) => {
        const { offer } = subscription;
        const hint = offer.source === 'mic' ? undefined : this.#tiles.get(`${offer.participantId}:${offer.source}`);
        await this.#applyChoice(subscription, chooseLayers(offer, hint, this.#receiveMode, attention));
      }),
    );
  }

  /** What the layer rule chose for this peer's consumer of a producer, if it consumes it. */
  choiceFor(producerId: string): LayerChoice | null {
    for (const subscription of this.#subscriptions.values()) if (subscription.offer.producerId === producerId) return subscription.choice;
    return null;
  }

  /** Tell this peer's browser to encode one of its cameras no higher than this layer; only changes are sent. */
  limitLayers(publication: Publication, maxSpatialLayer: number): void {
    if (publication.maxSpatialLayer === maxSpatialLayer || publication.producer.closed || this.#ended) return;
    publication.maxSpatialLayer = maxSpatialLayer;
    this.emit('layers', { producerId: publication.producer.id, maxSpatialLayer });
  }

  /** What this peer holds on the router, for operators and tests. */
  describe(): {
    participantId: string;
    transportIds: string[];
    producerIds: string[];
    consumerIds: string[];
    pausedConsumerIds: string[];
    consumers: { id: string; producerId: string; kind: string; paused: boolean; preferredSpatialLayer: number | null; currentSpatialLayer: number | null; priority: number }[];
  } {
    const subscriptions = [...this.#subscriptions.values()];
    return {
      participantId: this.participantId,
      transportIds: [this.#transports.send, this.#transports.recv].filter((t): t is types.WebRtcTransport => t !== null).map((t) => t.id),
      producerIds: this.publications.map((p) => p.producer.id),
      consumerIds: [...this.#subscriptions.keys()],
      pausedConsumerIds: subscriptions.filter((s) => s.consumer.paused).map((s) => s.consumer.id),
      consumers: subscriptions.map(({ consumer, offer }) => ({
        id: consumer.id,
        producerId: offer.producerId,
        kind: consumer.kind,
        paused: consumer.paused,
        preferredSpatialLayer: consumer.preferredLayers?.spatialLayer ?? null,
        currentSpatialLayer: consumer.currentLayers?.spatialLayer ?? null,
        priority: consumer.priority,
      })),
    };
  }

  /** Close everything this peer owns; its transports take their producers and consumers with them. */
  end(reason: PeerEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const publication of this.#publications.values()) publication.producer.close();
    for (const { consumer } of this.#subscriptions.values()) consumer.close();
    this.#transports.send?.close();
    this.#transports.recv?.close();
    this.#publications.clear();
    this.#subscriptions.clear();
    this.emit('ended', reason);
  }

  #live(): void {
    if (this.#ended) throw new Refused('NOT_FOUND', 'this media connection has ended');
  }

  #transport(transportId: string): types.WebRtcTransport {
    const transport = [this.#transports.send, this.#transports.recv].find((t) => t?.id === transportId);
    if (!transport) throw new Refused('NOT_FOUND', 'no such transport');
    return transport;
  }

  #publication(producerId: string): Publication {
    const publication = [...this.#publications.values()].find((p) => p.producer.id === producerId);
    if (!publication) throw new Refused('NOT_FOUND', 'no such producer');
    return publication;
  }

  async #applyPause(publication: Publication): Promise<void> {
    const wanted = publication.ownerPaused || publication.silence !== null;
    if (wanted === publication.requestedPaused || publication.producer.closed) return;
    publication.requestedPaused = wanted;
    await (wanted ? publication.producer.pause() : publication.producer.resume());
  }

  async #applyChoice(subscription: Subscription, choice: LayerChoice): Promise<void> {
    const before = subscription.choice;
    subscription.choice = choice;
    const { consumer } = subscription;
    if (consumer.closed) return;
    const layered = consumer.type === 'simulcast' || consumer.type === 'svc';
    if (layered && (before?.spatialLayer !== choice.spatialLayer || before.temporalLayer !== choice.temporalLayer)) {
      await consumer.setPreferredLayers({ spatialLayer: choice.spatialLayer, temporalLayer: choice.temporalLayer }).catch(() => undefined);
    }
    if (before?.priority !== choice.priority) await consumer.setPriority(choice.priority).catch(() => undefined);
    await this.#applyFlow(subscription).catch(() => undefined);
  }

  /** A consumer flows once its browser is ready and the layer rule does not hold it back. */
  async #applyFlow(subscription: Subscription): Promise<void> {
    const wanted = !subscription.ready || subscription.choice?.paused === true;
    if (wanted === subscription.requestedPaused || subscription.consumer.closed) return;
    subscription.requestedPaused = wanted;
    await (wanted ? subscription.consumer.pause() : subscription.consumer.resume());
  }

  #describe({ consumer, offer }: Subscription): ConsumerDescription {
    return {
      id: consumer.id,
      producerId: offer.producerId,
      participantId: offer.participantId,
      kind: consumer.kind,
      source: offer.source,
      rtpParameters: consumer.rtpParameters,
      producerPaused: consumer.producerPaused,
    };
  }
}
