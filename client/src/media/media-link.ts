import type { Device, types } from 'mediasoup-client';
import type { IceServer, MediaRequest, MediaSource, ProducerOffer } from '../../../shared/protocol/media.js';
import type { FrameProtection } from './e2ee/frame-protection.js';
import type { LocalMedia } from './local-media.js';
import { MediaRequestError, type MediaSignalling } from './media-signalling.js';

/** Offers arriving this close together are consumed in one request (the server counts events per socket). */
const OFFER_BATCH_MS = 80;
/** The server consumes at most this many producers per request. */
const CONSUME_BATCH = 64;

/** Camera video in three simulcast layers, so the SFU can send each viewer what their link carries. */
export const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 2, maxBitrate: 400_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 1, maxBitrate: 1_000_000, scalabilityMode: 'L1T3' },
];
const OPUS_OPTIONS: types.ProducerCodecOptions = { opusStereo: false, opusDtx: true, opusFec: true };

/** Encrypted frames keep only Opus's and VP8's headers in clear, so those are the codecs sent with encryption on (never H264). */
function encryptableCodec(device: Device, kind: 'audio' | 'video'): types.RtpCodecCapability | undefined {
  const wanted = kind === 'audio' ? 'audio/opus' : 'video/vp8';
  const codec = device.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === wanted);
  if (!codec) throw new MediaRequestError('UNSUPPORTED', `this browser cannot send ${wanted} for encrypted media`);
  return codec;
}

/** Diagnostics switch, in this browser's storage under this key: 'relay' sends all media through the TURN servers. */
export const ICE_POLICY_KEY = 'holdspace.icePolicy';

/** 'relay' when this browser was told to use only TURN (to prove a relay works); otherwise every path ICE finds. */
function icePolicy(): RTCIceTransportPolicy {
  try {
    return globalThis.localStorage?.getItem(ICE_POLICY_KEY) === 'relay' ? 'relay' : 'all';
  } catch {
    // Storage can be refused (privacy settings); the switch is then simply off.
    return 'all';
  }
}

export interface RemotePeerMedia {
  participantId: string;
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
  screen: MediaStreamTrack | null;
}

const slotOf: Record<MediaSource, 'audio' | 'video' | 'screen'> = { mic: 'audio', camera: 'video', screen: 'screen' };

/** A consumer with the offer it answers: whose track it is, and from which source. */
export interface Reception {
  consumer: types.Consumer;
  offer: ProducerOffer;
}

/** What a link tells the session that owns it. */
export interface LinkEvents {
  /** What we send, or the floor's silence on it, changed. */
  localChanged(): void;
  /** What we receive changed. */
  remotesChanged(): void;
  /** ICE and DTLS gave up (network change, server gone): start the media over. */
  failed(): void;
  /** A request on the live link failed: the session decides whether to start over. */
  stalled(error: unknown): void;
}

/**
 * One attempt at media over the current socket: a loaded device, its send and receive transports,
 * and what they carry. Once closed, nothing it still has in flight takes effect.
 */
