import { Device, type types } from 'mediasoup-client';
import type { MediaRequest, MediaSource } from '../../../shared/protocol/media.js';
import type { ReceiveMode, TileHint } from '../../../shared/session/video-layers.js';
import type { RoomSocket } from '../session/connection.js';
import { canProtectFrames, FrameProtection } from './e2ee/frame-protection.js';
import type { FrameCounts } from './e2ee/frame-messages.js';
import { RoomKeys, type KeyState } from './e2ee/room-keys.js';
import { LocalMedia, type LocalMediaOptions } from './local-media.js';
import { MediaLink, type Reception, type RemotePeerMedia } from './media-link.js';
import { MediaRequestError, MediaSignalling, reasonOf, socketPort } from './media-signalling.js';
import { t } from '../i18n/index.js';
import { TileWatcher } from './tile-watcher.js';

export type { LocalMediaOptions } from './local-media.js';
export type { Reception, RemotePeerMedia } from './media-link.js';

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
  /** End-to-end encryption: off (null), not possible in this browser, or the room key as this page holds it. */
  encryption: KeyState | 'unsupported' | null;
  /** the person's choice of incoming video: all, only the floor holder's ("save bandwidth"), none ("audio only") */
  receiveMode: ReceiveMode;
  error: string | null;
}

export interface MediaSessionOptions {
  /** Seal every frame with the room key (the room's setting). */
  encrypt?: boolean;
}

export type MediaResult = { ok: true } | { ok: false; code: string; message: string };

const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 5_000, 10_000];
/** After this many failed attempts in a row the state says 'failed' (it still keeps trying). */
const FAILED_AFTER = 4;

const sources = ['mic', 'camera', 'screen'] as const;

/**
 * A participant's audio and video in a room: publishes the microphone and camera (either may be
 * missing), consumes everyone the server offers, mutes within what the floor allows, and starts
 * over by itself after a reconnect, a failed transport or a media worker restart.
 */
