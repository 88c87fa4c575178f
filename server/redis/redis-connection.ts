import { createClient, createCluster } from 'redis';
import type { Logger } from '../logger.js';

/**
 * A Redis that stops answering (hung, not closed) is cut off after this long without a byte, and
 * its commands fail; an idle connection is kept talking by a PING each second.
 */
const SILENCE_TIMEOUT_MS = 4_000;
const PING_INTERVAL_MS = 1_000;
/** Reconnect quickly at first, then once a second for as long as Redis is away. */
const reconnectDelay = (retries: number) => Math.min(50 * 2 ** retries, 1_000);

type Purpose = 'commands' | 'subscriber' | 'broadcast';

/** Where Redis is: one server, or some nodes of a Redis Cluster (the others are found from them). */
export interface RedisTarget {
  urls: string[];
  cluster: boolean;
}

/** What every connection gets, to one server or to each node of a cluster. */
function connectionOptions(purpose: Purpose) {
  return {
    // The Redis Streams adapter reads RESP2-shaped replies; one protocol for all keeps it simple.
    RESP: 2 as const,
    name: `holdspace-${purpose}`,
    socket: { connectTimeout: 2_000, keepAlive: true, reconnectStrategy: reconnectDelay, ...(purpose === 'commands' ? { socketTimeout: SILENCE_TIMEOUT_MS } : {}) },
    // Commands fail at once while Redis is away (STORE_UNAVAILABLE) instead of waiting unseen;
    // the adapter's clients keep the offline queue, since its stream reader polls in a loop.
    ...(purpose === 'commands' ? { disableOfflineQueue: true, pingInterval: PING_INTERVAL_MS } : {}),
  };
}

function makeClient(url: string, purpose: Purpose) {
  return createClient({ url, ...connectionOptions(purpose) });
}

function makeCluster(urls: string[], purpose: Purpose) {
  const { RESP, socket, ...rest } = connectionOptions(purpose);
  const seed = new URL(urls[0]!);
  const secret = (part: string) => (part === '' ? undefined : decodeURIComponent(part));
  return createCluster({
    rootNodes: urls.map((url) => ({ url })),
    // Connections to the nodes found from the seeds take these, not the seeds' URLs: credentials
    // and TLS go here too (every node of one cluster shares them).
    defaults: { ...rest, username: secret(seed.username), password: secret(seed.password), socket: seed.protocol === 'rediss:' ? { ...socket, tls: true as const } : socket },
    RESP,
  });
}

export type RedisClient = ReturnType<typeof makeClient> | RedisCluster;
export type RedisCluster = ReturnType<typeof makeCluster>;

export const isCluster = (redis: RedisClient): redis is RedisCluster => 'masters' in redis;

/**
 * A Redis connection that reconnects by itself: to one server, or a cluster client that keeps a
 * connection to each node it needs. Errors are logged once per outage, not once per retry; the
 * first connection is awaited (with retries), so a node starts only with Redis there.
 */
export async function connectRedis(target: RedisTarget, purpose: Purpose, logger: Logger): Promise<RedisClient> {
  const client = target.cluster ? makeCluster(target.urls, purpose) : makeClient(target.urls[0]!, purpose);
  let down = false;
  const lost = (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ purpose, err: error.message }, 'Redis connection lost; retrying');
  };
  const back = () => {
    if (!down) return;
    down = false;
    logger.info({ purpose }, 'Redis connection back');
  };
  client.on('error', lost);
  client.on('ready', back);
  // A cluster client reports each node's connection apart.
  client.on('node-error', lost);
  client.on('node-ready', back);
  await client.connect();
  return client;
}

/** Close a connection without waiting for a Redis that may be away. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (!client.isOpen) return;
  try {
    if (client.isReady) await client.close();
    else client.destroy();
  } catch {
    client.destroy();
  }
}

export type Persistence = 'append-only' | 'snapshots' | 'none';

/**
 * How Redis keeps its data across its own restart, as it reports it (the weakest of a cluster's
 * masters); null when it will not say (CONFIG is disabled on some managed services).
 */
export async function persistenceOf(redis: RedisClient): Promise<Persistence | null> {
  try {
    const servers = isCluster(redis) ? await Promise.all(redis.masters.map((master) => redis.nodeClient(master))) : [redis];
    const kinds = await Promise.all(
      servers.map(async (server): Promise<Persistence> => {
        const config = (await server.configGet(['appendonly', 'save'])) as Record<string, string>;
        return config.appendonly === 'yes' ? 'append-only' : (config.save ?? '').trim() !== '' ? 'snapshots' : 'none';
      }),
    );
    return kinds.includes('none') ? 'none' : kinds.includes('snapshots') ? 'snapshots' : 'append-only';
  } catch {
    return null;
  }
}
