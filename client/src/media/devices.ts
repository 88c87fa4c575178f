import { t } from '../i18n/index.js';
import type { LocalMediaOptions } from './local-media.js';

/** Why a camera or microphone could not be opened, in words a person can act on. */
export interface DeviceFailure {
  code: 'PERMISSION_DENIED' | 'NO_DEVICE' | 'DEVICE_BUSY' | 'DEVICE_ERROR';
  message: string;
}

export async function listDevices(): Promise<{ audio: MediaDeviceInfo[]; video: MediaDeviceInfo[] }> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return { audio: all.filter((d) => d.kind === 'audioinput'), video: all.filter((d) => d.kind === 'videoinput') };
}

export function microphoneConstraints(deviceId?: string | null): MediaTrackConstraints {
  return { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 };
}

// 1280x720 makes the simulcast layers 320, 640 and 1280 wide, the widths the layer rule picks for.
export function cameraConstraints(deviceId?: string | null): MediaTrackConstraints {
  return { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 24, max: 30 } };
}

type Device = 'microphone' | 'camera' | 'screen';

/** The message is read when shown, so it follows the language chosen since. */
const failure = (code: DeviceFailure['code'], device: Device): DeviceFailure => ({
  code,
  get message() {
    return t(`session:devices.${device}.${code}`);
  },
});

export function deviceFailure(error: unknown, device: Device): DeviceFailure {
  const name = (error as { name?: string } | null)?.name;
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return failure('PERMISSION_DENIED', device);
    case 'NotFoundError':
    case 'OverconstrainedError':
      return failure('NO_DEVICE', device);
    case 'NotReadableError':
    case 'AbortError':
      return failure('DEVICE_BUSY', device);
    default:
      return failure('DEVICE_ERROR', device);
  }
}

/** One track of the kind asked for, or why there is none. */
export async function openTrack(kind: 'audio' | 'video', deviceId?: string | null): Promise<{ track: MediaStreamTrack } | { failure: DeviceFailure }> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia(kind === 'audio' ? { audio: microphoneConstraints(deviceId) } : { video: cameraConstraints(deviceId) });
    const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
    if (!track) return { failure: deviceFailure({ name: 'NotFoundError' }, kind === 'audio' ? 'microphone' : 'camera') };
    return { track };
  } catch (error) {
    return { failure: deviceFailure(error, kind === 'audio' ? 'microphone' : 'camera') };
  }
}

/**
 * Open the camera and microphone asked for. Either may be missing or denied: whatever opened is
 * in the stream, and each failure is explained. Both are asked for at once so the browser shows
 * one prompt; only if that fails is each tried alone, to tell which one is the problem.
 */
export async function openPreview(options: LocalMediaOptions): Promise<{ stream: MediaStream | null; errors: { audio?: DeviceFailure; video?: DeviceFailure } }> {
  const errors: { audio?: DeviceFailure; video?: DeviceFailure } = {};
  if (!options.audio && !options.video) return { stream: null, errors };
  if (options.audio && options.video) {
    try {
      const both = await navigator.mediaDevices.getUserMedia({ audio: microphoneConstraints(options.audioDeviceId), video: cameraConstraints(options.videoDeviceId) });
      return { stream: both, errors };
    } catch {
      // Fall through: one of the two may still work.
    }
  }
  const tracks: MediaStreamTrack[] = [];
  for (const kind of ['audio', 'video'] as const) {
    if (!options[kind]) continue;
    const opened = await openTrack(kind, kind === 'audio' ? options.audioDeviceId : options.videoDeviceId);
    if ('track' in opened) tracks.push(opened.track);
    else errors[kind] = opened.failure;
  }
  return { stream: tracks.length > 0 ? new MediaStream(tracks) : null, errors };
}

/** Report the microphone level (0 to 1) about ten times a second; returns a function that stops it. */
export function levelMeter(stream: MediaStream, onLevel: (level0to1: number) => void): () => void {
  if (stream.getAudioTracks().length === 0) {
    onLevel(0);
    return () => undefined;
  }
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  // A timer rather than animation frames: the meter keeps working in a background tab.
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    const rms = Math.sqrt(sum / samples.length);
    // Speech sits around -40 to -10 dBFS: map -60..0 dBFS onto 0..1.
    const db = rms > 0 ? 20 * Math.log10(rms) : -100;
    onLevel(Math.min(1, Math.max(0, (db + 60) / 60)));
  }, 100);
  return () => {
    clearInterval(timer);
    source.disconnect();
    void context.close();
  };
}
