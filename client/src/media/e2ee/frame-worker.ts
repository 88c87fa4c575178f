// The encoded-frame transform of every sender and receiver of one page (RTCRtpScriptTransform):
// seals outgoing frames with the current room key, opens incoming ones with whichever key their
// KID names, ratcheting forward when a sender is ahead. Frames it cannot seal or open are dropped,
// never passed on in clear.
import { generationOf, ratchetTo, type RoomKey } from '../../../../shared/e2ee/room-key.js';
import { clearBytes, deriveFrameKey, openFrame, peekFrame, sealFrame, type FrameKey } from '../../../../shared/e2ee/sframe.js';
import type { FrameCounts, FromFrameWorker, ToFrameWorker } from './frame-messages.js';

interface EncodedFrame {
  data: ArrayBuffer;
}
interface ScriptTransformer {
  readable: ReadableStream<EncodedFrame>;
  writable: WritableStream<EncodedFrame>;
  options: { side: 'send' | 'receive'; kind: 'audio' | 'video' };
  generateKeyFrame?: () => Promise<unknown>;
  sendKeyFrameRequest?: () => Promise<unknown>;
}

/** The worker's global scope, as far as this file uses it (the client is typed with the DOM's, not a worker's). */
interface FrameWorkerScope {
  onrtctransform: ((event: { transformer: ScriptTransformer }) => void) | null;
  onmessage: ((event: MessageEvent<ToFrameWorker>) => void) | null;
  postMessage(message: FromFrameWorker): void;
}
const scope = self as unknown as FrameWorkerScope;

/** Keys kept for opening frames, newest last; older ones serve frames still in flight. */
const KEPT_KEYS = 8;
const keys = new Map<bigint, { room: RoomKey; frame: FrameKey }>();
let sending: FrameKey | null = null;
/** The top 32 bits of every counter: random per page, so two browsers sharing a key never share a nonce. */
const senderId = BigInt(crypto.getRandomValues(new Uint32Array(1))[0]!) << 32n;
let counter = 0n;
const counts: Omit<FrameCounts, 'sendingKid'> = { sealed: 0, opened: 0, dropped: 0, unreadable: 0, lastOpenedAt: 0 };
const transformers = new Set<ScriptTransformer>();

async function keep(room: RoomKey): Promise<FrameKey> {
  const existing = keys.get(room.kid);
  if (existing) return existing.frame;
  const frame = await deriveFrameKey(room.secret, room.kid);
  keys.set(room.kid, { room, frame });
  while (keys.size > KEPT_KEYS) keys.delete(keys.keys().next().value!);
  return frame;
}

/** A key for `kid`: one we hold, or one ratcheted from a key of the same generation. */
async function keyFor(kid: bigint): Promise<FrameKey | null> {
  const known = keys.get(kid);
  if (known) return known.frame;
  for (const { room } of [...keys.values()].reverse()) {
    const ahead = await ratchetTo(room, kid);
    if (!ahead) continue;
    const frame = await keep(ahead);
    // Someone sends with a later step of our generation: a member joined; we send with it too.
    if (sending && generationOf(sending.kid) === generationOf(kid) && sending.kid < kid) sending = frame;
    return frame;
  }
  return null;
}

async function seal(frame: EncodedFrame, kind: 'audio' | 'video'): Promise<EncodedFrame | null> {
  if (!sending) return null;
  const data = new Uint8Array(frame.data);
  counter += 1n;
  frame.data = (await sealFrame(data, clearBytes(kind, data), sending, senderId | (counter & 0xffff_ffffn))).buffer as ArrayBuffer;
  counts.sealed++;
  return frame;
}

async function open(frame: EncodedFrame, kind: 'audio' | 'video'): Promise<EncodedFrame | null> {
  const data = new Uint8Array(frame.data);
  const clear = clearBytes(kind, data);
  const header = peekFrame(data, clear);
  const key = header && (await keyFor(header.kid));
  const plain = key ? await openFrame(data, clear, key) : null;
  if (!plain) {
    counts.unreadable++;
    return null;
  }
  frame.data = plain.buffer as ArrayBuffer;
  counts.opened++;
  counts.lastOpenedAt = Date.now();
  return frame;
}

scope.onrtctransform = ({ transformer }) => {
  const { side, kind } = transformer.options;
  transformers.add(transformer);
  const step = side === 'send' ? seal : open;
  transformer.readable
    .pipeThrough(
      new TransformStream<EncodedFrame, EncodedFrame>({
        async transform(frame, controller) {
          const out = await step(frame, kind).catch(() => null);
          if (out) controller.enqueue(out);
          else counts.dropped++;
        },
      }),
    )
    .pipeTo(transformer.writable)
    .catch(() => undefined)
    .finally(() => transformers.delete(transformer));
};

scope.onmessage = ({ data }) => void answer(data);

async function answer(data: ToFrameWorker): Promise<void> {
  if (data.type === 'key') {
    const frame = await keep({ kid: BigInt(data.kid), secret: data.secret });
    if (!data.send) return;
    sending = frame;
    // Frames sealed before had no key or another: ask for fresh key frames both ways.
    for (const transformer of transformers) {
      const ask = transformer.options.side === 'send' ? transformer.generateKeyFrame : transformer.sendKeyFrameRequest;
      void ask?.call(transformer).catch(() => undefined);
    }
  } else if (data.type === 'opens') {
    const clear = clearBytes(data.kind, data.frame);
    const header = peekFrame(data.frame, clear);
    const key = header && (keys.get(header.kid)?.frame ?? null);
    scope.postMessage({ type: 'opens', id: data.id, opens: key !== null && (await openFrame(data.frame, clear, key)) !== null });
  } else if (data.type === 'counts') {
    scope.postMessage({ type: 'counts', counts: { ...counts, sendingKid: sending ? sending.kid.toString() : null } });
  }
}
