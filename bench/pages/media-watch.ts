// Installed in every benchmark page before its own scripts (Playwright's addInitScript), the same
// in Holdspace's probe page and in the bare page, so both are timed by identical code:
// - the first presented frame of each remote video (requestVideoFrameCallback on its element),
// - the first decoded frame and first audio packet of each remote (getStats, polled every 5 ms;
//   the first audio packet counted back from the stamp of the last, since the statistics lag),
// - a timeline of signalling (Socket.IO frames), getUserMedia and peer connection states,
// - for the floor benchmark, when audio from one participant last arrived.
// Remote elements are found by their data-participant attribute, which both pages set.

interface Sample {
  /** epoch ms (performance.timeOrigin + performance.now()) when polled */
  at: number;
  bytes: number;
  /** the statistics' own stamp of the last packet, when the browser reports it (statistics clock) */
  lastPacketAt: number | null;
  /** the statistics' own timestamp (same clock): `at - reportedAt` at its smallest is the clocks' offset */
  reportedAt: number;
}

const now = () => performance.now();
/** Opus as browsers send it: one packet per 20 ms. */
const AUDIO_PACKET_MS = 20;
const epoch = () => performance.timeOrigin + performance.now();
const pcs: RTCPeerConnection[] = [];
const trackOwners = new Map<string, { participant: string; kind: string }>();
const state = {
  t0: 0,
  /** ms after t0 */
  presented: {} as Record<string, number>,
  decoded: {} as Record<string, number>,
  /** the first poll that saw audio from each participant: when, the last packet's stamp, packets so far */
  audioSeen: {} as Record<string, { at: number; last: number | null; packets: number }>,
  audioPolled: {} as Record<string, number>,
  audioUnmuted: {} as Record<string, number>,
  /** epoch ms minus the statistics' clock, at its smallest (fresh figures have no age) */
  offset: Infinity,
  timeline: [] as { at: number; what: string }[],
  polling: false,
  follow: new Map<string, { last: Sample | null; grewAt: Sample | null; offset: number; recent: Sample[] }>(),
};

const mark = (what: string) => {
  if (state.t0 > 0 && state.timeline.length < 400) state.timeline.push({ at: Math.round((now() - state.t0) * 10) / 10, what });
};

// Peer connections: kept to poll their statistics, their states on the timeline.
const NativePeerConnection = window.RTCPeerConnection;
window.RTCPeerConnection = new Proxy(NativePeerConnection, {
  construct(target, args) {
    const pc = Reflect.construct(target, args) as RTCPeerConnection;
    pcs.push(pc);
    const index = pcs.length;
    pc.addEventListener('connectionstatechange', () => mark(`pc${index} ${pc.connectionState}`));
    return pc;
  },
});

// Signalling: Socket.IO frames by event name ("42<ack id>[name, ...]"; answers "43<ack id>[...]").
const NativeWebSocket = window.WebSocket;
window.WebSocket = new Proxy(NativeWebSocket, {
  construct(target, args) {
    const ws = Reflect.construct(target, args) as WebSocket;
    const pending = new Map<string, string>();
    mark('ws open requested');
    ws.addEventListener('open', () => mark('ws open'));
    const send = ws.send.bind(ws);
    ws.send = (data: string | ArrayBufferLike | Blob | ArrayBufferView) => {
      if (typeof data === 'string') {
        const event = /^42(\d*)\["([^"]+)"/.exec(data);
        if (event) {
          if (event[1]) pending.set(event[1], event[2]!);
          mark(`→ ${event[2]}`);
        } else if (data.startsWith('40')) mark('→ connect');
      }
      send(data);
    };
    ws.addEventListener('message', (message: MessageEvent) => {
      if (typeof message.data !== 'string') return;
      const ack = /^43(\d+)/.exec(message.data);
      if (ack) return mark(`← ${pending.get(ack[1]!) ?? 'ack'}`);
      const event = /^42\["([^"]+)"/.exec(message.data);
      if (event) mark(`← ${event[1]}`);
      else if (message.data.startsWith('40')) mark('← connected');
    });
    return ws;
  },
});

const nativeGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = async (constraints) => {
  mark('getUserMedia');
  const stream = await nativeGetUserMedia(constraints);
  mark('getUserMedia done');
  return stream;
};

