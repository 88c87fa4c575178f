import { createClient } from 'redis';
import type { Logger } from '../logger.js';

/**
 * A Redis that stops answering (hung, not closed) is cut off after this long without a byte, and
 * its commands fail; an idle connection is kept talking by a PING each second.
 */
const SILENCE_TIMEOUT_MS = 4_000;
const PING_INTERVAL_MS = 1_000;
/** Reconnect quickly at first, then once a second for as long as Redis is away. */
const reconnectDelay = (retries: number) => Math.min(50 * 2 ** retries, 1_000);

function makeClient(url: string, purpose: 'commands' | 'subscriber' | 'broadcast') {
  return createClient({
    url,
    // The Redis Streams adapter reads RESP2-shaped replies; one protocol for all keeps it simple.
    RESP: 2,
    name: `holdspace-${purpose}`,
    socket: { connectTimeout: 2_000, keepAlive: true, reconnectStrategy: reconnectDelay, ...(purpose === 'commands' ? { socketTimeout: SILENCE_TIMEOUT_MS } : {}) },
    // Commands fail at once while Redis is away (STORE_UNAVAILABLE) instead of waiting unseen;
    // the adapter's clients keep the offline queue, since its stream reader polls in a loop.
    ...(purpose === 'commands' ? { disableOfflineQueue: true, pingInterval: PING_INTERVAL_MS } : {}),
  });
}

export type RedisClient = ReturnType<typeof makeClient>;

/**
 * A Redis connection that reconnects by itself. Errors are logged once per outage, not once per
 * retry; the first connection is awaited (with retries), so a node starts only with Redis there.
 */
export async function connectRedis(url: string, purpose: 'commands' | 'subscriber' | 'broadcast', logger: Logger): Promise<RedisClient> {
  const client = makeClient(url, purpose);
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ purpose, err: error.message }, 'Redis connection lost; retrying');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ purpose }, 'Redis connection back');
  });
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
