// The floor mediasoup allows: a bare router per room key and a tiny Socket.IO signalling layer
// with no session, no validation and no floor. It answers the same request names as Holdspace's
// media signalling (media.join, media.transport.create, ...) so one publisher page serves both,
// plus `bare.consumeAll`, the fewest round trips a joiner needs: every producer in one answer.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWorker, type types } from 'mediasoup';
import { Server } from 'socket.io';
import { mediaCodecs } from '../../server/media/room-media.js';
import { answerBenchRequest, serveBenchRequests } from '../support/child-server.js';
import { countMedia, measureTraffic, takeCensus } from '../support/mediasoup-census.js';

takeCensus();

type Ack = (answer: Record<string, unknown>) => void;

const worker = await createWorker({ logLevel: 'warn' });
// The same transport setup as Holdspace's workers: one WebRtcServer, UDP preferred, on 127.0.0.1.
const webRtcServer = await worker.createWebRtcServer({
  listenInfos: [
    { protocol: 'udp', ip: '127.0.0.1' },
    { protocol: 'tcp', ip: '127.0.0.1' },
  ],
});
const routers = new Map<string, Promise<types.Router>>();
const producers = new Map<string, Map<string, { producer: types.Producer; owner: string }>>();
const router = (room: string) => {
  let found = routers.get(room);
  if (!found) routers.set(room, (found = worker.createRouter({ mediaCodecs })));
  return found;
};

const http = createServer();
const io = new Server(http, { serveClient: false, cors: { origin: true } });
io.on('connection', (socket) => {
  const room = String(socket.handshake.auth.room ?? 'room');
  const owner = String(socket.handshake.auth.name ?? socket.id);
  // Handlers go in place at once (an event sent right after connecting must find them); the router follows.
  let roomRouter!: types.Router;
  const ready = router(room).then((found) => (roomRouter = found));
  const roomProducers = producers.get(room) ?? producers.set(room, new Map()).get(room)!;
  const transports = new Map<string, types.WebRtcTransport>();
  const consumers = new Map<string, types.Consumer>();
  const handle = (name: string, run: (request: Record<string, any>) => Promise<Record<string, unknown>> | Record<string, unknown>) =>
    socket.on(name, (request: Record<string, any>, ack: Ack) => {
      ready
        .then(() => run(request ?? {}))
        .then(
          (answer) => ack({ ok: true, ...answer }),
          (error: unknown) => ack({ ok: false, code: 'INTERNAL', message: String(error) }),
        );
    });

  handle('media.join', () => ({ routerRtpCapabilities: roomRouter.rtpCapabilities, iceServers: [] }));
  handle('media.transport.create', async () => {
    const transport = await roomRouter.createWebRtcTransport({ webRtcServer, enableUdp: true, enableTcp: true, preferUdp: true, initialAvailableOutgoingBitrate: 1_000_000 });
    transports.set(transport.id, transport);
    return { transport: { id: transport.id, iceParameters: transport.iceParameters, iceCandidates: transport.iceCandidates, dtlsParameters: transport.dtlsParameters } };
  });
  handle('media.transport.connect', async ({ transportId, dtlsParameters }) => {
    await transports.get(transportId)!.connect({ dtlsParameters });
    return {};
  });
  handle('media.produce', async ({ transportId, kind, rtpParameters, paused, source }) => {
    const producer = await transports.get(transportId)!.produce({ kind, rtpParameters, paused: Boolean(paused), appData: { source } });
    roomProducers.set(producer.id, { producer, owner });
    producer.observer.once('close', () => roomProducers.delete(producer.id));
    return { producerId: producer.id, silencedBy: null };
  });
  handle('bare.consumeAll', async ({ transportId, rtpCapabilities }) => {
    const transport = transports.get(transportId)!;
    const mine = [...roomProducers.values()].filter((p) => p.owner !== owner);
    const created = await Promise.all(
      mine.map(async ({ producer, owner: from }) => {
        const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities, paused: true });
        consumers.set(consumer.id, consumer);
        return { id: consumer.id, producerId: producer.id, kind: consumer.kind, rtpParameters: consumer.rtpParameters, participantId: from, source: producer.appData.source };
      }),
    );
    return { consumers: created };
  });
  handle('media.consumer.resume', async ({ consumerIds }) => {
    await Promise.all((consumerIds as string[]).map((id) => consumers.get(id)?.resume()));
    return { missing: [] };
  });
  socket.on('disconnect', () => {
    for (const transport of transports.values()) transport.close();
  });
});

answerBenchRequest('media.pids', () => ({ workers: [worker.pid] }));
answerBenchRequest('media.counts', () => countMedia());
answerBenchRequest('media.traffic', () => measureTraffic());
/** Pause or resume every producer of one owner's given source, as Holdspace's floor would. */
answerBenchRequest('producer.pause', async ({ room, owner, source, paused }: { room: string; owner: string; source: string; paused: boolean }) => {
  const found = [...(producers.get(room)?.values() ?? [])].filter((p) => p.owner === owner && p.producer.appData.source === source);
  await Promise.all(found.map(({ producer }) => (paused ? producer.pause() : producer.resume())));
  return { count: found.length };
});

http.listen(0, '127.0.0.1', () => serveBenchRequests(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { workerPid: worker.pid }));
