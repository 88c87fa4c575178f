// A bare page on the real client modules (room connection and media session), driven by the
// browser tests through window.probe; it renders remote tracks as a UI would.
import { MediaSession, type LocalMediaOptions, type MediaResult, type MediaState } from '../../../client/src/media/media-session.js';
import { listDevices } from '../../../client/src/media/devices.js';
import { RoomConnection, type Intent } from '../../../client/src/session/connection.js';
import type { Ack } from '../../../shared/protocol/events.js';
import { mediaPaths, receiveStats, sendStats, type ReceiveStats } from './media-stats.js';

export interface ProbeSummary {
  status: MediaState['status'];
  micOn: boolean;
  cameraOn: boolean;
  silencedBy: string | null;
  remotes: Record<string, { audio: boolean; video: boolean; screen: boolean }>;
  speaking: string[];
  heardMs: Record<string, number>;
  encryption: MediaState['encryption'];
  error: string | null;
}

let connection: RoomConnection | null = null;
let media: MediaSession | null = null;
let joinedAt = 0;
const firstFrames: Record<string, number> = {};
/** When each remote's current video element showed its first frame (Date.now()). */
const latestFirstFrames: Record<string, number> = {};
/** Each change of media status, with when it happened (Date.now()). */
const history: { status: MediaState['status']; at: number }[] = [];
const container = document.getElementById('remotes')!;
/** Whether remote videos are reported as tiles (off by default, so other suites see today's behaviour). */
let watchingTiles = false;
const unwatch = new Map<Element, () => void>();
/** When each remote's video last rendered a frame (Date.now()). */
const lastFrames: Record<string, number> = {};

function watchTile(video: HTMLVideoElement): void {
  if (!watchingTiles || !media || unwatch.has(video)) return;
  // A fixed size, as a tile has: the picture's own size follows the layer received.
  video.width = 640;
  unwatch.set(video, media.tiles.watch(video, video.dataset.participant!, 'camera'));
}

function render(state: MediaState): void {
  for (const remote of Object.values(state.remotes)) {
    attach(`video-${remote.participantId}`, 'video', remote.video, remote.participantId);
    attach(`audio-${remote.participantId}`, 'audio', remote.audio, remote.participantId);
  }
  for (const element of Array.from(container.children) as HTMLMediaElement[]) {
    const track = (element.srcObject as MediaStream | null)?.getTracks()[0];
    const remote = state.remotes[element.dataset.participant!];
    if (!remote || (track !== remote.video && track !== remote.audio)) {
      unwatch.get(element)?.();
      unwatch.delete(element);
      element.remove();
    }
  }
}

function attach(id: string, kind: 'video' | 'audio', track: MediaStreamTrack | null, participantId: string): void {
  let element = document.getElementById(id) as HTMLMediaElement | null;
  if (!track) return void element?.remove();
  if (element && (element.srcObject as MediaStream | null)?.getTracks()[0] === track) return;
  element?.remove();
  element = document.createElement(kind);
  element.id = id;
  element.dataset.participant = participantId;
  element.autoplay = true;
  if (element instanceof HTMLVideoElement) {
    element.muted = true;
    element.playsInline = true;
    const video = element;
    video.requestVideoFrameCallback(() => {
      firstFrames[participantId] ??= performance.now() - joinedAt;
      latestFirstFrames[participantId] = Date.now();
    });
    const everyFrame = () => {
      lastFrames[participantId] = Date.now();
      if (video.isConnected) video.requestVideoFrameCallback(everyFrame);
    };
    video.requestVideoFrameCallback(everyFrame);
  }
  element.srcObject = new MediaStream([track]);
  container.append(element);
  if (element instanceof HTMLVideoElement) watchTile(element);
  void element.play().catch(() => undefined);
}

/** The audio from one participant; `lag` is how far Date.now() is ahead of the statistics' clock (plus their age). */
async function audio(participantId: string): Promise<{ bytes: number; lastPacketAt: number | null; lag: number | null }> {
  const stats = (media ? await receiveStats(media) : []).filter((s) => s.participantId === participantId && s.kind === 'audio');
  const now = Date.now();
  const times = stats.map((s) => s.lastPacketReceivedAt).filter((t): t is number => t !== null);
  const reported = stats.map((s) => s.reportedAt).filter((t): t is number => t !== null);
  return {
    bytes: stats.reduce((sum, s) => sum + s.bytesReceived, 0),
    lastPacketAt: times.length > 0 ? Math.max(...times) : null,
    lag: reported.length > 0 ? now - Math.max(...reported) : null,
  };
}

