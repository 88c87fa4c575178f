import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Adapter, MessageType, type BroadcastOptions, type ClusterMessage } from 'socket.io-adapter';
import { isCluster, type RedisClient } from '../redis/redis-connection.js';
import { broadcastChannelPrefix, broadcastStream } from '../redis/redis-keys.js';
import type { TransportCipher } from './transport-cipher.js';

type Namespace = ConstructorParameters<typeof Adapter>[0];

const encodeOptions = (opts: BroadcastOptions) => ({ rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags });

/** The type of a stream entry that carries several messages, in order. */
const BATCH = 'batch';
type Batch = { type: typeof BATCH; data: { type: MessageType; data: unknown }[] };

/**
 * Socket.IO across nodes through one Redis stream (`@socket.io/redis-streams-adapter`), changed
 * in three ways. This node's own sockets get a broadcast (or join, leave, disconnect) at once and
 * the other nodes through the stream, instead of everyone waiting for the XADD to return first;
 * order is kept, here by call order, elsewhere by the stream. What one tick sends (a command's
 * group view and the self views it changed) goes out as one entry, sealed once with the nodes'
 * key, after the local sockets have been written to. A node skips its own entries unread.
 * Connection state recovery, which would need the stream offset on each local packet, is not used
 * (see cluster.ts); the stream is trimmed to the last minute.
 */
export function broadcastAdapter(redis: RedisClient, cipher: TransportCipher): (nsp: Namespace) => Adapter {
  const make = createAdapter(redis, {
    streamName: broadcastStream,
    channelPrefix: broadcastChannelPrefix,
    blockTimeInMs: 2_000,
    // Only JSON travels here: skip the search for binary attachments in every packet.
    onlyPlaintext: true,
    // Its requests between nodes (unused here so far) count listeners: exact on a cluster only when sharded (see NodeLink).
    useShardedPubSub: isCluster(redis),
  });

  // Socket.IO calls it with `new`: a plain function returning the adapter, as createAdapter's is.
  return function adapterFor(nsp: Namespace) {
    const adapter = make(nsp);
    const raw = streamsInternals(adapter);
    const local = Adapter.prototype;
    const publish = (message: ClusterMessage | Batch) => raw.publishAndReturnOffset(message).catch(() => undefined);
    let pending: ClusterMessage[] = [];
    const flush = () => {
      const messages = pending;
      pending = [];
      void publish(messages.length === 1 ? messages[0]! : { type: BATCH, data: messages.map((message) => ({ type: message.type, data: 'data' in message ? message.data : undefined })) });
    };
    const tellOthers = (message: ClusterMessage) => {
      if (pending.push(message) === 1) queueMicrotask(flush);
    };
    const onlyHere = (opts: BroadcastOptions) => opts.flags?.local === true;

    // What goes into the stream is sealed (see TransportCipher), and opened on the way out.
    // Every node reads the whole stream, its own entries included: those are dropped unopened.
    const encodeRaw = raw.encode.bind(adapter);
    raw.encode = (message) => {
      if (message.type === BATCH) return { uid: raw.uid, nsp: nsp.name, type: BATCH, data: cipher.seal(JSON.stringify(message.data)) };
      const encoded = encodeRaw(message);
      return encoded.data === undefined ? encoded : { ...encoded, data: cipher.seal(encoded.data) };
    };
    const decodeAndHandle = raw.onRawMessage.bind(adapter);
    raw.onRawMessage = (message, offset) => {
      if (message.uid === raw.uid) return;
      if (message.data === undefined) return decodeAndHandle(message, offset);
      const data = cipher.open(message.data);
      if (data === null) return;
      if (message.type !== BATCH) return decodeAndHandle({ ...message, data }, offset);
      let batch: Batch['data'];
      try {
        batch = JSON.parse(data) as Batch['data'];
      } catch {
        return;
      }
      for (const part of batch) raw.onMessage({ uid: message.uid, nsp: message.nsp, type: part.type, data: part.data } as ClusterMessage, offset);
    };

    // Async only to match the type; nothing is awaited, so local delivery happens in the call.
    adapter.broadcast = async (packet, opts) => {
      if (!onlyHere(opts)) void tellOthers({ type: MessageType.BROADCAST, data: { packet, opts: encodeOptions(opts) } } as ClusterMessage);
      local.broadcast.call(adapter, packet, opts);
    };
    adapter.addSockets = async (opts, rooms) => {
      if (!onlyHere(opts)) void tellOthers({ type: MessageType.SOCKETS_JOIN, data: { opts: encodeOptions(opts), rooms } } as ClusterMessage);
      local.addSockets.call(adapter, opts, rooms);
    };
    adapter.delSockets = async (opts, rooms) => {
      if (!onlyHere(opts)) void tellOthers({ type: MessageType.SOCKETS_LEAVE, data: { opts: encodeOptions(opts), rooms } } as ClusterMessage);
      local.delSockets.call(adapter, opts, rooms);
    };
    adapter.disconnectSockets = async (opts, close) => {
      if (!onlyHere(opts)) void tellOthers({ type: MessageType.DISCONNECT_SOCKETS, data: { opts: encodeOptions(opts), close } } as ClusterMessage);
      local.disconnectSockets.call(adapter, opts, close);
    };
    return adapter;
  };
}

type RawMessage = { uid: string; nsp: string; type: string; data?: string };

/** The streams adapter's own (undocumented) members this file replaces or calls; checked, since an update may rename them. */
interface StreamsInternals {
  readonly uid: string;
  encode(message: ClusterMessage | Batch): RawMessage;
  onRawMessage(message: RawMessage, offset: string): void;
  onMessage(message: ClusterMessage, offset: string): void;
  publishAndReturnOffset(message: ClusterMessage | Batch): Promise<string>;
}

const hasStreamsInternals = (adapter: object): adapter is StreamsInternals =>
  typeof Reflect.get(adapter, 'uid') === 'string' && ['encode', 'onRawMessage', 'onMessage', 'publishAndReturnOffset'].every((name) => typeof Reflect.get(adapter, name) === 'function');

function streamsInternals(adapter: object): StreamsInternals {
  // Without these, broadcasts would reach Redis unsealed: refuse to start rather than leak.
  if (!hasStreamsInternals(adapter)) throw new Error('@socket.io/redis-streams-adapter no longer has the members broadcast-adapter.ts seals its stream through');
  return adapter;
}
