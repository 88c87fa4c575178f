import type { TileHint } from '../../../shared/session/video-layers.js';

/** Reports go out at most this often; a burst of resizes makes one report. */
const REPORT_EVERY_MS = 400;

interface Watched {
  participantId: string;
  source: TileHint['source'];
}

/**
 * Watches the elements showing remote video (their size, whether any of them is on screen, and
 * whether the tab is hidden) and reports every tile at once when that changes, throttled. The
 * report only picks video layers at the server; it grants nothing.
 */
export class TileWatcher {
  readonly #report: (tiles: TileHint[]) => void;
  readonly #elements = new Map<Element, Watched>();
  readonly #onScreen = new WeakMap<Element, boolean>();
  readonly #intersection: IntersectionObserver | null;
  readonly #resize: ResizeObserver | null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #reportedAt = 0;
  #last = '';
  #closed = false;

  constructor(report: (tiles: TileHint[]) => void) {
    this.#report = report;
    this.#intersection =
      typeof IntersectionObserver === 'undefined'
        ? null
        : new IntersectionObserver((entries) => {
            for (const entry of entries) this.#onScreen.set(entry.target, entry.isIntersecting);
            this.#schedule();
          });
    this.#resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => this.#schedule());
    globalThis.document?.addEventListener('visibilitychange', this.#onVisibility);
  }

  /** Watch one element showing a participant's video; returns how to stop. */
  watch(element: Element, participantId: string, source: TileHint['source']): () => void {
    if (this.#closed) return () => undefined;
    this.#elements.set(element, { participantId, source });
    this.#intersection?.observe(element);
    this.#resize?.observe(element);
    this.#schedule();
    return () => {
      this.#elements.delete(element);
      this.#intersection?.unobserve(element);
      this.#resize?.unobserve(element);
      this.#schedule();
    };
  }

  /** Every tile as it is now, one entry per participant and source (the largest visible element wins). */
  tiles(): TileHint[] {
    const hidden = globalThis.document?.visibilityState === 'hidden';
    const tiles = new Map<string, TileHint>();
    for (const [element, { participantId, source }] of this.#elements) {
      const visible = !hidden && (this.#onScreen.get(element) ?? true) && element.isConnected;
      // CSS pixels, not device pixels: on a 2x laptop a ring of small tiles would otherwise all ask for the middle layer, twice the circle's downlink, for a sharpness few notice at that size.
      const width = visible ? Math.min(16_384, Math.round(element.getBoundingClientRect().width)) : 0;
      const key = `${participantId}:${source}`;
      const known = tiles.get(key);
      if (!known || (visible && (!known.visible || width > known.width))) tiles.set(key, { participantId, source, width, visible });
    }
    return [...tiles.values()].sort((a, b) => (a.participantId + a.source < b.participantId + b.source ? -1 : 1));
  }

  /** Forget what was sent, so the next change (or `flush`) reports again, e.g. to a fresh media connection. */
  reset(): void {
    this.#last = '';
  }

  /** Report now if anything changed since the last report. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#closed) return;
    const tiles = this.tiles();
    const key = JSON.stringify(tiles);
    if (key === this.#last) return;
    this.#last = key;
    this.#reportedAt = Date.now();
    this.#report(tiles);
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#intersection?.disconnect();
    this.#resize?.disconnect();
    this.#elements.clear();
    globalThis.document?.removeEventListener('visibilitychange', this.#onVisibility);
  }

  readonly #onVisibility = () => this.#schedule();

  #schedule(): void {
    if (this.#timer || this.#closed) return;
    const wait = Math.max(0, this.#reportedAt + REPORT_EVERY_MS - Date.now());
    this.#timer = setTimeout(() => this.flush(), wait);
  }
}
