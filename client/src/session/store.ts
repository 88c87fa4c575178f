import { useEffect, useState } from 'preact/hooks';
import type { MediaSession, MediaState } from '../media/media-session.js';
import type { RoomConnection, RoomSnapshot } from './connection.js';

/** Views read the room through these hooks: the connection and the media session are the only sources. */

export function useRoomSnapshot(connection: RoomConnection): RoomSnapshot {
  const [snapshot, setSnapshot] = useState(connection.snapshot);
  useEffect(() => {
    const unsubscribe = connection.subscribe(setSnapshot);
    return () => void unsubscribe();
  }, [connection]);
  return snapshot;
}

export function useMediaState(media: MediaSession | null): MediaState | null {
  const [state, setState] = useState<MediaState | null>(null);
  useEffect(() => {
    if (!media) return setState(null);
    const unsubscribe = media.subscribe(setState);
    return () => void unsubscribe();
  }, [media]);
  return state;
}

/** The server's clock, ticking, for drawing countdowns from deadlines. */
export function useServerNow(clockOffsetMs: number, active: boolean, everyMs = 250): number {
  const [now, setNow] = useState(() => Date.now() + clockOffsetMs);
  useEffect(() => {
    setNow(Date.now() + clockOffsetMs);
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now() + clockOffsetMs), everyMs);
    return () => clearInterval(timer);
  }, [clockOffsetMs, active, everyMs]);
  return now;
}

/** A tiny observable for things the server does not hold: notices, announcements. */
export class Feed<T> {
  #items: T[] = [];
  readonly #listeners = new Set<(items: T[]) => void>();

  get items(): T[] {
    return this.#items;
  }

  push(item: T, keep = 4): void {
    this.#items = [...this.#items.slice(-(keep - 1)), item];
    for (const listener of this.#listeners) listener(this.#items);
  }

  remove(item: T): void {
    this.#items = this.#items.filter((held) => held !== item);
    for (const listener of this.#listeners) listener(this.#items);
  }

  subscribe(listener: (items: T[]) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }
}

export function useFeed<T>(feed: Feed<T>): T[] {
  const [items, setItems] = useState(feed.items);
  useEffect(() => feed.subscribe(setItems), [feed]);
  return items;
}
