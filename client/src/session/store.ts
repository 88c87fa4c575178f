import { useEffect, useRef, useState } from 'preact/hooks';
import type { MediaSession, MediaState } from '../media/media-session.js';
import type { RoomConnection, RoomSnapshot } from './connection.js';

/** Views read the room through these hooks: the connection and the media session are the only sources. */

/**
 * The room as the connection holds it. The whole room is redrawn in a task of its own, after
 * whatever the same message changed in small readings (useRoomSelect): a notice such as "your
 * microphone is paused" is then drawn first, not after every seat and video of the room.
 */
export function useRoomSnapshot(connection: RoomConnection): RoomSnapshot {
  const [snapshot, setSnapshot] = useState(connection.snapshot);
  useEffect(() => {
    let queued = false;
    const redraw = nextTask(() => {
      queued = false;
      setSnapshot(connection.snapshot);
    });
    const unsubscribe = connection.subscribe(() => {
      if (queued) return;
      queued = true;
      redraw.post();
    });
    return () => {
      unsubscribe();
      redraw.cancel();
    };
  }, [connection]);
  return snapshot;
}

/** One reading of the room, redrawn as soon as the message that changes it arrives. */
export function useRoomSelect<T>(connection: RoomConnection, select: (snapshot: RoomSnapshot) => T): T {
  const latest = useRef(select);
  latest.current = select;
  const [value, setValue] = useState(() => select(connection.snapshot));
  useEffect(() => {
    const unsubscribe = connection.subscribe((snapshot) => {
      const next = latest.current(snapshot);
      setValue((held) => (Object.is(held, next) ? held : next));
    });
    return () => void unsubscribe();
  }, [connection]);
  const now = select(connection.snapshot);
  return Object.is(value, now) ? value : now;
}

/** Run `task` in a task of its own (not a timer: timers are slowed in background tabs). */
function nextTask(task: () => void): { post(): void; cancel(): void } {
  const channel = new MessageChannel();
  let live = true;
  channel.port1.onmessage = () => live && task();
  return {
    post: () => channel.port2.postMessage(null),
    cancel: () => {
      live = false;
      channel.port1.close();
    },
  };
}

/**
 * One reading of the media state, redrawn only when that reading changes: speaking levels and
 * remote tracks change often, and must not redraw the whole room each time.
 */
export function useMediaSelect<T>(media: MediaSession | null, select: (state: MediaState | null) => T, same: (a: T, b: T) => boolean = Object.is): T {
  const latest = useRef(select);
  latest.current = select;
  const [value, setValue] = useState(() => select(media?.state ?? null));
  useEffect(() => {
    const update = (state: MediaState | null) => {
      const next = latest.current(state);
      setValue((held) => (same(held, next) ? held : next));
    };
    if (!media) return update(null);
    const unsubscribe = media.subscribe(update);
    return () => void unsubscribe();
  }, [media]);
  // A reading that depends on props (a seat's id) is taken afresh when they change.
  const now = select(media?.state ?? null);
  return same(value, now) ? value : now;
}

export const sameList = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((item, i) => Object.is(item, b[i]));

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