const probe = {
  async join(url: string, token: string, options: LocalMediaOptions, encrypt = false): Promise<MediaState['status']> {
    joinedAt = performance.now();
    connection = new RoomConnection(url, token);
    await new Promise<void>((resolve) => {
      const stop = connection!.subscribe((snapshot) => {
        if (snapshot.status === 'online' && snapshot.group !== null) {
          queueMicrotask(() => stop());
          resolve();
        }
      });
    });
    media = new MediaSession(connection.socket, { encrypt });
    media.subscribe(render);
    media.subscribe((state) => {
      if (history.at(-1)?.status !== state.status) history.push({ status: state.status, at: Date.now() });
    });
    await media.start(options);
    return media.state.status;
  },

  summary(): ProbeSummary | null {
    const state = media?.state;
    if (!state) return null;
    return {
      status: state.status,
      micOn: state.local.micOn,
      cameraOn: state.local.cameraOn,
      silencedBy: state.local.silencedBy,
      remotes: Object.fromEntries(
        Object.values(state.remotes).map((r) => [r.participantId, { audio: r.audio?.readyState === 'live', video: r.video?.readyState === 'live', screen: r.screen !== null }]),
      ),
      speaking: state.speaking,
      heardMs: state.heardMs,
      encryption: state.encryption,
      error: state.error,
    };
  },

  stats(): Promise<ReceiveStats[]> {
    return media ? receiveStats(media) : Promise.resolve([]);
  },

  videoSizes(): Record<string, { width: number; height: number }> {
    const sizes: Record<string, { width: number; height: number }> = {};
    container.querySelectorAll('video').forEach((video) => {
      sizes[video.dataset.participant!] = { width: video.videoWidth, height: video.videoHeight };
    });
    return sizes;
  },

  history(): { status: MediaState['status']; at: number }[] {
    return [...history];
  },

  /** When each remote's current video element rendered its first frame (Date.now()), e.g. after media restarted. */
  latestFirstFrames(): Record<string, number> {
    return { ...latestFirstFrames };
  },

  /** Milliseconds from join() to each remote's first rendered video frame. */
  firstFrames(): Record<string, number> {
    return { ...firstFrames };
  },

  /** What the encryption worker sealed, opened and dropped so far (null with encryption off). */
  frameCounts() {
    return media?.frameCounts() ?? null;
  },

  /** Whether this frame (base64, as the SFU forwarded it) opens with the keys this page holds. */
  frameOpens(kind: 'audio' | 'video', base64: string): Promise<boolean> | null {
    return media?.frameOpens(kind, Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))) ?? null;
  },

  /** Decode VP8 frames (base64, key frame first) with WebCodecs: how many became pictures, and the first error. */
  async decodeVp8(frames: { key: boolean; data: string }[]): Promise<{ pictures: number; error: string | null }> {
    let pictures = 0;
    let error: string | null = null;
    const decoder = new VideoDecoder({ output: (frame) => (pictures++, frame.close()), error: (e) => void (error ??= e.message) });
    decoder.configure({ codec: 'vp8' });
    for (const [i, frame] of frames.entries()) {
      if (decoder.state === 'closed') break;
      try {
        decoder.decode(new EncodedVideoChunk({ type: frame.key ? 'key' : 'delta', timestamp: i * 33_333, data: Uint8Array.from(atob(frame.data), (c) => c.charCodeAt(0)) }));
      } catch (e) {
        error ??= (e as Error).message;
        break;
      }
    }
    await decoder.flush().catch((e: Error) => void (error ??= e.message));
    if (decoder.state !== 'closed') decoder.close();
    return { pictures, error };
  },

  reportCodeDiffers(): Promise<void> {
    return media!.reportCodeDiffers();
  },

  setMic(on: boolean): Promise<MediaResult> {
    return media!.setMic(on);
  },

  setCamera(on: boolean): Promise<MediaResult> {
    return media!.setCamera(on);
  },

  send(intent: Intent): Promise<Ack> {
    return connection!.send(intent);
  },

  /** Audio packets a second arriving from this participant, over the next `ms`. */
  async audioPacketRate(participantId: string, ms: number): Promise<number> {
    const packets = async () => (media ? await receiveStats(media) : []).filter((s) => s.participantId === participantId && s.kind === 'audio').reduce((n, s) => n + s.packetsReceived, 0);
    const before = await packets();
    await new Promise((resolve) => setTimeout(resolve, ms));
    return ((await packets()) - before) / (ms / 1000);
  },

  /** Whether audio from this participant keeps arriving over the next `ms`. */
  async audioFlowing(participantId: string, ms: number): Promise<boolean> {
    const before = (await audio(participantId)).bytes;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return (await audio(participantId)).bytes > before;
  },

  /**
   * Watch this participant's audio until none has arrived for `quietMs`; answers when the last
   * packet arrived (epoch ms, as the browser's statistics stamp it, else as polled), or null if
   * it never went quiet before `deadlineMs`.
   */
  async silenceAfter(participantId: string, quietMs: number, deadlineMs: number): Promise<number | null> {
    const end = Date.now() + deadlineMs;
    let last = await audio(participantId);
    let changedAt = Date.now();
    // The smallest lag seen is the offset between the two clocks (fresh figures have no age).
    let offset = last.lag ?? 0;
    while (Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 15));
      const now = await audio(participantId);
      if (now.lag !== null) offset = Math.min(offset, now.lag);
      if (now.bytes !== last.bytes) {
        last = now;
        changedAt = Date.now();
      } else if (Date.now() - changedAt >= quietMs) {
        return last.lastPacketAt !== null ? last.lastPacketAt + offset : changedAt;
      }
    }
    return null;
  },

  sendStats() {
    return media ? sendStats(media) : Promise.resolve([]);
  },

  /** The chosen path of each media transport: direct ('host') or through TURN ('relay'). */
  paths() {
    return media ? mediaPaths(media) : Promise.resolve([]);
  },

  localTracks(): { kind: string; label: string; readyState: string; muted: boolean; enabled: boolean; width?: number }[] {
    return (media?.state.local.stream?.getTracks() ?? []).map((t) => ({ kind: t.kind, label: t.label, readyState: t.readyState, muted: t.muted, enabled: t.enabled, width: t.getSettings().width }));
  },

  devices(): Promise<{ audio: { id: string; label: string }[]; video: { id: string; label: string }[] }> {
    const plain = (d: MediaDeviceInfo) => ({ id: d.deviceId, label: d.label });
    return listDevices().then(({ audio, video }) => ({ audio: audio.map(plain), video: video.map(plain) }));
  },

  switchDevice(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    return media!.switchDevice(kind, deviceId);
  },

  /** Report remote videos as tiles from now on, as the room UI does. */
  watchTiles(): void {
    watchingTiles = true;
    container.querySelectorAll('video').forEach(watchTile);
  },

  /** Hide (display: none) or show one remote's video element, as a collapsed tile would. */
  showVideo(participantId: string, shown: boolean): void {
    const video = document.getElementById(`video-${participantId}`);
    if (video) video.style.display = shown ? '' : 'none';
  },

  /** Resize one remote's video element to this CSS width (4:3, as the camera). */
  sizeVideo(participantId: string, width: number): void {
    const video = document.getElementById(`video-${participantId}`) as HTMLVideoElement | null;
    if (!video) return;
    video.width = width;
    video.height = Math.round((width * 3) / 4);
  },

  /** Which of this page's camera encodings (simulcast layers, lowest first) the browser sends. */
  cameraEncodings(): boolean[] {
    const camera = media?.sending().find(([source]) => source === 'camera')?.[1];
    return camera?.rtpSender?.getParameters().encodings.map((encoding) => encoding.active !== false) ?? [];
  },

  /**
   * Watch what arrives for `ms`, reading statistics every 20 ms: per participant, audio packets
   * received and lost, the longest gap between audio packets, and video frames decoded (with the
   * last decoded width) and bytes.
   */
  async watchReception(ms: number): Promise<Record<string, { audioPackets: number; audioLost: number; longestAudioGapMs: number; frames: number; videoBytes: number; frameWidth: number }>> {
    const read = async () => (media ? await receiveStats(media) : []);
    const first = await read();
    const lastPacket: Record<string, number> = {};
    const gaps: Record<string, number> = {};
    const end = Date.now() + ms;
    let latest = first;
    while (Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      latest = await read();
      for (const s of latest) {
        if (s.kind !== 'audio' || s.lastPacketReceivedAt === null) continue;
        const before = lastPacket[s.participantId];
        if (before !== undefined && s.lastPacketReceivedAt > before) gaps[s.participantId] = Math.max(gaps[s.participantId] ?? 0, s.lastPacketReceivedAt - before);
        lastPacket[s.participantId] = Math.max(before ?? 0, s.lastPacketReceivedAt);
      }
    }
    const sum = (stats: typeof first, id: string, pick: (s: (typeof first)[number]) => number, kind: 'audio' | 'video') => stats.filter((s) => s.participantId === id && s.kind === kind).reduce((n, s) => n + pick(s), 0);
    const ids = [...new Set(latest.map((s) => s.participantId))];
    return Object.fromEntries(
      ids.map((id) => [
        id,
        {
          audioPackets: sum(latest, id, (s) => s.packetsReceived, 'audio') - sum(first, id, (s) => s.packetsReceived, 'audio'),
          audioLost: sum(latest, id, (s) => s.packetsLost, 'audio') - sum(first, id, (s) => s.packetsLost, 'audio'),
          longestAudioGapMs: gaps[id] ?? ms,
          frames: sum(latest, id, (s) => s.framesDecoded, 'video') - sum(first, id, (s) => s.framesDecoded, 'video'),
          videoBytes: sum(latest, id, (s) => s.bytesReceived, 'video') - sum(first, id, (s) => s.bytesReceived, 'video'),
          frameWidth: latest.find((s) => s.participantId === id && s.kind === 'video')?.frameWidth ?? 0,
        },
      ]),
    );
  },

  /** When each remote's video last rendered a frame (Date.now()). */
  lastFrames(): Record<string, number> {
    return { ...lastFrames };
  },

  setReceiveMode(mode: 'all' | 'save' | 'audio'): Promise<MediaResult> {
    return media!.setReceiveMode(mode);
  },

  /** The network drops under the page: the socket closes without saying goodbye, then reconnects. */
  dropConnection(): void {
    connection!.socket.io.engine.close();
  },

  close(): void {
    media?.close();
    connection?.close();
  },
};

declare global {
  interface Window {
    probe: typeof probe;
  }
}
window.probe = probe;
