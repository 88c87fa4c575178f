import type { MediaSource } from '../../../shared/protocol/media.js';
import { t } from '../i18n/index.js';
import { deviceFailure, openPreview, openTrack, type DeviceFailure } from './devices.js';

export interface LocalMediaOptions {
  audio: boolean;
  video: boolean;
  audioDeviceId?: string | null;
  videoDeviceId?: string | null;
}

const sources = ['mic', 'camera', 'screen'] as const;

/**
 * This browser's own microphone, camera and screen: which tracks are open, which the person wants
 * sent, and which devices they chose. Opening waits for a gate, so the room's media can load first.
 */
export class LocalMedia {
  readonly #tracks: Record<MediaSource, MediaStreamTrack | null> = { mic: null, camera: null, screen: null };
  readonly #want: Record<MediaSource, boolean> = { mic: false, camera: false, screen: false };
  readonly #devices: { audio: string | null; video: string | null } = { audio: null, video: null };
  /** The camera and microphone opening; publishing waits for it, joining the room's media does not. */
  #opening: Promise<void> = Promise.resolve();
  #releaseGate: (() => void) | null = null;
  /** Bumped on close, so a preview that opens after it is stopped at once. */
  #round = 0;

  /** Open the devices asked for once the gate opens; `onProblems` hears why any could not open. */
  prepare(options: LocalMediaOptions, onProblems: (message: string | null) => void): void {
    const round = this.#round;
    this.#devices.audio = options.audioDeviceId ?? null;
    this.#devices.video = options.videoDeviceId ?? null;
    const gate = new Promise<void>((resolve) => (this.#releaseGate = resolve));
    this.#opening = gate.then(async () => {
      const { stream, errors } = await openPreview(options);
      if (round !== this.#round) return void stream?.getTracks().forEach((track) => track.stop());
      this.#tracks.mic = stream?.getAudioTracks()[0] ?? null;
      this.#tracks.camera = stream?.getVideoTracks()[0] ?? null;
      this.#want.mic = this.#tracks.mic !== null;
      this.#want.camera = this.#tracks.camera !== null;
      const problems = [errors.audio, errors.video].flatMap((e) => (e ? [e.message] : []));
      onProblems(problems.length > 0 ? problems.join(' ') : null);
    });
  }

  /** Let the camera and microphone open: the media device has loaded, or media could not start. */
  openGate(): void {
    this.#releaseGate?.();
    this.#releaseGate = null;
  }

  /** Resolves once the devices asked for at the start have opened (or failed to). */
  get opened(): Promise<void> {
    return this.#opening;
  }

  track(source: MediaSource): MediaStreamTrack | null {
    return this.#tracks[source];
  }

  wants(source: MediaSource): boolean {
    return this.#want[source];
  }

  /** Whether the source is wanted and has a track to send. */
  isOn(source: MediaSource): boolean {
    return this.#want[source] && this.#tracks[source] !== null;
  }

  want(source: MediaSource, on: boolean): void {
    this.#want[source] = on;
  }

  /** Open the microphone or camera on the chosen device unless it is open already. */
  async ensure(source: 'mic' | 'camera'): Promise<DeviceFailure | null> {
    if (this.#tracks[source]) return null;
    const kind = source === 'mic' ? 'audio' : 'video';
    const opened = await openTrack(kind, this.#devices[kind]);
    if ('failure' in opened) return opened.failure;
    this.#tracks[source] = opened.track;
    return null;
  }

  /** Ask the browser for a screen unless one is shared already; `onEnded` hears the browser's own stop button. */
  async ensureScreen(onEnded: () => void): Promise<DeviceFailure | null> {
    if (this.#tracks.screen) return null;
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false });
      const track = stream.getVideoTracks()[0];
      if (!track) return { code: 'NO_DEVICE', message: t('session:devices.noScreenChosen') };
      track.addEventListener('ended', onEnded);
      this.#tracks.screen = track;
      return null;
    } catch (error) {
      return deviceFailure(error, 'screen');
    }
  }

  /** Choose another device; if that source is open, its new track comes back with the old one still running. */
  async switchTo(kind: 'audio' | 'video', deviceId: string): Promise<{ old: MediaStreamTrack; track: MediaStreamTrack } | { failure: DeviceFailure } | null> {
    this.#devices[kind] = deviceId;
    const source = kind === 'audio' ? 'mic' : 'camera';
    const old = this.#tracks[source];
    if (!old) return null;
    const opened = await openTrack(kind, deviceId);
    if ('failure' in opened) return opened;
    this.#tracks[source] = opened.track;
    return { old, track: opened.track };
  }

  stop(source: MediaSource): void {
    this.#tracks[source]?.stop();
    this.#tracks[source] = null;
  }

  /** Stop every track and forget what was wanted. */
  close(): void {
    this.#round++;
    for (const source of sources) {
      this.stop(source);
      this.#want[source] = false;
    }
  }

  /** The camera and microphone as one stream for the preview tile; `held` is kept if it carries the same tracks. */
  stream(held: MediaStream | null): MediaStream | null {
    const tracks = [this.#tracks.mic, this.#tracks.camera].filter((t): t is MediaStreamTrack => t !== null && t.readyState !== 'ended');
    if (tracks.length === 0) return null;
    const same = held !== null && held.getTracks().length === tracks.length && tracks.every((t) => held.getTracks().includes(t));
    return same ? held : new MediaStream(tracks);
  }
}