export class MediaLink {
  readonly #device: Device;
  readonly #iceServers: IceServer[];
  readonly #signalling: MediaSignalling;
  readonly #local: LocalMedia;
  readonly #events: LinkEvents;
  /** End-to-end encryption of frames, when the room has it on. */
  readonly #frames: FrameProtection | null;
  #send: Promise<types.Transport> | null = null;
  #recv: types.Transport | null = null;
  /** The receive transport being created; consuming waits for it. */
  #receiving: Promise<types.Transport> | null = null;
  readonly #producers = new Map<MediaSource, types.Producer>();
  /** Publications in flight, so a second request for the same source waits for the first. */
  readonly #publishing = new Map<MediaSource, Promise<void>>();
  /** Latest floor answer per producer id, from the produce answer and later events. */
  readonly #silences = new Map<string, string | null>();
  readonly #consumers = new Map<string, Reception>();
  /** Offers waiting to be consumed in one batch. */
  readonly #offers = new Map<string, ProducerOffer>();
  #offersTimer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(device: Device, iceServers: IceServer[], signalling: MediaSignalling, local: LocalMedia, events: LinkEvents, frames: FrameProtection | null = null) {
    this.#frames = frames;
    this.#device = device;
    this.#iceServers = iceServers;
    this.#signalling = signalling;
    this.#local = local;
    this.#events = events;
  }

  get live(): boolean {
    return !this.#closed;
  }

  /** Open the receive transport; consuming waits for it. */
  receive(): Promise<types.Transport> {
    this.#receiving ??= this.#createTransport('recv').then((recv) => (this.#recv = recv));
    return this.#receiving;
  }

  producer(source: MediaSource): types.Producer | undefined {
    return this.#producers.get(source);
  }

  /** Remove a source's producer from the link; the caller tells the server. */
  takeProducer(source: MediaSource): types.Producer | undefined {
    const producer = this.#producers.get(source);
    this.#producers.delete(source);
    return producer;
  }

  sending(): [MediaSource, types.Producer][] {
    return [...this.#producers.entries()];
  }

  receiving(): Reception[] {
    return [...this.#consumers.values()];
  }

  /** Why the floor keeps this microphone paused, if it does. */
  get micSilence(): string | null {
    const mic = this.#producers.get('mic');
    return mic ? (this.#silences.get(mic.id) ?? null) : null;
  }

  /** The person unmuted and the server agreed. */
  unsilence(mic: types.Producer): void {
    this.#silences.set(mic.id, null);
  }

  remotes(): Record<string, RemotePeerMedia> {
    const remotes: Record<string, RemotePeerMedia> = {};
    for (const { consumer, offer } of this.#consumers.values()) {
      const remote = (remotes[offer.participantId] ??= { participantId: offer.participantId, audio: null, video: null, screen: null });
      remote[slotOf[offer.source]] = consumer.track;
    }
    return remotes;
  }

  /** Nobody receives this camera above this layer: stop encoding the layers above it (and start again when asked). */
  limitLayers(producerId: string, maxSpatialLayer: number): void {
    const camera = this.#producers.get('camera');
    // A refused change leaves every layer on: more bytes, never a frozen picture.
    if (camera?.id === producerId && !camera.closed) camera.setMaxSpatialLayer(maxSpatialLayer).catch(() => undefined);
  }

  /** The floor paused (reason) or released (null) one of our producers. */
  silenced(producerId: string, reason: string | null): void {
    this.#silences.set(producerId, reason);
    const mic = this.#producers.get('mic');
    if (mic?.id === producerId) this.#applySilence(mic);
  }

  consumerClosed(consumerId: string): void {
    const entry = this.#consumers.get(consumerId);
    if (!entry) return;
    entry.consumer.close();
    this.#consumers.delete(consumerId);
    this.#events.remotesChanged();
  }

  /** A new producer on offer: consumed with whatever else arrives in the next moment. */
  offer(offer: ProducerOffer): void {
    if (this.#receiving) this.#queueOffers([offer], OFFER_BATCH_MS);
  }

  publish(source: MediaSource): Promise<void> {
    const inFlight = this.#publishing.get(source);
    if (inFlight) return inFlight;
    const publishing = this.#produce(source).finally(() => this.#publishing.delete(source));
    this.#publishing.set(source, publishing);
    return publishing;
  }

  async consume(offers: ProducerOffer[]): Promise<void> {
    const wanted = offers.filter((offer) => ![...this.#consumers.values()].some((c) => c.offer.producerId === offer.producerId));
    if (wanted.length === 0 || !this.#receiving) return;
    const recv = await this.#receiving;
    const { consumers: descriptions } = await this.#signalling.request('media.consume', { producerIds: wanted.slice(0, CONSUME_BATCH).map((o) => o.producerId) });
    if (wanted.length > CONSUME_BATCH) this.#queueOffers(wanted.slice(CONSUME_BATCH), 0);
    if (this.#closed) return;
    const consumers = await Promise.all(
      descriptions
        .filter((description) => !this.#consumers.has(description.id))
        .map(async (description): Promise<Reception> => {
          const consumer = await recv.consume({
            id: description.id,
            producerId: description.producerId,
            kind: description.kind,
            rtpParameters: description.rtpParameters as types.RtpParameters,
            // Audio and camera of one person share a stream, so the browser keeps them in sync.
            streamId: `${description.participantId}-${description.source === 'screen' ? 'screen' : 'camera'}`,
            appData: { participantId: description.participantId, source: description.source },
            ...(this.#frames ? { onRtpReceiver: this.#frames.receiver(description.kind) } : {}),
          });
          const offer: ProducerOffer = { producerId: description.producerId, participantId: description.participantId, kind: description.kind, source: description.source };
          return { consumer, offer };
        }),
    );
    if (this.#closed) return void consumers.forEach(({ consumer }) => consumer.close());
    for (const entry of consumers) {
      this.#consumers.set(entry.consumer.id, entry);
      entry.consumer.on('transportclose', () => this.#consumers.delete(entry.consumer.id));
    }
    this.#events.remotesChanged();
    if (consumers.length > 0) await this.#signalling.request('media.consumer.resume', { consumerIds: consumers.map(({ consumer }) => consumer.id) });
  }

  /** Closing the transports closes their producers and consumers; our own tracks stay open. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#recv?.close();
    void this.#send?.then((transport) => transport.close()).catch(() => undefined);
    this.#producers.clear();
    this.#consumers.clear();
    this.#offers.clear();
    if (this.#offersTimer) clearTimeout(this.#offersTimer);
  }

  async #createTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const { transport: description } = await this.#signalling.request('media.transport.create', { direction });
    if (this.#closed) throw new MediaRequestError('STALE', 'media restarted');
    const options: types.TransportOptions = {
      id: description.id,
      iceParameters: description.iceParameters,
      iceCandidates: description.iceCandidates,
      dtlsParameters: description.dtlsParameters,
      iceServers: this.#iceServers,
      iceTransportPolicy: icePolicy(),
    };
    const transport = direction === 'send' ? this.#device.createSendTransport(options) : this.#device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      this.#signalling.request('media.transport.connect', { transportId: transport.id, dtlsParameters }).then(() => done(), fail);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
        const source = appData.source as MediaSource;
        const request = { transportId: transport.id, kind, source, rtpParameters: rtpParameters as MediaRequest<'media.produce'>['rtpParameters'], paused: appData.paused === true };
        this.#signalling.request('media.produce', request).then(({ producerId, silencedBy }) => {
          this.#silences.set(producerId, silencedBy);
          done({ id: producerId });
        }, fail);
      });
    }
    transport.on('connectionstatechange', (state) => {
      if (state === 'failed' && !this.#closed) this.#events.failed();
    });
    return transport;
  }

  async #produce(source: MediaSource): Promise<void> {
    const track = this.#local.track(source);
    // A muted microphone is still published (paused), so unmuting is instant.
    if (!track || (!this.#local.wants(source) && source !== 'mic')) return;
    if (track.readyState === 'ended' || this.#producers.has(source)) return;
    const kind = source === 'mic' ? 'audio' : 'video';
    if (!this.#device.canProduce(kind)) throw new MediaRequestError('UNSUPPORTED', `this browser cannot send ${kind} to the server`);
    if (!this.#send) {
      const creating = this.#createTransport('send');
      this.#send = creating;
      // A failed attempt must not stay cached: the next publication tries again.
      creating.catch(() => {
        if (this.#send === creating) this.#send = null;
      });
    }
    const transport = await this.#send;
    const paused = source === 'mic' && !this.#local.wants('mic');
    const producer = await transport.produce({
      track,
      stopTracks: false,
      appData: { source, paused },
      ...(source === 'mic' ? { codecOptions: OPUS_OPTIONS } : {}),
      ...(source === 'camera' ? { encodings: CAMERA_ENCODINGS.map((encoding) => ({ ...encoding })), codecOptions: { videoGoogleStartBitrate: 600 } } : {}),
      ...(this.#frames ? { onRtpSender: this.#frames.sender(kind), codec: encryptableCodec(this.#device, kind) } : {}),
    });
    if (this.#closed) return void producer.close();
    this.#producers.set(source, producer);
    producer.on('transportclose', () => this.#producers.delete(source));
    if (source === 'mic') {
      if (paused) producer.pause();
      this.#applySilence(producer);
    } else {
      this.#events.localChanged();
    }
  }

  #applySilence(mic: types.Producer): void {
    const reason = this.#silences.get(mic.id) ?? null;
    if (reason !== null) mic.pause();
    else if (this.#local.wants('mic')) mic.resume();
    this.#events.localChanged();
  }

  /** Gather offers for a moment so a room's worth of producers is consumed in one request. */
  #queueOffers(offers: ProducerOffer[], delayMs: number): void {
    for (const offer of offers) this.#offers.set(offer.producerId, offer);
    this.#offersTimer ??= setTimeout(() => {
      this.#offersTimer = null;
      const queued = [...this.#offers.values()];
      this.#offers.clear();
      if (!this.#closed) this.consume(queued).catch((error: unknown) => this.#events.stalled(error));
    }, delayMs);
  }
}
