import type { Server } from 'socket.io';
import type { Anonymiser } from '../../shared/session/rules.js';
import type { RoomSettings } from '../../shared/session/state.js';
import type { RedisConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { RedisStore } from '../store/redis-store.js';
import { broadcastAdapter } from './broadcast-adapter.js';
import { ClusterRooms } from './cluster-rooms.js';
import { dieAfterSaveWhenArmed } from './die-after-save.js';
import { NodeLink } from './node-link.js';
import { PresenceBook } from './presence-book.js';
import { closeRedis, connectRedis, persistenceOf } from '../redis/redis-connection.js';
import { broadcastStream } from '../redis/redis-keys.js';
import { RoomLeases } from './room-lease.js';
import { TransportCipher } from './transport-cipher.js';

/**
 * Broadcasts are kept in the stream only long enough for every node to read them: released
 * feedback travels through it, so it must not linger (the adapter alone trims at ~10,000 entries).
 */
const BROADCAST_RETENTION_MS = 60_000;

export interface Cluster {
  store: RedisStore;
  rooms: ClusterRooms;
  /** Share Socket.IO rooms with the other nodes; called once the gateway exists. */
  serve(io: Server): void;
  close(): Promise<void>;
}

/**
 * This node's part in a group of nodes sharing Redis: the store, the room leases, requests
 * between nodes, presence across nodes, and Socket.IO broadcasts through a Redis stream.
 *
 * Socket.IO connection state recovery is left off: the client takes a snapshot on every
 * (re)connection and re-sends unacknowledged commands under the same ids, which is what makes
 * it whole; recovery would also skip the auth middleware on a recovered connection.
 */
export async function startCluster(config: RedisConfig, logger: Logger, settings: Partial<RoomSettings>, anonymise: Anonymiser, secret: string, endedRetentionMs: number): Promise<Cluster> {
  const log = logger.child({ node: config.nodeId });
  const cipher = new TransportCipher(secret);
  const [commands, subscriber, broadcast] = await Promise.all([
    connectRedis(config, 'commands', log),
    connectRedis(config, 'subscriber', log),
    connectRedis(config, 'broadcast', log),
  ]);
  const persistence = await persistenceOf(commands);
  if (persistence === 'none') log.warn('Redis persistence is off (appendonly no, no save points): a Redis restart ends every running session. Set appendonly yes');
  if (persistence === 'snapshots') log.warn('Redis keeps only snapshots (appendonly no): a Redis restart loses what running sessions did since the last one. Set appendonly yes');
  const store = new RedisStore(commands, { ttlMs: config.roomTtlMs, unusedTtlMs: config.unusedRoomMs, fenceNodeId: config.nodeId });
  dieAfterSaveWhenArmed(store);
  const leases = new RoomLeases(commands, config.nodeId, config.leaseMs);
  const link = new NodeLink(commands, subscriber, config.nodeId, cipher, log);
  const presence = new PresenceBook(commands, config.nodeId, config.leaseMs, log);
  let io: Server | null = null;

  const rooms = new ClusterRooms({
    nodeId: config.nodeId,
    anonymise,
    leaseMs: config.leaseMs,
    endedRetentionMs,
    store,
    leases,
    link,
    presence,
    logger: log,
    settings,
    closeSockets: () => {
      if (!io) return;
      io.httpServer?.close();
      // Closing the transports (not disconnecting the sockets) lets clients reconnect elsewhere. Each
      // closes once what was written to it has left: engine.close() would discard acknowledgements
      // of commands just applied, and their clients would send them again to the next node.
      for (const socket of io.of('/').sockets.values()) socket.conn.close();
    },
    onBeat: async () => {
      await commands.xTrim(broadcastStream, 'MINID', `${Date.now() - BROADCAST_RETENTION_MS}-0`).catch(() => undefined);
    },
  });
  await rooms.start();
  log.info({ leaseMs: config.leaseMs }, 'joined the cluster');

  return {
    store,
    rooms,
    serve(server) {
      io = server;
      server.adapter(broadcastAdapter(broadcast, cipher));
    },
    async close() {
      await Promise.all([closeRedis(commands), closeRedis(subscriber), closeRedis(broadcast)]);
    },
  };
}