function watchElement(element: HTMLMediaElement): void {
  const participant = element.dataset.participant;
  const stream = element.srcObject;
  if (!participant || !(stream instanceof MediaStream)) return;
  for (const track of stream.getTracks()) trackOwners.set(track.id, { participant, kind: track.kind });
  const audio = stream.getAudioTracks()[0];
  if (audio) {
    const unmuted = () => {
      if (state.t0 > 0) state.audioUnmuted[participant] ??= now() - state.t0;
    };
    if (!audio.muted) unmuted();
    else audio.addEventListener('unmute', unmuted, { once: true });
  }
  if (element instanceof HTMLVideoElement) {
    element.requestVideoFrameCallback(() => {
      if (state.t0 > 0) state.presented[participant] ??= now() - state.t0;
    });
  }
}

new MutationObserver((mutations) => {
  for (const mutation of mutations) {
    mutation.addedNodes.forEach((node) => {
      if (node instanceof HTMLMediaElement) watchElement(node);
      else if (node instanceof Element) node.querySelectorAll('video, audio').forEach((el) => watchElement(el as HTMLMediaElement));
    });
  }
}).observe(document, { childList: true, subtree: true });

async function poll(): Promise<void> {
  while (state.polling) {
    const started = now();
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats().catch(() => null);
      const at = epoch();
      report?.forEach((entry: Record<string, unknown>) => {
        if (entry.type !== 'inbound-rtp') return;
        const owner = trackOwners.get(String(entry.trackIdentifier));
        if (!owner) return;
        const since = now() - state.t0;
        state.offset = Math.min(state.offset, at - Number(entry.timestamp));
        if (entry.kind === 'audio' && Number(entry.packetsReceived) > 0 && !(owner.participant in state.audioPolled)) {
          const last = typeof entry.lastPacketReceivedTimestamp === 'number' ? entry.lastPacketReceivedTimestamp : null;
          state.audioSeen[owner.participant] = { at, last, packets: Number(entry.packetsReceived) };
          state.audioPolled[owner.participant] = since;
        }
        if (entry.kind === 'video' && Number(entry.framesDecoded) > 0) state.decoded[owner.participant] ??= since;
        const followed = entry.kind === 'audio' ? state.follow.get(owner.participant) : undefined;
        if (followed) {
          const lastPacketAt = typeof entry.lastPacketReceivedTimestamp === 'number' ? entry.lastPacketReceivedTimestamp : null;
          const sample: Sample = { at, bytes: Number(entry.bytesReceived ?? 0), lastPacketAt, reportedAt: Number(entry.timestamp) };
          followed.offset = Math.min(followed.offset, at - sample.reportedAt);
          if (!followed.last || sample.bytes > followed.last.bytes) followed.grewAt = sample;
          followed.last = sample;
          followed.recent.push(sample);
          if (followed.recent.length > 400) followed.recent.splice(0, 200);
        }
      });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 5 - (now() - started))));
  }
}

