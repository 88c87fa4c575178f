import { reject } from '../../shared/protocol/errors.js';
import type { MediaAnswer, MediaRequestName, MediaResults, MediaServerToClientEvents, ParsedMediaCall } from '../../shared/protocol/media.js';
import type { Role } from '../../shared/session/state.js';
import type { Logger } from '../logger.js';
import { KeyRelay } from './key-relay.js';
import type { PeerMedia } from './peer-media.js';
import { Refused } from './refused.js';
import type { RoomMedia } from './room-media.js';
import type { Sfu } from './sfu.js';

/**
 * Who sends a media request. The connection may be a socket of this process or, with several
 * nodes, of another node (`origin`) that forwarded the request to the node running the room.
 */
export interface MediaCaller {
  roomId: string;
  connectionId: string;
  participantId: string;
  role: Role;
  /** The node holding the socket; null when it is this process. */
  origin: string | null;
}

/** One media request of one connection, parsed at the edge: its name, its payload, and who sent it. */
export type MediaCall = MediaCaller & ParsedMediaCall;

/** The connection closed: whatever it joined ends, and a join still under way is undone. */
export interface MediaHangUp {
  roomId: string;
  connectionId: string;
}

export type MediaReply = MediaAnswer<MediaRequestName>;

/** Send an unasked media event to one connection, wherever its socket is. */
export type MediaDelivery = <E extends keyof MediaServerToClientEvents>(connectionId: string, event: E, ...args: Parameters<MediaServerToClientEvents[E]>) => void;

interface Connection {
  roomId: string;
  role: Role;
  origin: string | null;
  peer: PeerMedia;
}

/** A hung-up connection is remembered this long, so a join that finishes after it is undone. */
const HUNG_UP_MEMORY_MS = 60_000;

/**
 * The media side of every connection whose room runs in this process: answers each request
 * against the room's SFU and lets a connection touch only its own peer.
 */
export class MediaConnections {
  readonly #sfu: Sfu;
  readonly #deliver: MediaDelivery;
  readonly #logger: Logger;
  readonly #connections = new Map<string, Connection>();
  readonly #hungUp = new Map<string, number>();
  readonly #keys: KeyRelay;

  constructor(sfu: Sfu, deliver: MediaDelivery, logger: Logger) {
    this.#sfu = sfu;
    this.#deliver = deliver;
    this.#logger = logger;
    this.#keys = new KeyRelay(deliver);
  }

