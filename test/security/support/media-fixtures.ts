import type { RoomSocket } from '../../../client/src/session/connection.js';
import { mediaRequestFields, type MediaRequestName, type RtpParameters } from '../../../shared/protocol/media.js';
import { ask } from './handshake.js';

/** What a browser would send to publish a microphone. */
export function micParameters(ssrc: number): RtpParameters {
  return {
    mid: '0',
    codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { minptime: 10, useinbandfec: 1 }, rtcpFeedback: [{ type: 'transport-cc' }] }],
    headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 }],
    encodings: [{ ssrc }],
    rtcp: { cname: `cname-${ssrc}`, reducedSize: true },
  };
}

export const browserDtls = {
  role: 'client' as const,
  fingerprints: [{ algorithm: 'sha-256' as const, value: Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':') }],
};

/** One participant's media as the server handed it out: the ids another participant might try to use. */
export interface MediaHoldings {
  routerRtpCapabilities: unknown;
  sendTransportId: string;
  recvTransportId: string;
  micProducerId: string;
  consumerId: string | null;
}

/** Values for each field a media request may carry, taken from someone's holdings. */
export function mediaFieldValues(holdings: MediaHoldings, ssrc = 4242): Record<string, unknown> {
  return {
    rtpCapabilities: holdings.routerRtpCapabilities,
    direction: 'send',
    transportId: holdings.sendTransportId,
    dtlsParameters: browserDtls,
    kind: 'audio',
    source: 'mic',
    rtpParameters: micParameters(ssrc),
    paused: false,
    producerId: holdings.micProducerId,
    producerIds: [holdings.micProducerId],
    consumerId: holdings.consumerId ?? holdings.micProducerId,
    consumerIds: [holdings.consumerId ?? holdings.micProducerId],
    publicKey: 'B'.repeat(87),
    kid: '256',
    holders: ['B'.repeat(87)],
    keys: [{ to: 'B'.repeat(87), wrapped: 'C'.repeat(64) }],
    tiles: [],
    mode: 'audio',
  };
}

/** A well-formed request of this name aimed at these holdings, built from the request's own schema. */
export function mediaRequestFor(name: MediaRequestName, values: Record<string, unknown>): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field of mediaRequestFields(name)) {
    if (!(field in values)) throw new Error(`no test value for ${name}.${field}: add one to mediaFieldValues`);
    payload[field] = values[field];
  }
  return payload;
}

async function ok(socket: RoomSocket, name: MediaRequestName, payload: unknown): Promise<Record<string, unknown>> {
  const answer = (await ask(socket, name, payload)) as Record<string, unknown>;
  if (answer?.ok !== true) throw new Error(`${name} refused: ${JSON.stringify(answer)}`);
  return answer;
}

/** Join media as a browser does and publish a microphone. */
export async function publishMicrophone(socket: RoomSocket, ssrc: number): Promise<Omit<MediaHoldings, 'consumerId'>> {
  const joined = await ok(socket, 'media.join', {});
  const send = (await ok(socket, 'media.transport.create', { direction: 'send' })).transport as { id: string };
  const recv = (await ok(socket, 'media.transport.create', { direction: 'recv' })).transport as { id: string };
  await ok(socket, 'media.capabilities', { rtpCapabilities: joined.routerRtpCapabilities });
  const values = { transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: micParameters(ssrc), paused: false };
  const produced = await ok(socket, 'media.produce', mediaRequestFor('media.produce', values));
  return { routerRtpCapabilities: joined.routerRtpCapabilities, sendTransportId: send.id, recvTransportId: recv.id, micProducerId: produced.producerId as string };
}

/** Consume one producer; the consumer's id. */
export async function consume(socket: RoomSocket, producerId: string): Promise<string> {
  const answer = await ok(socket, 'media.consume', mediaRequestFor('media.consume', { producerId, producerIds: [producerId] }));
  const consumer = (answer.consumer ?? (answer.consumers as unknown[] | undefined)?.[0]) as { id: string } | undefined;
  if (!consumer) throw new Error(`media.consume gave no consumer: ${JSON.stringify(answer)}`);
  return consumer.id;
}
