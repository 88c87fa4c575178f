import type { Socket } from 'socket.io';
import { reject } from '../../shared/protocol/errors.js';
import {
  mediaRequestNames,
  mediaRequestSchemas,
  type MediaAnswer,
  type MediaClientToServerEvents,
  type MediaRequestName,
  type MediaResults,
  type MediaServerToClientEvents,
  type ParsedMediaRequest,
} from '../../shared/protocol/media.js';
import type { Logger } from '../logger.js';
import { personChannel, roomChannel, type HoldspaceServer, type HoldspaceSocket, type SocketExtension } from '../realtime/gateway.js';
import type { PeerMedia } from './peer-media.js';
import { Refused } from './refused.js';
import type { Sfu } from './sfu.js';

/** The same socket, seen through its media events (the gateway types only the session's). */
type MediaSocket = Socket<MediaClientToServerEvents, MediaServerToClientEvents>;
type MediaServer = { to(channel: string): { emit<E extends keyof MediaServerToClientEvents>(event: E, ...args: Parameters<MediaServerToClientEvents[E]>): boolean } };

/**
 * Media signalling on each authenticated socket: every request parsed with its schema, answered
 * through its acknowledgement, and allowed to touch only this connection's own media.
 */
export function mediaSignalling(sfu: Sfu, io: HoldspaceServer, logger: Logger): SocketExtension {
  const server = io as unknown as MediaServer;
  sfu.onRoom((room) => {
    room.on('speaking', (speaking) => server.to(roomChannel(room.roomId)).emit('media.speaking', { speaking }));
    room.on('heard', (heardMs) => server.to(personChannel(room.facilitatorId)).emit('media.heard', { heardMs }));
  });

  return {
    events: mediaRequestNames,
    attach: (holdspaceSocket: HoldspaceSocket) => {
      const socket = holdspaceSocket as unknown as MediaSocket;
      const listen = socket.on.bind(socket) as (event: string, listener: (payload: unknown, ack: unknown) => void) => void;
      const { roomId, participantId, role } = holdspaceSocket.data;
      const room = sfu.room(roomId);
      if (!room) {
        // The room's actor runs on another node (REDIS_URL): its media is not carried here.
        for (const name of mediaRequestNames) {
          listen(name, (_payload, ack) => {
            if (typeof ack === 'function') ack(reject('MEDIA_UNAVAILABLE', 'this room’s media runs on another server'));
          });
        }
        return;
      }
      let peer: PeerMedia | null = null;

      const own = (): PeerMedia => {
        if (!peer || peer.ended) throw new Refused('NOT_FOUND', 'send media.join first');
        return peer;
      };

      const handle = <N extends MediaRequestName>(name: N, run: (request: ParsedMediaRequest<N>) => Promise<MediaResults[N]> | MediaResults[N]) => {
        listen(name, (payload, ack) => {
          if (typeof ack !== 'function') return;
          const answer = ack as (answer: MediaAnswer<N>) => void;
          const parsed = mediaRequestSchemas[name].safeParse(payload ?? {});
          if (!parsed.success) return answer(reject('INVALID', describe(parsed.error.issues[0])));
          Promise.resolve()
            .then(() => run(parsed.data as ParsedMediaRequest<N>))
            .then(
              (result) => answer({ ok: true, ...result } as MediaAnswer<N>),
              (error: unknown) => answer(refusal(error, name, roomId, logger)),
            );
        });
      };

      handle('media.join', async () => {
        const joined = await room.join(socket.id, participantId, role);
        if (!socket.connected) {
          joined.peer.end('left');
          throw new Refused('NOT_FOUND', 'the connection closed');
        }
        peer = joined.peer;
        const mine = joined.peer;
        mine.on('offer', (offer) => socket.emit('media.offer', offer));
        mine.on('consumerclosed', (message) => socket.emit('media.consumer.closed', message));
        mine.on('silenced', (message) => socket.emit('media.silenced', message));
        mine.once('ended', (reason) => {
          mine.removeAllListeners();
          if (reason === 'worker-restarted' && socket.connected) socket.emit('media.reset', { reason });
        });
        if (participantId === room.facilitatorId) queueMicrotask(() => socket.emit('media.heard', { heardMs: room.heardMs }));
        queueMicrotask(() => socket.emit('media.speaking', { speaking: room.speaking }));
        return { routerRtpCapabilities: joined.routerRtpCapabilities, iceServers: sfu.iceServers() };
      });
      handle('media.capabilities', ({ rtpCapabilities }) => ({ offers: room.receive(own(), rtpCapabilities) }));
      handle('media.transport.create', async ({ direction }) => ({ transport: await own().createTransport(direction) }));
      handle('media.transport.connect', async ({ transportId, dtlsParameters }) => {
        await own().connectTransport(transportId, dtlsParameters);
        return {};
      });
      handle('media.transport.restartIce', async ({ transportId }) => ({ iceParameters: await own().restartIce(transportId) }));
      handle('media.produce', async (request) => {
        const publication = await room.produce(own(), request);
        return { producerId: publication.producer.id, silencedBy: publication.silence };
      });
      handle('media.producer.pause', async ({ producerId }) => {
        await own().pauseProducer(producerId);
        return {};
      });
      handle('media.producer.resume', async ({ producerId }) => {
        await own().resumeProducer(producerId);
        return {};
      });
      handle('media.producer.close', ({ producerId }) => {
        own().closeProducer(producerId);
        return {};
      });
      handle('media.consume', ({ producerIds }) => room.consume(own(), producerIds));
      handle('media.consumer.resume', async ({ consumerIds }) => ({ missing: await own().resumeConsumers(consumerIds) }));
      handle('media.leave', () => {
        room.leave(socket.id);
        return {};
      });

      // A reconnecting browser starts its media over, so nothing of this connection outlives it.
      socket.on('disconnect', () => room.leave(socket.id));
    },
  };
}

function refusal(error: unknown, request: string, roomId: string, logger: Logger) {
  if (error instanceof Refused) return reject(error.code, error.detail);
  const name = (error as Error | undefined)?.name;
  const message = String((error as Error | undefined)?.message ?? error).slice(0, 200);
  // mediasoup refuses parameters it cannot use with these; the worker being gone shows as a closed channel.
  if (name === 'TypeError' || name === 'UnsupportedError') return reject('INVALID', message);
  if (name === 'InvalidStateError') return reject('MEDIA_UNAVAILABLE', message);
  logger.error({ room: roomId, request, err: error }, 'media request failed');
  return reject('INTERNAL');
}

function describe(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'invalid payload';
  const where = issue.path.map(String).join('.');
  return (where ? `${where}: ${issue.message}` : issue.message).slice(0, 200);
}
