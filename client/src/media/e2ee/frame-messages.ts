/** What the page tells its frame worker: a key to open frames with (and to send with, if `send`), or a request for its counts. */
export type ToFrameWorker =
  | { type: 'key'; kid: string; secret: Uint8Array; send: boolean }
  | { type: 'counts' }
  /** Would this frame (as a receiver gets it) open with the keys held? Asked with an id, answered with it. */
  | { type: 'opens'; id: number; kind: 'audio' | 'video'; frame: Uint8Array };

/** Frames the worker handled since the page opened, for diagnostics and tests. */
export interface FrameCounts {
  sealed: number;
  opened: number;
  /** Frames not passed on: no key yet to seal with, or unreadable. */
  dropped: number;
  /** Incoming frames no key we hold opens (wrong key, not encrypted, altered). */
  unreadable: number;
  /** When a frame was last opened (Date.now()), 0 if never. */
  lastOpenedAt: number;
  sendingKid: string | null;
}

export type FromFrameWorker = { type: 'counts'; counts: FrameCounts } | { type: 'opens'; id: number; opens: boolean };
