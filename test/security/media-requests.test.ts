import { describe, expect, it } from 'vitest';
import { mediaRequestNames } from '../../shared/protocol/media.js';
import type { MediaCaller } from '../../server/media/media-connections.js';
import { readMediaCall } from '../../server/media/signalling.js';
import { browserDtls, mediaFieldValues, mediaRequestFor } from './support/media-fixtures.js';

const caller: MediaCaller = { roomId: 'room-1', connectionId: 'socket-1', participantId: 'member-1', role: 'member', origin: null };
const id = '3f2c4b1a-0d9e-4c8b-9a7f-112233445566';
const values = mediaFieldValues({ routerRtpCapabilities: { codecs: [] }, sendTransportId: id, recvTransportId: id, micProducerId: id, consumerId: id });

/** The edge of media signalling: one parse says which request it is and what it carries, stamped with the socket's identity. */
describe('a media request read at the edge', () => {
  it.each(mediaRequestNames)('%s, well formed, becomes a call of that name from this connection', (name) => {
    const call = readMediaCall(caller, name, mediaRequestFor(name, values));
    expect(call).toMatchObject({ ...caller, name });
    if ('ok' in call) throw new Error('refused');
    expect(Object.keys(call.request).sort()).toEqual(Object.keys(mediaRequestFor(name, values)).sort());
  });

  it('fills in what a browser may leave out: produce is not paused unless it says so', () => {
    const { paused: _, ...request } = mediaRequestFor('media.produce', values);
    const call = readMediaCall(caller, 'media.produce', request);
    expect(call).toMatchObject({ name: 'media.produce', request: { paused: false, kind: 'audio', source: 'mic' } });
  });

  it('a missing payload is an empty one', () => {
    expect(readMediaCall(caller, 'media.join', undefined)).toMatchObject({ name: 'media.join', request: {} });
  });

  it.each([
    { name: 'a field of another request', request: 'media.join', payload: { direction: 'send' }, detail: /direction|unrecognized/i },
    { name: 'a malformed id', request: 'media.transport.connect', payload: { transportId: 'nope', dtlsParameters: browserDtls }, detail: /^transportId: expected a media id/ },
    { name: 'a missing field', request: 'media.transport.create', payload: {}, detail: /^direction: / },
    { name: 'no object at all', request: 'media.leave', payload: 'leave', detail: /.+/ },
  ] as const)('$name is refused INVALID, naming the field as the browser sent it', ({ request, payload, detail }) => {
    const answer = readMediaCall(caller, request, payload);
    expect(answer).toMatchObject({ ok: false, code: 'INVALID' });
    if (!('ok' in answer)) throw new Error('accepted');
    expect(answer.detail).toMatch(detail);
    expect(answer.detail).not.toMatch(/^request\b/);
  });
});
