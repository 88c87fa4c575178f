import type { Sfu } from '../media/sfu.js';
import type { RoomStore } from '../store/room-store.js';

export type Readiness = { ready: true } | { ready: false; reason: string };

export interface ReadinessParts {
  store: RoomStore;
  media: Sfu | null;
  draining: () => boolean;
  /** How long the store may take to answer before it counts as unreachable. */
  timeoutMs?: number;
}

/** Whether this process should be sent new people: not draining, its store answering, a media worker running. */
export async function readiness(parts: ReadinessParts): Promise<Readiness> {
  if (parts.draining()) return { ready: false, reason: 'draining: this server is shutting down' };
  if (parts.media && parts.media.pool.workers.length === 0) return { ready: false, reason: 'no media worker is running' };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), parts.timeoutMs ?? 2_000)));
  try {
    await Promise.race([parts.store.ping(), late]);
  } catch {
    return { ready: false, reason: 'the room store (Redis) does not answer' };
  } finally {
    clearTimeout(timer);
  }
  return { ready: true };
}
