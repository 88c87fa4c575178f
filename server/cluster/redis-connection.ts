import { createClient } from 'redis';
import type { Logger } from '../logger.js';

/** How long a command may wait for Redis before the caller is told the store is unavailable. */
const COMMAND_TIMEOUT_MS = 3_000;
/** Reconnect quickly at first, then once a second for as long as Redis is away. */
const reconnectDelay = (retries: number) => Math.min(50 * 2 ** retries, 1_000);

function makeClient(url: string, purpose: 'commands' | 'subscriber' | 'broadcast') {
  return createClient({
    url,
    // The Redis Streams adapter reads RESP2-shaped replies; one protocol for all keeps it simple.
    RESP: 2,
    name: `holdspace-${purpose}`,
    socket: { connectTimeout: 2_000, keepAlive: true, reconnectStrategy: reconnectDelay },
    // Commands fail at once while Redis is away (STORE_UNAVAILABLE) instead of waiting unseen;
    // the adapter's clients keep the offline queue, since its stream reader polls in a loop.
    ...(purpose === 'commands' ? { disableOfflineQueue: true, commandOptions: { timeout: COMMAND_TIMEOUT_MS } } : {}),
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
