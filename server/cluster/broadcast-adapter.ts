import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Adapter, MessageType, type BroadcastOptions, type ClusterAdapter, type ClusterMessage } from 'socket.io-adapter';
import { isCluster, type RedisClient } from './redis-connection.js';
import { broadcastChannelPrefix, broadcastStream } from './redis-keys.js';
import type { TransportCipher } from './transport-cipher.js';

type Namespace = ConstructorParameters<typeof Adapter>[0];

const encodeOptions = (opts: BroadcastOptions) => ({ rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags });

/**
 * Socket.IO across nodes through one Redis stream (`@socket.io/redis-streams-adapter`), changed
 * in three ways. This node's own sockets get a broadcast (or join, leave, disconnect) at once and
 * the other nodes through the stream, instead of everyone waiting for the XADD to return first;
 * order is kept, here by call order, elsewhere by the stream. Entries are sealed with the nodes'
 * key. A node skips its own entries unread. Connection state recovery, which would need the
 * stream offset on each local packet, is not used (see cluster.ts); the stream is trimmed to the
 * last minute.
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
  }) as unknown as (nsp: Namespace) => ClusterAdapter;

  // Socket.IO calls it with `new`: a plain function returning the adapter, as createAdapter's is.
  return function adapterFor(nsp: Namespace) {
    const adapter = make(nsp);
    const local = Adapter.prototype;
    const tellOthers = (message: ClusterMessage) =>
      (adapter as unknown as { publishAndReturnOffset(message: ClusterMessage): Promise<string> }).publishAndReturnOffset(message).catch(() => undefined);
    const onlyHere = (opts: BroadcastOptions) => opts.flags?.local === true;

    // What goes into the stream is sealed (see TransportCipher), and opened on the way out.
    // Every node reads the whole stream, its own entries included: those are dropped unopened.
    type RawMessage = { uid: string; nsp: string; type: string; data?: string };
    const raw = adapter as unknown as { uid: string; encode(message: ClusterMessage): RawMessage; onRawMessage(message: RawMessage, offset: string): void };
    const encodeRaw = raw.encode.bind(adapter);
    raw.encode = (message) => {
      const encoded = encodeRaw(message);
      return encoded.data === undefined ? encoded : { ...encoded, data: cipher.seal(encoded.data) };
    };
    const decodeAndHandle = raw.onRawMessage.bind(adapter);
    raw.onRawMessage = (message, offset) => {
      if (message.uid === raw.uid) return;
      if (message.data === undefined) return decodeAndHandle(message, offset);
      const data = cipher.open(message.data);
      if (data !== null) decodeAndHandle({ ...message, data }, offset);
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
