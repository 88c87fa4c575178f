import { afterEach, describe, expect, it, vi } from 'vitest';
import { MediaRequestError, MediaSignalling, type MediaHandlers, type MediaPort, type MediaRequests } from '../../client/src/media/media-signalling.js';
import { reject } from '../../shared/protocol/errors.js';
import type { MediaAnswer } from '../../shared/protocol/media.js';

type PauseAnswer = MediaAnswer<'media.producer.pause'>;
const producerId = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** A room socket seen through the media port: each pause request takes the next scripted answer. */
function fakePort(script: (PauseAnswer | 'no answer')[]) {
  const sent: { name: string; timeoutMs: number }[] = [];
  let connected = true;
  const untouched = async () => reject('INTERNAL', 'not part of this test');
  const requests: MediaRequests = {
    'media.join': untouched,
    'media.capabilities': untouched,
    'media.transport.create': untouched,
    'media.transport.connect': untouched,
    'media.transport.restartIce': untouched,
    'media.produce': untouched,
    'media.producer.pause': async (_request, timeoutMs) => {
      sent.push({ name: 'media.producer.pause', timeoutMs });
      const next = script.shift();
      if (next === undefined || next === 'no answer') throw new Error('operation has timed out');
      return next;
    },
    'media.producer.resume': untouched,
    'media.producer.close': untouched,
    'media.consume': untouched,
    'media.consumer.resume': untouched,
    'media.tiles': untouched,
    'media.receive': untouched,
    'media.leave': untouched,
    'media.e2ee.publish': untouched,
    'media.e2ee.wrap': untouched,
    'media.e2ee.doubt': untouched,
  };
  const heard: MediaHandlers[] = [];
  const port: MediaPort = {
    get connected() {
      return connected;
    },
    requests,
    listen: (handlers) => {
      heard.push(handlers);
      return () => heard.splice(heard.indexOf(handlers), 1);
    },
  };
  return { port, sent, heard, disconnect: () => (connected = false) };
}

const timings = { ackTimeoutMs: 7_000, rateLimitRetryMs: [1_000, 2_000] };

describe('media signalling behind its port', () => {
  afterEach(() => void vi.useRealTimers());

  it('answers what the server agreed to, waiting as long as it was told', async () => {
    const { port, sent } = fakePort([{ ok: true }]);
    await expect(new MediaSignalling(port, timings).request('media.producer.pause', { producerId })).resolves.toEqual({ ok: true });
    expect(sent).toEqual([{ name: 'media.producer.pause', timeoutMs: 7_000 }]);
  });

  it('sends a request refused as RATE_LIMITED again after each pause, and gets the answer', async () => {
    vi.useFakeTimers();
    const { port, sent } = fakePort([reject('RATE_LIMITED'), reject('RATE_LIMITED'), { ok: true }]);
    const answer = new MediaSignalling(port, timings).request('media.producer.pause', { producerId });
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(answer).resolves.toEqual({ ok: true });
    expect(sent).toHaveLength(3);
  });

  it('gives up with RATE_LIMITED once the pauses run out', async () => {
    vi.useFakeTimers();
    const { port, sent } = fakePort([reject('RATE_LIMITED'), reject('RATE_LIMITED'), reject('RATE_LIMITED'), { ok: true }]);
    const answer = new MediaSignalling(port, timings).request('media.producer.pause', { producerId });
    const refused = expect(answer).rejects.toMatchObject({ name: 'MediaRequestError', code: 'RATE_LIMITED' });
    await vi.advanceTimersByTimeAsync(3_000);
    await refused;
    expect(sent).toHaveLength(3);
  });

  it('does not retry other refusals: the error carries the server code and message', async () => {
    const { port, sent } = fakePort([reject('FLOOR_NOT_ALLOWED'), { ok: true }]);
    const error = await new MediaSignalling(port, timings).request('media.producer.pause', { producerId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaRequestError);
    expect(error).toMatchObject({ code: 'FLOOR_NOT_ALLOWED', message: reject('FLOOR_NOT_ALLOWED').message });
    expect(sent).toHaveLength(1);
  });

  it('says TIMEOUT when no acknowledgement came, and OFFLINE without sending while disconnected', async () => {
    const timedOut = fakePort(['no answer']);
    await expect(new MediaSignalling(timedOut.port, timings).request('media.producer.pause', { producerId })).rejects.toMatchObject({ code: 'TIMEOUT' });
    const offline = fakePort([{ ok: true }]);
    offline.disconnect();
    await expect(new MediaSignalling(offline.port, timings).request('media.producer.pause', { producerId })).rejects.toMatchObject({ code: 'OFFLINE' });
    expect(offline.sent).toEqual([]);
  });

  it('stops retrying when the socket drops during a pause', async () => {
    vi.useFakeTimers();
    const { port, sent, disconnect } = fakePort([reject('RATE_LIMITED'), { ok: true }]);
    const answer = new MediaSignalling(port, timings).request('media.producer.pause', { producerId });
    const refused = expect(answer).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await vi.advanceTimersByTimeAsync(10);
    disconnect();
    await vi.advanceTimersByTimeAsync(1_000);
    await refused;
    expect(sent).toHaveLength(1);
  });
});
