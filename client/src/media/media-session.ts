import { Device, type types } from 'mediasoup-client';
import type { Socket } from 'socket.io-client';
import type {
  IceServer,
  MediaAnswer,
  MediaClientToServerEvents,
  MediaRequest,
  MediaRequestName,
  MediaResults,
  MediaServerToClientEvents,
  MediaSource,
  ProducerOffer,
} from '../../../shared/protocol/media.js';
import type { RoomSocket } from '../session/connection.js';
import { deviceFailure, openPreview, openTrack } from './devices.js';

export interface LocalMediaOptions {
  audio: boolean;
  video: boolean;
  audioDeviceId?: string | null;
  videoDeviceId?: string | null;
}

export interface RemotePeerMedia {
  participantId: string;
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
  screen: MediaStreamTrack | null;
}

export interface MediaState {
  status: 'idle' | 'connecting' | 'live' | 'recovering' | 'failed';
  local: {
    stream: MediaStream | null;
    micOn: boolean;
    cameraOn: boolean;
    screenOn: boolean;
    /** why the floor keeps the mic paused, e.g. 'NO_STICK' */
    silencedBy: string | null;
  };
  remotes: Record<string, RemotePeerMedia>;
  /** participant ids heard right now, from the server's observer */
  speaking: string[];
  /** facilitator only: ms each member was actually heard */
  heardMs: Record<string, number>;
  error: string | null;
}

export type MediaResult = { ok: true } | { ok: false; code: string; message: string };

/** What arrives from one remote track, for connection-quality displays and tests. */
export interface ReceiveStats {
  participantId: string;
  source: MediaSource;
  kind: 'audio' | 'video';
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  /** When the last packet arrived (ms since the epoch, the browser's clock), if any did. */
  lastPacketReceivedAt: number | null;
  /** When the browser took these figures, on the same clock. */
  reportedAt: number | null;
}

/** What leaves for the server from one published source. */
export interface SendStats {
  source: MediaSource;
  bytesSent: number;
  packetsSent: number;
  framesEncoded: number;
  /** Why the browser sends less than it could ('cpu', 'bandwidth'), if it does. */
  qualityLimitation: string | null;
}

/** The same socket, seen through its media events. */
type MediaSocket = Socket<MediaServerToClientEvents, MediaClientToServerEvents>;

const ACK_TIMEOUT_MS = 10_000;
/** Offers arriving this close together are consumed in one request (the server counts events per socket). */
const OFFER_BATCH_MS = 80;
/** A request the server's event budget refused is sent again after these pauses. */
const RATE_LIMIT_RETRY_MS = [1_000, 2_000, 3_000];
const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 5_000, 10_000];
/** After this many failed attempts in a row the state says 'failed' (it still keeps trying). */
const FAILED_AFTER = 4;

/** Camera video in three simulcast layers, so the SFU can send each viewer what their link carries. */
const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 2, maxBitrate: 400_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 1, maxBitrate: 1_000_000, scalabilityMode: 'L1T3' },
];
const OPUS_OPTIONS: types.ProducerCodecOptions = { opusStereo: false, opusDtx: true, opusFec: true };

const slotOf: Record<MediaSource, 'audio' | 'video' | 'screen'> = { mic: 'audio', camera: 'video', screen: 'screen' };

class MediaRequestError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'MediaRequestError';
    this.code = code;
  }
}

/** One attempt at media over the current socket: a device, its transports, and what they carry. */
interface Link {
  generation: number;
  device: Device;
  iceServers: IceServer[];
  send: Promise<types.Transport> | null;
  recv: types.Transport | null;
  /** The receive transport being created; consuming waits for it. */
  receiving: Promise<types.Transport> | null;
  producers: Map<MediaSource, types.Producer>;
  /** Publications in flight, so a second request for the same source waits for the first. */
  publishing: Map<MediaSource, Promise<void>>;
  /** Latest floor answer per producer id, from the produce answer and later events. */
  silences: Map<string, string | null>;
  consumers: Map<string, { consumer: types.Consumer; offer: ProducerOffer }>;
  /** Offers waiting to be consumed in one batch. */
  offers: Map<string, ProducerOffer>;
  offersTimer: ReturnType<typeof setTimeout> | null;
}

