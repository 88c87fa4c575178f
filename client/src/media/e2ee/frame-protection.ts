import type { RoomKey } from '../../../../shared/e2ee/room-key.js';
import type { FrameCounts, FromFrameWorker, ToFrameWorker } from './frame-messages.js';

type MediaKind = 'audio' | 'video';

/** Whether this browser has the standard encoded-transform API end-to-end encryption needs. */
export function canProtectFrames(): boolean {
  return typeof globalThis.RTCRtpScriptTransform === 'function' && typeof globalThis.Worker === 'function';
}

/**
 * A page's frame encryption: one worker that every sender and receiver transform runs in, and
 * the keys it holds. The transforms attach through mediasoup-client's onRtpSender and
 * onRtpReceiver, before the first packet.
 */
export class FrameProtection {
  readonly #worker: Worker;
  #counting: ((counts: FrameCounts) => void)[] = [];
  readonly #asking = new Map<number, (opens: boolean) => void>();
  #asked = 0;

  constructor() {
    this.#worker = new Worker(new URL('./frame-worker.ts', import.meta.url), { type: 'module', name: 'holdspace-frames' });
    this.#worker.onmessage = ({ data }: MessageEvent<FromFrameWorker>) => {
      if (data.type === 'opens') {
        this.#asking.get(data.id)?.(data.opens);
        this.#asking.delete(data.id);
        return;
      }
      const waiting = this.#counting;
      this.#counting = [];
      for (const resolve of waiting) resolve(data.counts);
    };
  }

  /** Seal what this sender sends (pass to transport.produce as onRtpSender). */
  sender(kind: MediaKind): (sender: RTCRtpSender) => void {
    return (sender) => {
      sender.transform = new RTCRtpScriptTransform(this.#worker, { side: 'send', kind });
    };
  }

  /** Open what this receiver receives (pass to transport.consume as onRtpReceiver). */
  receiver(kind: MediaKind): (receiver: RTCRtpReceiver) => void {
    return (receiver) => {
      receiver.transform = new RTCRtpScriptTransform(this.#worker, { side: 'receive', kind });
    };
  }

  /** Open frames with this key from now on; with `send`, also seal ours with it. */
  useKey(key: RoomKey, send: boolean): void {
    this.#post({ type: 'key', kid: key.kid.toString(), secret: Uint8Array.from(key.secret), send });
  }

  counts(): Promise<FrameCounts> {
    return new Promise((resolve) => {
      this.#counting.push(resolve);
      this.#post({ type: 'counts' });
    });
  }

  /** Whether a received frame opens with the keys this page holds (without ratcheting): a check for diagnostics. */
  opens(kind: MediaKind, frame: Uint8Array): Promise<boolean> {
    const id = ++this.#asked;
    return new Promise((resolve) => {
      this.#asking.set(id, resolve);
      this.#post({ type: 'opens', id, kind, frame });
    });
  }

  close(): void {
    this.#worker.terminate();
  }

  #post(message: ToFrameWorker): void {
    this.#worker.postMessage(message);
  }
}
