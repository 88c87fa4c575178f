// A page on mediasoup-client alone, driven through window.bench:
// - publishers(): members who only send (camera and microphone as a Holdspace member sends them)
//   and receive nothing, through either Holdspace's media signalling or the bare server's (the
//   request names are the same), to fill a room without every page decoding everyone;
// - bareJoin(): the bare joiner, the baseline of the join benchmark: no session, no UI, the fewest
//   round trips mediasoup needs (join, receive transport, consume everything, resume).
import { Device, type types } from 'mediasoup-client';
import { io, type Socket } from 'socket.io-client';
import { cameraConstraints, microphoneConstraints } from '../../client/src/media/devices.js';

// What client/src/media/media-session.ts publishes: three simulcast layers, Opus with DTX and FEC.
const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 2, maxBitrate: 400_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 1, maxBitrate: 1_000_000, scalabilityMode: 'L1T3' },
];
const OPUS_OPTIONS: types.ProducerCodecOptions = { opusStereo: false, opusDtx: true, opusFec: true };

type Ask = (name: string, payload?: Record<string, unknown>) => Promise<Record<string, any>>;

const sockets: Socket[] = [];
const transports: types.Transport[] = [];
const producers: types.Producer[] = [];
const container = document.getElementById('remotes')!;

function connect(url: string, auth: Record<string, unknown>): Promise<Socket> {
  const socket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

const asker =
  (socket: Socket): Ask =>
  async (name, payload = {}) => {
    const answer = (await socket.timeout(10_000).emitWithAck(name, payload)) as Record<string, any>;
    if (!answer.ok) throw new Error(`${name}: ${answer.code} ${answer.message ?? ''}`);
    return answer;
  };

async function transportOf(ask: Ask, device: types.Device, direction: 'send' | 'recv'): Promise<types.Transport> {
  const { transport: description } = await ask('media.transport.create', { direction });
  const transport = direction === 'send' ? device.createSendTransport(description) : device.createRecvTransport(description);
  transports.push(transport);
  transport.on('connect', ({ dtlsParameters }, done, fail) => {
    ask('media.transport.connect', { transportId: transport.id, dtlsParameters }).then(() => done(), fail);
  });
  transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
    ask('media.produce', { transportId: transport.id, kind, source: appData.source, rtpParameters, paused: false }).then((answer) => done({ id: answer.producerId }), fail);
  });
  return transport;
}

async function publish(ask: Ask, device: types.Device, stream: MediaStream): Promise<void> {
  const send = await transportOf(ask, device, 'send');
  const audio = stream.getAudioTracks()[0];
  const video = stream.getVideoTracks()[0];
  // zeroRtpOnPause: a paused publisher detaches its track, so its encoder stops costing CPU.
  if (audio) producers.push(await send.produce({ track: audio, stopTracks: false, zeroRtpOnPause: true, codecOptions: OPUS_OPTIONS, appData: { source: 'mic' } }));
  if (video) {
    const encodings = CAMERA_ENCODINGS.map((e) => ({ ...e }));
    producers.push(await send.produce({ track: video, stopTracks: false, zeroRtpOnPause: true, encodings, codecOptions: { videoGoogleStartBitrate: 600 }, appData: { source: 'camera' } }));
  }
}

async function loadDevice(ask: Ask): Promise<types.Device> {
  const joined = await ask('media.join');
  const device = await Device.factory();
  await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities });
  return device;
}

const openDevices = (video: boolean) => navigator.mediaDevices.getUserMedia({ audio: microphoneConstraints(), video: video ? cameraConstraints() : false });

function attach(participantId: string, track: MediaStreamTrack): void {
  const element = document.createElement(track.kind === 'video' ? 'video' : 'audio');
  element.dataset.participant = participantId;
  element.autoplay = true;
  if (element instanceof HTMLVideoElement) {
    element.muted = true;
    element.playsInline = true;
  }
  element.srcObject = new MediaStream([track]);
  container.append(element);
  void element.play().catch(() => undefined);
}

let member: { ask: Ask; device: types.Device } | null = null;

/** Consume every producer in the room but our own in one request, attach the tracks, then resume them. */
async function receiveAll(ask: Ask, device: types.Device): Promise<number> {
  const recv = await transportOf(ask, device, 'recv');
  const { consumers } = await ask('bare.consumeAll', { transportId: recv.id, rtpCapabilities: device.rtpCapabilities });
  const made = await Promise.all(
    (consumers as { id: string; producerId: string; kind: 'audio' | 'video'; rtpParameters: types.RtpParameters; participantId: string }[]).map(async (c) => {
      const consumer = await recv.consume({ id: c.id, producerId: c.producerId, kind: c.kind, rtpParameters: c.rtpParameters });
      attach(c.participantId, consumer.track);
      return consumer;
    }),
  );
  if (made.length > 0) await ask('media.consumer.resume', { consumerIds: made.map((c) => c.id) });
  return made.length;
}

const bench = {
  /** Members who only publish: each its own socket, device and send transport, on clones of one camera and microphone. */
  async publishers(url: string, auths: Record<string, unknown>[], options: { video: boolean }): Promise<number> {
    const stream = await openDevices(options.video);
    for (const auth of auths) {
      const ask = asker(await connect(url, auth));
      const device = await loadDevice(ask);
      await publish(ask, device, new MediaStream(stream.getTracks().map((t) => t.clone())));
    }
    return auths.length;
  },

  /** The bare joiner: receives everyone in the room, publishing its own camera and microphone alongside. */
  async bareJoin(url: string, room: string, name: string, options: { video: boolean }): Promise<void> {
    const ask = asker(await connect(url, { room, name }));
    const device = await loadDevice(ask);
    const publishing = openDevices(options.video).then((stream) => publish(ask, device, stream));
    await receiveAll(ask, device);
    await publishing;
  },

  /** A bare member of a full room: publishes now, receives everyone when receiveAll() is called. */
  async bareMember(url: string, room: string, name: string, options: { video: boolean }): Promise<void> {
    const ask = asker(await connect(url, { room, name }));
    const device = await loadDevice(ask);
    await publish(ask, device, await openDevices(options.video));
    member = { ask, device };
  },

  async receiveAll(): Promise<number> {
    return receiveAll(member!.ask, member!.device);
  },

  /** Stop or start sending from every publisher in this page (the server is not told). */
  sending(on: boolean): void {
    for (const producer of producers) if (on) producer.resume();
    else producer.pause();
  },

  close(): void {
    for (const transport of transports.splice(0)) transport.close();
    for (const socket of sockets.splice(0)) socket.close();
  },
};

declare global {
  interface Window {
    bench: typeof bench;
  }
}
window.bench = bench;