/**
 * A participant's audio and video in a room: publishes the microphone and camera (either may be
 * missing), consumes everyone the server offers, mutes within what the floor allows, and starts
 * over by itself after a reconnect, a failed transport or a media worker restart.
 */
export class MediaSession {
  readonly #socket: MediaSocket;
  readonly #listeners = new Set<(state: MediaState) => void>();
  #state: MediaState = {
    status: 'idle',
    local: { stream: null, micOn: false, cameraOn: false, screenOn: false, silencedBy: null },
    remotes: {},
    speaking: [],
    heardMs: {},
    error: null,
  };
  readonly #tracks: Record<MediaSource, MediaStreamTrack | null> = { mic: null, camera: null, screen: null };
  readonly #want: Record<MediaSource, boolean> = { mic: false, camera: false, screen: false };
  #devices: { audio: string | null; video: string | null } = { audio: null, video: null };
  #link: Link | null = null;
  #generation = 0;
  #started = false;
  /** The camera and microphone opening; publishing waits for it, joining the room's media does not. */
  #opening: Promise<void> = Promise.resolve();
  /** Lets the camera and microphone open: once the media device has loaded, or media could not start. */
  #releaseDevices: (() => void) | null = null;
  #failures = 0;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #unlisten: (() => void)[] = [];

  constructor(socket: RoomSocket) {
    // The room socket carries media events too; the session's types only list its own.
    this.#socket = socket as unknown as MediaSocket;
  }

  get state(): MediaState {
    return this.#state;
  }

  subscribe(listener: (state: MediaState) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#state);
    return () => this.#listeners.delete(listener);
  }

  /** Open the devices asked for and join the room's media; resolves after the first attempt. */
  async start(options: LocalMediaOptions): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#listen();
    this.#devices = { audio: options.audioDeviceId ?? null, video: options.videoDeviceId ?? null };
    this.#update({ status: 'connecting' });
    // Others' audio and video need no device of ours: the room's media is joined first, and camera and
    // microphone open once the media device has loaded (both are heavy work for the browser).
    this.#opening = new Promise<void>((resolve) => (this.#releaseDevices = resolve)).then(() => this.#openDevices(options));
    if (!this.#socket.connected) this.#openDevicesNow();
    await Promise.all([this.#opening, this.#socket.connected ? this.#connect() : null]);
  }

  #openDevicesNow(): void {
    this.#releaseDevices?.();
    this.#releaseDevices = null;
  }

  async #openDevices(options: LocalMediaOptions): Promise<void> {
    const { stream, errors } = await openPreview(options);
    if (!this.#started) return void stream?.getTracks().forEach((track) => track.stop());
    this.#tracks.mic = stream?.getAudioTracks()[0] ?? null;
    this.#tracks.camera = stream?.getVideoTracks()[0] ?? null;
    this.#want.mic = this.#tracks.mic !== null;
    this.#want.camera = this.#tracks.camera !== null;
    const problems = [errors.audio, errors.video].filter((e): e is string => e !== undefined);
    this.#updateLocal({ error: problems.length > 0 ? problems.join(' ') : null });
  }

  async setMic(on: boolean): Promise<MediaResult> {
    const link = this.#live();
    const producer = link?.producers.get('mic');
    if (!on) {
      this.#want.mic = false;
      producer?.pause();
      this.#updateLocal();
      if (producer && link) await this.#request('media.producer.pause', { producerId: producer.id }).catch(() => undefined);
      return { ok: true };
    }
    if (!this.#tracks.mic) {
      const opened = await openTrack('audio', this.#devices.audio);
      if ('failure' in opened) return { ok: false, ...opened.failure };
      this.#tracks.mic = opened.track;
    }
    if (producer && link) {
      try {
        await this.#request('media.producer.resume', { producerId: producer.id });
      } catch (error) {
        return this.#refusal(error);
      }
      this.#want.mic = true;
      link.silences.set(producer.id, null);
      producer.resume();
      this.#updateLocal();
      return { ok: true };
    }
    this.#want.mic = true;
    this.#updateLocal();
    return link ? this.#publishOrRefuse(link, 'mic') : { ok: true };
  }

  async setCamera(on: boolean): Promise<MediaResult> {
    if (!on) {
      this.#want.camera = false;
      await this.#unpublish('camera');
      return { ok: true };
    }
    if (!this.#tracks.camera) {
      const opened = await openTrack('video', this.#devices.video);
      if ('failure' in opened) return { ok: false, ...opened.failure };
      this.#tracks.camera = opened.track;
    }
    this.#want.camera = true;
    this.#updateLocal();
    const link = this.#live();
    return link && !link.producers.has('camera') ? this.#publishOrRefuse(link, 'camera') : { ok: true };
  }

  /** Share a screen (the facilitator's); the browser asks which one. */
  async setScreen(on: boolean): Promise<MediaResult> {
    if (!on) {
      this.#want.screen = false;
      await this.#unpublish('screen');
      return { ok: true };
    }
    if (!this.#tracks.screen) {
      try {
        const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false });
        const track = stream.getVideoTracks()[0];
        if (!track) return { ok: false, code: 'NO_DEVICE', message: 'No screen was chosen.' };
        track.addEventListener('ended', () => void this.setScreen(false));
        this.#tracks.screen = track;
      } catch (error) {
        return { ok: false, ...deviceFailure(error, 'screen') };
      }
    }
    this.#want.screen = true;
    this.#updateLocal();
    const link = this.#live();
    if (!link || link.producers.has('screen')) return { ok: true };
    const result = await this.#publishOrRefuse(link, 'screen');
    if (!result.ok) {
      this.#want.screen = false;
      this.#tracks.screen?.stop();
      this.#tracks.screen = null;
      this.#updateLocal();
    }
    return result;
  }

  /** Move the microphone or camera to another device without leaving the room. */
  async switchDevice(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    this.#devices[kind] = deviceId;
    const source: MediaSource = kind === 'audio' ? 'mic' : 'camera';
    const old = this.#tracks[source];
    if (!old) return;
    const opened = await openTrack(kind, deviceId);
    if ('failure' in opened) {
      this.#update({ error: opened.failure.message });
      return;
    }
    this.#tracks[source] = opened.track;
    const producer = this.#link?.producers.get(source);
    if (producer && !producer.closed) await producer.replaceTrack({ track: opened.track });
    old.stop();
    this.#updateLocal({ error: null });
  }

  /** What arrives from each remote track right now. */
  async receiveStats(): Promise<ReceiveStats[]> {
    const link = this.#link;
    if (!link) return [];
    const all = await Promise.all(
      [...link.consumers.values()].map(async ({ consumer, offer }) => {
        const report = await consumer.getStats().catch(() => null);
        let inbound: Record<string, unknown> | undefined;
        report?.forEach((entry: Record<string, unknown>) => {
          if (entry.type === 'inbound-rtp') inbound = entry;
        });
        const number = (key: string) => (typeof inbound?.[key] === 'number' ? (inbound[key] as number) : 0);
        return {
          participantId: offer.participantId,
          source: offer.source,
          kind: offer.kind,
          bytesReceived: number('bytesReceived'),
          packetsReceived: number('packetsReceived'),
          packetsLost: number('packetsLost'),
          framesDecoded: number('framesDecoded'),
          frameWidth: number('frameWidth'),
          frameHeight: number('frameHeight'),
          lastPacketReceivedAt: typeof inbound?.lastPacketReceivedTimestamp === 'number' ? inbound.lastPacketReceivedTimestamp : null,
          reportedAt: typeof inbound?.timestamp === 'number' ? inbound.timestamp : null,
        };
      }),
    );
    return all;
  }

  /** What leaves for the server from each published source right now. */
  async sendStats(): Promise<SendStats[]> {
    const link = this.#link;
    if (!link) return [];
    return Promise.all(
      [...link.producers.entries()].map(async ([source, producer]) => {
        const report = await producer.getStats().catch(() => null);
        const totals: SendStats = { source, bytesSent: 0, packetsSent: 0, framesEncoded: 0, qualityLimitation: null };
        report?.forEach((entry: Record<string, unknown>) => {
          if (entry.type !== 'outbound-rtp') return;
          totals.bytesSent += typeof entry.bytesSent === 'number' ? entry.bytesSent : 0;
          totals.packetsSent += typeof entry.packetsSent === 'number' ? entry.packetsSent : 0;
          totals.framesEncoded += typeof entry.framesEncoded === 'number' ? entry.framesEncoded : 0;
          if (typeof entry.qualityLimitationReason === 'string' && entry.qualityLimitationReason !== 'none') totals.qualityLimitation = entry.qualityLimitationReason;
        });
        return totals;
      }),
    );
  }

  close(): void {
    if (!this.#started) return;
    this.#started = false;
    this.#generation++;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    if (this.#link && this.#socket.connected) void this.#request('media.leave', {}).catch(() => undefined);
    this.#dropLink();
    for (const unlisten of this.#unlisten.splice(0)) unlisten();
    for (const source of ['mic', 'camera', 'screen'] as const) {
      this.#tracks[source]?.stop();
      this.#tracks[source] = null;
      this.#want[source] = false;
    }
    this.#update({ status: 'idle', remotes: {}, speaking: [], local: { stream: null, micOn: false, cameraOn: false, screenOn: false, silencedBy: null } });
  }

  #listen(): void {
    const on = <E extends keyof MediaServerToClientEvents>(event: E, listener: MediaServerToClientEvents[E]) => {
      this.#socket.on(event, listener as never);
      this.#unlisten.push(() => this.#socket.off(event, listener as never));
    };
    const onSocket = (event: 'disconnect' | 'snapshot', listener: () => void) => {
      const socket = this.#socket as unknown as { on(e: string, l: () => void): void; off(e: string, l: () => void): void };
      socket.on(event, listener);
      this.#unlisten.push(() => socket.off(event, listener));
    };
    on('media.offer', (offer) => {
      const link = this.#link;
      if (link?.receiving) this.#queueOffers(link, [offer], OFFER_BATCH_MS);
    });
    on('media.consumer.closed', ({ consumerId }) => {
      const entry = this.#link?.consumers.get(consumerId);
      if (!entry) return;
      entry.consumer.close();
      this.#link!.consumers.delete(consumerId);
      this.#updateRemotes();
    });
    on('media.silenced', ({ producerId, reason }) => {
      const link = this.#link;
      if (!link) return;
      link.silences.set(producerId, reason);
      const mic = link.producers.get('mic');
      if (mic?.id === producerId) this.#applySilence(link, mic);
    });
    on('media.speaking', ({ speaking }) => this.#update({ speaking }));
    on('media.heard', ({ heardMs }) => this.#update({ heardMs }));
    on('media.reset', () => void this.#connect());
    onSocket('disconnect', () => {
      this.#generation++;
      this.#openDevicesNow();
      this.#dropLink();
      this.#update({ status: 'recovering', remotes: {}, speaking: [] });
    });
    // The server welcomes a (re)connected socket with a snapshot, after its media handlers are in place.
    onSocket('snapshot', () => {
      if (this.#state.status !== 'live') void this.#connect();
    });
  }

  /** Start this socket's media over: a fresh device, transports, publications and consumers. */
  async #connect(): Promise<void> {
    if (!this.#started) return;
    const generation = ++this.#generation;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#dropLink();
    if (this.#state.status === 'live') this.#update({ status: 'recovering', remotes: {}, speaking: [] });
    try {
      const [joined, device] = await Promise.all([this.#request('media.join', {}), Device.factory()]);
      await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as types.RtpCapabilities });
      this.#openDevicesNow();
      if (generation !== this.#generation) return;
      const link: Link = { generation, device, iceServers: joined.iceServers, send: null, recv: null, receiving: null, producers: new Map(), publishing: new Map(), silences: new Map(), consumers: new Map(), offers: new Map(), offersTimer: null };
      this.#link = link;
      // The receive transport and what this browser can receive are independent: ask for both at once.
      const receiving = (link.receiving = this.#createTransport(link, 'recv').then((recv) => (link.recv = recv)));
      const [{ offers }] = await Promise.all([
        this.#request('media.capabilities', { rtpCapabilities: device.rtpCapabilities as MediaRequest<'media.capabilities'>['rtpCapabilities'] }),
        receiving,
      ]);
      if (!this.#current(link)) return;
      this.#update({ status: 'live' });
      const sources = ['mic', 'camera', 'screen'] as const;
      const publish = (source: MediaSource) => this.#opening.then(() => (this.#current(link) ? this.#publish(link, source) : undefined));
      const results = await Promise.allSettled([this.#consume(link, offers), ...sources.map(publish)]);
      for (const [index, result] of results.entries()) {
        if (result.status === 'fulfilled') continue;
        if (this.#transient(result.reason)) throw result.reason;
        // Refused for good (e.g. the browser cannot send that codec): say so, keep the rest.
        const what = index === 0 ? 'what others send' : `your ${sources[index - 1]}`;
        this.#update({ error: `Audio and video: ${what} could not be connected: ${this.#refusal(result.reason).message}` });
      }
      if (this.#current(link)) this.#failures = 0;
    } catch (error) {
      this.#openDevicesNow();
      if (generation !== this.#generation) return;
      this.#dropLink();
      const code = error instanceof MediaRequestError ? error.code : 'UNAVAILABLE';
      // Not admitted yet: the snapshot that admits us starts media again.
      if (code === 'NOT_ADMITTED') return void this.#update({ status: 'connecting' });
      this.#retryLater(error);
    }
  }

  /** Something on a live link failed for a reason that may pass: start the media over. */
  #stalled(link: Link, error: unknown): void {
    if (!this.#current(link) || !this.#transient(error)) return;
    this.#generation++;
    this.#dropLink();
    this.#retryLater(error);
  }

  #retryLater(error: unknown): void {
    this.#failures++;
    const message = error instanceof Error ? error.message : String(error);
    this.#update({ status: this.#failures >= FAILED_AFTER ? 'failed' : 'recovering', remotes: {}, speaking: [], error: `Audio and video could not connect: ${message}` });
    const delay = RETRY_DELAYS_MS[Math.min(this.#failures - 1, RETRY_DELAYS_MS.length - 1)]!;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (this.#socket.connected) void this.#connect();
    }, delay);
  }

  /** Whether trying again could help: a timeout, a busy or restarting server, a closed transport. */
  #transient(error: unknown): boolean {
    if (error instanceof MediaRequestError) return !['FORBIDDEN', 'INVALID', 'UNSUPPORTED', 'FLOOR_NOT_ALLOWED', 'NOT_ADMITTED', 'ROOM_FULL', 'STALE'].includes(error.code);
    return (error as Error | null)?.name !== 'UnsupportedError';
  }

  async #createTransport(link: Link, direction: 'send' | 'recv'): Promise<types.Transport> {
    const { transport: description } = await this.#request('media.transport.create', { direction });
    if (!this.#current(link)) throw new MediaRequestError('STALE', 'media restarted');
    const options: types.TransportOptions = {
      id: description.id,
      iceParameters: description.iceParameters,
      iceCandidates: description.iceCandidates,
      dtlsParameters: description.dtlsParameters,
      iceServers: link.iceServers,
    };
    const transport = direction === 'send' ? link.device.createSendTransport(options) : link.device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      this.#request('media.transport.connect', { transportId: transport.id, dtlsParameters }).then(() => done(), fail);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
        const source = appData.source as MediaSource;
        const request = { transportId: transport.id, kind, source, rtpParameters: rtpParameters as MediaRequest<'media.produce'>['rtpParameters'], paused: appData.paused === true };
        this.#request('media.produce', request).then(({ producerId, silencedBy }) => {
          link.silences.set(producerId, silencedBy);
          done({ id: producerId });
        }, fail);
      });
    }
    transport.on('connectionstatechange', (state) => {
      // ICE and DTLS gave up (network change, server gone): start this media over.
      if (state === 'failed' && this.#current(link)) void this.#connect();
    });
    return transport;
  }

  #publish(link: Link, source: MediaSource): Promise<void> {
    const inFlight = link.publishing.get(source);
    if (inFlight) return inFlight;
    const publishing = this.#produce(link, source).finally(() => link.publishing.delete(source));
    link.publishing.set(source, publishing);
    return publishing;
  }

  async #produce(link: Link, source: MediaSource): Promise<void> {
    const track = this.#tracks[source];
    // A muted microphone is still published (paused), so unmuting is instant.
    if (!track || (!this.#want[source] && source !== 'mic')) return;
    if (track.readyState === 'ended' || link.producers.has(source)) return;
    const kind = source === 'mic' ? 'audio' : 'video';
    if (!link.device.canProduce(kind)) throw new MediaRequestError('UNSUPPORTED', `this browser cannot send ${kind} to the server`);
    if (!link.send) {
      const creating = this.#createTransport(link, 'send');
      link.send = creating;
      // A failed attempt must not stay cached: the next publication tries again.
      creating.catch(() => {
        if (link.send === creating) link.send = null;
      });
    }
    const transport = await link.send;
    const paused = source === 'mic' && !this.#want.mic;
    const producer = await transport.produce({
      track,
      stopTracks: false,
      appData: { source, paused },
      ...(source === 'mic' ? { codecOptions: OPUS_OPTIONS } : {}),
      ...(source === 'camera' ? { encodings: CAMERA_ENCODINGS.map((encoding) => ({ ...encoding })), codecOptions: { videoGoogleStartBitrate: 600 } } : {}),
    });
    if (!this.#current(link)) return void producer.close();
    link.producers.set(source, producer);
    producer.on('transportclose', () => link.producers.delete(source));
    if (source === 'mic') {
      if (paused) producer.pause();
      this.#applySilence(link, producer);
    }
    this.#updateLocal();
  }

  async #publishOrRefuse(link: Link, source: MediaSource): Promise<MediaResult> {
    try {
      await this.#publish(link, source);
      return { ok: true };
    } catch (error) {
      return this.#refusal(error);
    }
  }

  async #unpublish(source: MediaSource): Promise<void> {
    const link = this.#link;
    const producer = link?.producers.get(source);
    link?.producers.delete(source);
    if (producer) {
      producer.close();
      if (this.#socket.connected) await this.#request('media.producer.close', { producerId: producer.id }).catch(() => undefined);
    }
    this.#tracks[source]?.stop();
    this.#tracks[source] = null;
    this.#updateLocal();
  }

  /** Gather offers for a moment so a room's worth of producers is consumed in one request. */
  #queueOffers(link: Link, offers: ProducerOffer[], delayMs: number): void {
    for (const offer of offers) link.offers.set(offer.producerId, offer);
    link.offersTimer ??= setTimeout(() => {
      link.offersTimer = null;
      const queued = [...link.offers.values()];
      link.offers.clear();
      if (this.#current(link)) this.#consume(link, queued).catch((error: unknown) => this.#stalled(link, error));
    }, delayMs);
  }

  async #consume(link: Link, offers: ProducerOffer[]): Promise<void> {
    const wanted = offers.filter((offer) => ![...link.consumers.values()].some((c) => c.offer.producerId === offer.producerId));
    if (wanted.length === 0 || !link.receiving) return;
    const recv = await link.receiving;
    const { consumers: descriptions } = await this.#request('media.consume', { producerIds: wanted.slice(0, 64).map((o) => o.producerId) });
    if (wanted.length > 64) this.#queueOffers(link, wanted.slice(64), 0);
    if (!this.#current(link)) return;
    const consumers = await Promise.all(
      descriptions
        .filter((description) => !link.consumers.has(description.id))
        .map(async (description) => {
          const consumer = await recv.consume({
            id: description.id,
            producerId: description.producerId,
            kind: description.kind,
            rtpParameters: description.rtpParameters as types.RtpParameters,
            // Audio and camera of one person share a stream, so the browser keeps them in sync.
            streamId: `${description.participantId}-${description.source === 'screen' ? 'screen' : 'camera'}`,
            appData: { participantId: description.participantId, source: description.source },
          });
          const offer: ProducerOffer = { producerId: description.producerId, participantId: description.participantId, kind: description.kind, source: description.source };
          return { consumer, offer };
        }),
    );
    if (!this.#current(link)) return void consumers.forEach(({ consumer }) => consumer.close());
    for (const entry of consumers) {
      link.consumers.set(entry.consumer.id, entry);
      entry.consumer.on('transportclose', () => link.consumers.delete(entry.consumer.id));
    }
    this.#updateRemotes();
    if (consumers.length > 0) await this.#request('media.consumer.resume', { consumerIds: consumers.map(({ consumer }) => consumer.id) });
  }

  #applySilence(link: Link, mic: types.Producer): void {
    const reason = link.silences.get(mic.id) ?? null;
    if (reason !== null) mic.pause();
    else if (this.#want.mic) mic.resume();
    this.#updateLocal();
  }

  async #request<N extends MediaRequestName>(name: N, request: MediaRequest<N>): Promise<{ ok: true } & MediaResults[N]> {
    if (!this.#socket.connected) throw new MediaRequestError('OFFLINE', 'not connected to the server');
    const socket = this.#socket.timeout(ACK_TIMEOUT_MS) as unknown as { emitWithAck(event: N, payload: MediaRequest<N>): Promise<MediaAnswer<N>> };
    for (let attempt = 0; ; attempt++) {
      let answer: MediaAnswer<N>;
      try {
        answer = await socket.emitWithAck(name, request);
      } catch {
        throw new MediaRequestError('TIMEOUT', 'the server did not answer in time');
      }
      if (answer.ok) return answer;
      // Refused before any handler saw it, so sending it again is safe.
      const pause = answer.code === 'RATE_LIMITED' ? RATE_LIMIT_RETRY_MS[attempt] : undefined;
      if (pause === undefined || !this.#socket.connected) throw new MediaRequestError(answer.code, answer.message);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  #refusal(error: unknown): MediaResult & { ok: false } {
    if (error instanceof MediaRequestError) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: 'MEDIA_ERROR', message: error instanceof Error ? error.message : String(error) };
  }

  #live(): Link | null {
    return this.#state.status === 'live' ? this.#link : null;
  }

  #current(link: Link): boolean {
    return this.#link === link && link.generation === this.#generation;
  }

  #dropLink(): void {
    const link = this.#link;
    this.#link = null;
    if (!link) return;
    // Closing the transports closes their producers and consumers; our own tracks stay open.
    link.recv?.close();
    void link.send?.then((transport) => transport.close()).catch(() => undefined);
    link.producers.clear();
    link.consumers.clear();
    link.offers.clear();
    if (link.offersTimer) clearTimeout(link.offersTimer);
    this.#updateLocal();
  }

  #updateRemotes(): void {
    const remotes: Record<string, RemotePeerMedia> = {};
    for (const { consumer, offer } of this.#link?.consumers.values() ?? []) {
      const remote = (remotes[offer.participantId] ??= { participantId: offer.participantId, audio: null, video: null, screen: null });
      remote[slotOf[offer.source]] = consumer.track;
    }
    this.#update({ remotes });
  }

  #updateLocal(change: Partial<MediaState> = {}): void {
    const tracks = [this.#tracks.mic, this.#tracks.camera].filter((t): t is MediaStreamTrack => t !== null && t.readyState !== 'ended');
    const held = this.#state.local.stream;
    const same = held !== null && held.getTracks().length === tracks.length && tracks.every((t) => held.getTracks().includes(t));
    const mic = this.#link?.producers.get('mic');
    this.#update({
      ...change,
      local: {
        stream: tracks.length === 0 ? null : same ? held : new MediaStream(tracks),
        micOn: this.#want.mic && this.#tracks.mic !== null,
        cameraOn: this.#want.camera && this.#tracks.camera !== null,
        screenOn: this.#want.screen && this.#tracks.screen !== null,
        silencedBy: mic ? (this.#link?.silences.get(mic.id) ?? null) : null,
      },
    });
  }

  #update(change: Partial<MediaState>): void {
    this.#state = { ...this.#state, ...change };
    for (const listener of this.#listeners) listener(this.#state);
  }
}