export class MediaSession {
  readonly #signalling: MediaSignalling;
  readonly #local = new LocalMedia();
  readonly #listeners = new Set<(state: MediaState) => void>();
  #state: MediaState = {
    status: 'idle',
    local: { stream: null, micOn: false, cameraOn: false, screenOn: false, silencedBy: null },
    remotes: {},
    speaking: [],
    heardMs: {},
    encryption: null,
    receiveMode: 'all',
    error: null,
  };
  /** The remote tiles this page renders, reported so the server sends each the layer it needs. */
  readonly tiles = new TileWatcher((tiles) => this.#sendTiles(tiles));
  #link: MediaLink | null = null;
  /** Bumped by every new attempt, so an attempt overtaken by another gives up. */
  #generation = 0;
  #started = false;
  #failures = 0;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #unlisten: (() => void) | null = null;
  readonly #frames: FrameProtection | null = null;
  readonly #keys: RoomKeys | null = null;

  constructor(socket: RoomSocket, options: MediaSessionOptions = {}) {
    this.#signalling = new MediaSignalling(socketPort(socket));
    if (options.encrypt && !canProtectFrames()) this.#state = { ...this.#state, encryption: 'unsupported' };
    else if (options.encrypt) {
      this.#frames = new FrameProtection();
      this.#keys = new RoomKeys(this.#signalling, this.#frames, (encryption) => this.#update({ encryption }));
      this.#state = { ...this.#state, encryption: this.#keys.state };
    }
  }

  /** Say that this browser's safety code differs from the one read aloud (the facilitator is told). */
  async reportCodeDiffers(): Promise<void> {
    await this.#keys?.doubt();
  }

  /** Whether a frame as the SFU forwards it opens with this page's keys (null with encryption off). */
  frameOpens(kind: 'audio' | 'video', frame: Uint8Array): Promise<boolean> | null {
    return this.#frames?.opens(kind, frame) ?? null;
  }

  /** Frames the encryption worker sealed and opened, or null with encryption off. */
  frameCounts(): Promise<FrameCounts> | null {
    return this.#frames?.counts() ?? null;
  }

  get state(): MediaState {
    return this.#state;
  }

  subscribe(listener: (state: MediaState) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#state);
    return () => this.#listeners.delete(listener);
  }

  /** What this browser receives and sends right now, for connection-quality figures. */
  receiving(): Reception[] {
    return this.#link?.receiving() ?? [];
  }

  sending(): [MediaSource, types.Producer][] {
    return this.#link?.sending() ?? [];
  }

  /** Open the devices asked for and join the room's media; resolves after the first attempt. */
  async start(options: LocalMediaOptions): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#listen();
    this.#update({ status: 'connecting' });
    // Others' audio and video need no device of ours: the room's media is joined first, and camera and
    // microphone open once the media device has loaded (both are heavy work for the browser).
    this.#local.prepare(options, (error) => this.#updateLocal({ error }));
    if (!this.#signalling.connected) this.#local.openGate();
    await Promise.all([this.#local.opened, this.#signalling.connected ? this.#connect() : null]);
  }

  async setMic(on: boolean): Promise<MediaResult> {
    const link = this.#live();
    const producer = link?.producer('mic');
    if (!on) {
      this.#local.want('mic', false);
      producer?.pause();
      this.#updateLocal();
      if (producer) await this.#signalling.request('media.producer.pause', { producerId: producer.id }).catch(() => undefined);
      return { ok: true };
    }
    const failure = await this.#local.ensure('mic');
    if (failure) return { ok: false, ...failure };
    if (producer && link) {
      try {
        await this.#signalling.request('media.producer.resume', { producerId: producer.id });
      } catch (error) {
        return refusal(error);
      }
      this.#local.want('mic', true);
      link.unsilence(producer);
      producer.resume();
      this.#updateLocal();
      return { ok: true };
    }
    this.#local.want('mic', true);
    this.#updateLocal();
    return link ? this.#publishOrRefuse(link, 'mic') : { ok: true };
  }

  async setCamera(on: boolean): Promise<MediaResult> {
    if (!on) {
      this.#local.want('camera', false);
      await this.#unpublish('camera');
      return { ok: true };
    }
    const failure = await this.#local.ensure('camera');
    if (failure) return { ok: false, ...failure };
    this.#local.want('camera', true);
    this.#updateLocal();
    const link = this.#live();
    return link && !link.producer('camera') ? this.#publishOrRefuse(link, 'camera') : { ok: true };
  }

  /** This browser's shared screen, while it shares one. */
  get localScreen(): MediaStreamTrack | null {
    return this.#local.track('screen');
  }

  /** Share a screen (the facilitator's); the browser asks which one. */
  async setScreen(on: boolean): Promise<MediaResult> {
    if (!on) {
      this.#local.want('screen', false);
      await this.#unpublish('screen');
      return { ok: true };
    }
    const failure = await this.#local.ensureScreen(() => void this.setScreen(false));
    if (failure) return { ok: false, ...failure };
    this.#local.want('screen', true);
    this.#updateLocal();
    const link = this.#live();
    if (!link || link.producer('screen')) return { ok: true };
    const result = await this.#publishOrRefuse(link, 'screen');
    if (!result.ok) {
      this.#local.want('screen', false);
      this.#local.stop('screen');
      this.#updateLocal();
    }
    return result;
  }

  /** Which incoming video this person wants; kept across reconnects. */
  async setReceiveMode(mode: ReceiveMode): Promise<MediaResult> {
    this.#update({ receiveMode: mode });
    if (!this.#live()) return { ok: true };
    try {
      await this.#signalling.request('media.receive', { mode });
      return { ok: true };
    } catch (error) {
      return refusal(error);
    }
  }

  /** Move the microphone or camera to another device without leaving the room. */
  async switchDevice(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    const switched = await this.#local.switchTo(kind, deviceId);
    if (!switched) return;
    if ('failure' in switched) return void this.#update({ error: switched.failure.message });
    const producer = this.#link?.producer(kind === 'audio' ? 'mic' : 'camera');
    if (producer && !producer.closed) await producer.replaceTrack({ track: switched.track });
    switched.old.stop();
    this.#updateLocal({ error: null });
  }

  close(): void {
    if (!this.#started) return;
    this.#started = false;
    this.#generation++;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    if (this.#link && this.#signalling.connected) void this.#signalling.request('media.leave', {}).catch(() => undefined);
    this.#dropLink();
    this.#unlisten?.();
    this.#unlisten = null;
    this.#keys?.close();
    this.tiles.close();
    this.#local.close();
    this.#update({ status: 'idle', remotes: {}, speaking: [], local: { stream: null, micOn: false, cameraOn: false, screenOn: false, silencedBy: null } });
  }

  #listen(): void {
    this.#unlisten = this.#signalling.listen({
      'media.offer': (offer) => this.#link?.offer(offer),
      'media.consumer.closed': ({ consumerId }) => this.#link?.consumerClosed(consumerId),
      'media.silenced': ({ producerId, reason }) => this.#link?.silenced(producerId, reason),
      'media.speaking': ({ speaking }) => this.#update({ speaking }),
      'media.heard': ({ heardMs }) => this.#update({ heardMs }),
      'media.layers': ({ producerId, maxSpatialLayer }) => this.#link?.limitLayers(producerId, maxSpatialLayer),
      'media.reset': () => void this.#connect(),
      ...(this.#keys?.handlers() ?? { 'media.e2ee.holders': () => undefined, 'media.e2ee.key': () => undefined, 'media.e2ee.doubt': () => undefined }),
      disconnect: () => {
        this.#generation++;
        this.#local.openGate();
        this.#dropLink();
        this.#update({ status: 'recovering', remotes: {}, speaking: [] });
      },
      snapshot: () => {
        if (this.#state.status !== 'live') void this.#connect();
      },
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
      const [joined, device] = await Promise.all([this.#signalling.request('media.join', {}), Device.factory()]);
      await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as types.RtpCapabilities });
      this.#local.openGate();
      if (generation !== this.#generation) return;
      const link: MediaLink = new MediaLink(device, joined.iceServers, this.#signalling, this.#local, {
        localChanged: () => this.#current(link) && this.#updateLocal(),
        remotesChanged: () => this.#current(link) && this.#update({ remotes: link.remotes() }),
        failed: () => this.#current(link) && void this.#connect(),
        stalled: (error) => this.#stalled(link, error),
      }, this.#frames);
      this.#link = link;
      // The server forgets a connection's public key when its media ends: publish it with every join.
      this.#keys?.publish().catch(() => undefined);
      // The receive transport and what this browser can receive are independent: ask for both at once.
      const rtpCapabilities = device.rtpCapabilities as MediaRequest<'media.capabilities'>['rtpCapabilities'];
      const [{ offers }] = await Promise.all([this.#signalling.request('media.capabilities', { rtpCapabilities }), link.receive(), this.#restate()]);
      if (!this.#current(link)) return;
      this.#update({ status: 'live' });
      const publish = (source: MediaSource) => this.#local.opened.then(() => (this.#current(link) ? link.publish(source) : undefined));
      const results = await Promise.allSettled([link.consume(offers), ...sources.map(publish)]);
      for (const [index, result] of results.entries()) {
        if (result.status === 'fulfilled') continue;
        if (transient(result.reason)) throw result.reason;
        // Refused for good (e.g. the browser cannot send that codec): say so, keep the rest.
        this.#update({ error: t(`session:media.partFailed.${index === 0 ? 'receive' : sources[index - 1]!}`, { reason: reasonOf(result.reason) }) });
      }
      if (this.#current(link)) this.#failures = 0;
    } catch (error) {
      this.#local.openGate();
      if (generation !== this.#generation) return;
      this.#dropLink();
      const code = error instanceof MediaRequestError ? error.code : 'UNAVAILABLE';
      // Not admitted yet: the snapshot that admits us starts media again.
      if (code === 'NOT_ADMITTED') return void this.#update({ status: 'connecting' });
      this.#retryLater(error);
    }
  }

  /** A fresh media connection knows nothing of this page: say what it shows and wants before consuming. */
  async #restate(): Promise<void> {
    const mode = this.#state.receiveMode;
    this.tiles.reset();
    await Promise.all([mode === 'all' ? null : this.#signalling.request('media.receive', { mode }), this.tiles.flush()]);
  }

  #sendTiles(tiles: TileHint[]): void {
    if (this.#link && this.#signalling.connected) void this.#signalling.request('media.tiles', { tiles }).catch(() => undefined);
  }

  /** Something on a live link failed for a reason that may pass: start the media over. */
  #stalled(link: MediaLink, error: unknown): void {
    if (!this.#current(link) || !transient(error)) return;
    this.#generation++;
    this.#dropLink();
    this.#retryLater(error);
  }

  #retryLater(error: unknown): void {
    this.#failures++;
    this.#update({ status: this.#failures >= FAILED_AFTER ? 'failed' : 'recovering', remotes: {}, speaking: [], error: t('session:media.failed', { reason: reasonOf(error) }) });
    const delay = RETRY_DELAYS_MS[Math.min(this.#failures - 1, RETRY_DELAYS_MS.length - 1)]!;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (this.#signalling.connected) void this.#connect();
    }, delay);
  }

  async #publishOrRefuse(link: MediaLink, source: MediaSource): Promise<MediaResult> {
    try {
      await link.publish(source);
      return { ok: true };
    } catch (error) {
      return refusal(error);
    }
  }

  async #unpublish(source: MediaSource): Promise<void> {
    const producer = this.#link?.takeProducer(source);
    if (producer) {
      producer.close();
      if (this.#signalling.connected) await this.#signalling.request('media.producer.close', { producerId: producer.id }).catch(() => undefined);
    }
    this.#local.stop(source);
    this.#updateLocal();
  }

  #live(): MediaLink | null {
    return this.#state.status === 'live' ? this.#link : null;
  }

  #current(link: MediaLink): boolean {
    return this.#link === link && link.live;
  }

  #dropLink(): void {
    const link = this.#link;
    this.#link = null;
    if (!link) return;
    link.close();
    this.#updateLocal();
  }

  #updateLocal(change: Partial<MediaState> = {}): void {
    this.#update({
      ...change,
      local: {
        stream: this.#local.stream(this.#state.local.stream),
        micOn: this.#local.isOn('mic'),
        cameraOn: this.#local.isOn('camera'),
        screenOn: this.#local.isOn('screen'),
        silencedBy: this.#link?.micSilence ?? null,
      },
    });
  }

  #update(change: Partial<MediaState>): void {
    this.#state = { ...this.#state, ...change };
    for (const listener of this.#listeners) listener(this.#state);
  }
}

/** Whether trying again could help: a timeout, a busy or restarting server, a closed transport. */
function transient(error: unknown): boolean {
  if (error instanceof MediaRequestError) return !['FORBIDDEN', 'INVALID', 'UNSUPPORTED', 'FLOOR_NOT_ALLOWED', 'NOT_ADMITTED', 'ROOM_FULL', 'STALE'].includes(error.code);
  return (error as Error | null)?.name !== 'UnsupportedError';
}

function refusal(error: unknown): MediaResult & { ok: false } {
  if (error instanceof MediaRequestError) return { ok: false, code: error.code, message: error.message };
  return { ok: false, code: 'MEDIA_ERROR', message: error instanceof Error ? error.message : String(error) };
}