  /** Answer one request; never throws. */
  async answer(call: MediaCall): Promise<MediaReply> {
    try {
      const room = this.#sfu.room(call.roomId);
      if (!room) throw new Refused('MEDIA_UNAVAILABLE', 'this room’s media is not running here');
      return { ok: true, ...(await this.#run(room, call)) } as MediaReply;
    } catch (error) {
      return refusal(error, call.name, call.roomId, this.#logger);
    }
  }

  hangUp({ roomId, connectionId }: MediaHangUp): void {
    const now = Date.now();
    this.#hungUp.set(connectionId, now);
    for (const [id, at] of this.#hungUp) if (at < now - HUNG_UP_MEMORY_MS) this.#hungUp.delete(id);
    this.#leave(roomId, connectionId);
  }

  #leave(roomId: string, connectionId: string): void {
    this.#sfu.room(roomId)?.leave(connectionId);
    this.#connections.delete(connectionId);
    this.#keys.forget(connectionId);
  }

  /** Nodes whose sockets hold media here. */
  origins(): Set<string> {
    const origins = new Set<string>();
    for (const { origin } of this.#connections.values()) if (origin) origins.add(origin);
    return origins;
  }

  /** A node died: its sockets are gone, and so is their media. */
  forgetOrigin(nodeId: string): void {
    for (const [connectionId, connection] of this.#connections) {
      if (connection.origin === nodeId) this.hangUp({ roomId: connection.roomId, connectionId });
    }
  }

  #run(room: RoomMedia, call: MediaCall): Promise<MediaResults[MediaRequestName]> | MediaResults[MediaRequestName] {
    const own = (): PeerMedia => {
      const connection = this.#connections.get(call.connectionId);
      if (!connection || connection.roomId !== call.roomId || connection.peer.ended) throw new Refused('NOT_FOUND', 'send media.join first');
      return connection.peer;
    };
    switch (call.name) {
      case 'media.join':
        return this.#join(room, call);
      case 'media.capabilities':
        return { offers: room.receive(own(), call.request.rtpCapabilities) };
      case 'media.transport.create':
        return own()
          .createTransport(call.request.direction)
          .then((transport) => ({ transport }));
      case 'media.transport.connect':
        return own()
          .connectTransport(call.request.transportId, call.request.dtlsParameters)
          .then(() => ({}));
      case 'media.transport.restartIce':
        return own()
          .restartIce(call.request.transportId)
          .then((iceParameters) => ({ iceParameters }));
      case 'media.produce':
        return room.produce(own(), call.request).then((publication) => ({ producerId: publication.producer.id, silencedBy: publication.silence }));
      case 'media.producer.pause':
        return own()
          .pauseProducer(call.request.producerId)
          .then(() => ({}));
      case 'media.producer.resume':
        return own()
          .resumeProducer(call.request.producerId)
          .then(() => ({}));
      case 'media.producer.close':
        own().closeProducer(call.request.producerId);
        return {};
      case 'media.consume':
        return room.consume(own(), call.request.producerIds);
      case 'media.consumer.resume':
        return own()
          .resumeConsumers(call.request.consumerIds)
          .then((missing) => ({ missing }));
      case 'media.tiles':
        return room.setTiles(own(), call.request.tiles).then(() => ({}));
      case 'media.receive':
        return room.setReceiveMode(own(), call.request.mode).then(() => ({}));
      case 'media.leave':
        this.#leave(call.roomId, call.connectionId);
        return {};
      case 'media.e2ee.publish':
        own();
        this.#keys.publish(call.connectionId, call.roomId, call.participantId, call.role, call.request.publicKey);
        return {};
      case 'media.e2ee.wrap':
        own();
        return this.#keys.wrap(call.connectionId, call.roomId, call.request);
      case 'media.e2ee.doubt':
        own();
        this.#keys.doubt(call.roomId, call.participantId, (roomId) =>
          [...this.#connections].filter(([, connection]) => connection.roomId === roomId).map(([id, connection]) => [id, connection.role]),
        );
        return {};
    }
  }

  async #join(room: RoomMedia, call: MediaCall): Promise<MediaResults['media.join']> {
    const { connectionId, participantId } = call;
    const joined = await room.join(connectionId, participantId, call.role);
    const peer = joined.peer;
    if (this.#hungUp.has(connectionId)) {
      peer.end('left');
      throw new Refused('NOT_FOUND', 'the connection closed');
    }
    this.#connections.set(connectionId, { roomId: room.roomId, role: call.role, origin: call.origin, peer });
    peer.on('offer', (offer) => this.#deliver(connectionId, 'media.offer', offer));
    peer.on('consumerclosed', (message) => this.#deliver(connectionId, 'media.consumer.closed', message));
    peer.on('silenced', (message) => this.#deliver(connectionId, 'media.silenced', message));
    peer.on('layers', (message) => this.#deliver(connectionId, 'media.layers', message));
    peer.once('ended', (reason) => {
      peer.removeAllListeners();
      if (this.#connections.get(connectionId)?.peer === peer) {
        this.#connections.delete(connectionId);
        this.#keys.forget(connectionId);
      }
      if (reason === 'worker-restarted') this.#deliver(connectionId, 'media.reset', { reason });
    });
    // After the answer: what the room shows right now.
    setImmediate(() => {
      if (peer.ended) return;
      if (room.facilitatorIds.includes(participantId)) this.#deliver(connectionId, 'media.heard', { heardMs: room.heardMs });
      this.#deliver(connectionId, 'media.speaking', { speaking: room.speaking });
    });
    return { routerRtpCapabilities: joined.routerRtpCapabilities, iceServers: this.#sfu.iceServers() };
  }
}

function refusal(error: unknown, request: string, roomId: string, logger: Logger): MediaReply {
  if (error instanceof Refused) return reject(error.code, error.detail);
  const name = (error as Error | undefined)?.name;
  const message = String((error as Error | undefined)?.message ?? error).slice(0, 200);
  // mediasoup refuses parameters it cannot use with these; the worker being gone shows as a closed channel.
  if (name === 'TypeError' || name === 'UnsupportedError') return reject('INVALID', message);
  if (name === 'InvalidStateError') return reject('MEDIA_UNAVAILABLE', message);
  logger.error({ room: roomId, request, err: error }, 'media request failed');
  return reject('INTERNAL');
}