const watch = {
  /** Time from now: call right before the join it should time. */
  start(): void {
    state.t0 = now();
    state.presented = {};
    state.decoded = {};
    state.audioSeen = {};
    state.audioPolled = {};
    state.audioUnmuted = {};
    state.timeline = [];
    document.querySelectorAll('video, audio').forEach((el) => watchElement(el as HTMLMediaElement));
    if (!state.polling) {
      state.polling = true;
      void poll();
    }
  },
  stop(): void {
    state.polling = false;
  },
  /** ms after start(): first presented frame, first decoded frame and first audio packet per remote participant. */
  firsts() {
    // Chromium refreshes statistics every ~50 ms, so the first poll that saw audio may come late:
    // count back from the last packet's own stamp by the packets before it (one every 20 ms).
    const audio: Record<string, number> = {};
    for (const [participant, seen] of Object.entries(state.audioSeen)) {
      const first = seen.last === null || !Number.isFinite(state.offset) ? seen.at : seen.last + state.offset - (seen.packets - 1) * AUDIO_PACKET_MS;
      audio[participant] = first - performance.timeOrigin - state.t0;
    }
    return { presented: { ...state.presented }, decoded: { ...state.decoded }, audio, audioPolled: { ...state.audioPolled }, audioUnmuted: { ...state.audioUnmuted } };
  },
  timeline() {
    return [...state.timeline];
  },
  /** Follow the audio arriving from these participants (poll every 5 ms). */
  follow(participants: string[]): void {
    for (const participant of participants) if (!state.follow.has(participant)) state.follow.set(participant, { last: null, grewAt: null, offset: Infinity, recent: [] });
    document.querySelectorAll('video, audio').forEach((el) => watchElement(el as HTMLMediaElement));
    if (state.t0 === 0) state.t0 = now();
    if (!state.polling) {
      state.polling = true;
      void poll();
    }
  },
  /**
   * The poll at which audio from this participant last grew, the latest poll, and the offset from
   * the statistics' clock to epoch ms (the smallest `at - reportedAt` seen: fresh figures have no age).
   */
  /** The latest polls of one followed participant's audio, for checking how fresh the statistics are. */
  recentAudio(participant: string): Sample[] {
    return [...(state.follow.get(participant)?.recent ?? [])];
  },
  /**
   * Everything this page receives, one entry per inbound stream: whose (from the element showing
   * it), its bytes so far (payload and RTP headers), its decoded size, and the CSS width of the
   * element that shows it; and every byte the page's transports received (RTCP, SRTP and all).
   */
  async received(): Promise<{ streams: { participant: string; kind: string; source: string; bytes: number; frameWidth: number; elementWidth: number }[]; transportBytes: number }> {
    const shown = new Map<string, { participant: string; source: string; width: number }>();
    document.querySelectorAll<HTMLMediaElement>('video[data-participant], audio[data-participant]').forEach((element) => {
      const stream = element.srcObject;
      if (!(stream instanceof MediaStream)) return;
      const source = element instanceof HTMLVideoElement ? (element.dataset.source ?? 'camera') : 'mic';
      const width = element.getBoundingClientRect().width;
      for (const track of stream.getTracks()) {
        const known = shown.get(track.id);
        if (!known || width > known.width) shown.set(track.id, { participant: element.dataset.participant!, source, width });
      }
    });
    const entries: Awaited<ReturnType<typeof watch.received>>['streams'] = [];
    let transportBytes = 0;
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats().catch(() => null);
      report?.forEach((entry: Record<string, unknown>) => {
        if (entry.type === 'transport') transportBytes += Number(entry.bytesReceived ?? 0);
        if (entry.type !== 'inbound-rtp') return;
        const owner = shown.get(String(entry.trackIdentifier));
        entries.push({
          participant: owner?.participant ?? '?',
          kind: String(entry.kind),
          source: owner?.source ?? '?',
          bytes: Number(entry.bytesReceived ?? 0) + Number(entry.headerBytesReceived ?? 0),
          frameWidth: Number(entry.frameWidth ?? 0),
          elementWidth: Math.round(owner?.width ?? 0),
        });
      });
    }
    return { streams: entries, transportBytes };
  },
  /** Each video encoding this page sends (simulcast layers by rid), and the sender's bandwidth estimate. */
  async sent(): Promise<{ encodings: { rid: string; active: boolean; frameWidth: number; targetKbps: number; bytes: number; limitation: string }[]; availableOutgoingKbps: number; lossPercent: number; rttMs: number }> {
    const encodings: Awaited<ReturnType<typeof watch.sent>>['encodings'] = [];
    let available = 0;
    let lost = 0;
    let rtt = 0;
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats().catch(() => null);
      report?.forEach((entry: Record<string, unknown>) => {
        // What the SFU reports back about the video it receives from this page: loss and round trip.
        if (entry.type === 'remote-inbound-rtp' && entry.kind === 'video') {
          lost = Math.max(lost, Number(entry.fractionLost ?? 0) * 100);
          rtt = Math.max(rtt, Number(entry.roundTripTime ?? 0) * 1000);
        }
        if (entry.type === 'candidate-pair' && entry.nominated && typeof entry.availableOutgoingBitrate === 'number') available = Math.max(available, entry.availableOutgoingBitrate / 1000);
        if (entry.type !== 'outbound-rtp' || entry.kind !== 'video') return;
        encodings.push({
          rid: String(entry.rid ?? ''),
          active: entry.active !== false,
          frameWidth: Number(entry.frameWidth ?? 0),
          targetKbps: Math.round(Number(entry.targetBitrate ?? 0) / 1000),
          bytes: Number(entry.bytesSent ?? 0) + Number(entry.headerBytesSent ?? 0),
          limitation: String(entry.qualityLimitationReason ?? ''),
        });
      });
    }
    return { encodings: encodings.sort((a, b) => (a.rid < b.rid ? -1 : 1)), availableOutgoingKbps: Math.round(available), lossPercent: Math.round(lost * 10) / 10, rttMs: Math.round(rtt) };
  },
  lastAudio(participant: string): { grewAt: Sample | null; last: Sample | null; offset: number | null } {
    const followed = state.follow.get(participant);
    return { grewAt: followed?.grewAt ?? null, last: followed?.last ?? null, offset: followed && Number.isFinite(followed.offset) ? followed.offset : null };
  },
};

declare global {
  interface Window {
    mediaWatch: typeof watch;
  }
}
window.mediaWatch = watch;

export {};
