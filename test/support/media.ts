import { pino } from 'pino';
import { socketPort, wireRequests } from '../../client/src/media/media-signalling.js';
import type { RoomConnection } from '../../client/src/session/connection.js';
import type { MediaAnswer, MediaRequest, MediaRequestName, MediaServerToClientEvents, RtpParameters } from '../../shared/protocol/media.js';
import { loadConfig } from '../../server/config.js';
import { Sfu } from '../../server/media/sfu.js';
import { startHoldspace, type RunningHoldspace } from './holdspace.js';

export interface MediaHoldspace extends RunningHoldspace {
  sfu: Sfu;
}

/** A real Holdspace with real mediasoup workers on free ports. */
export async function startMediaHoldspace(env: Record<string, string> = {}): Promise<MediaHoldspace> {
  const mediaEnv = { MEDIA_PORT: '0', MEDIA_WORKERS: '1', MEDIA_LOG_LEVEL: 'warn', ...env };
  const config = loadConfig({ LOG_LEVEL: 'silent', ...mediaEnv });
  const sfu = await Sfu.start(config.media, pino({ level: config.logLevel }));
  const server = await startHoldspace(mediaEnv, { media: sfu });
  return { ...server, sfu };
}

/** Send one media request the way a browser does (or with any payload at all) and return the acknowledgement. */
export async function mediaRequest<N extends MediaRequestName>(connection: RoomConnection, name: N, payload: MediaRequest<N> | Record<string, unknown>): Promise<MediaAnswer<N>> {
  return wireRequests(connection.socket)[name](payload, 5_000);
}

/** Like mediaRequest, but fails the test unless the server agreed. */
export async function mediaOk<N extends MediaRequestName>(connection: RoomConnection, name: N, payload: MediaRequest<N>) {
  const answer = await mediaRequest(connection, name, payload);
  if (!answer.ok) throw new Error(`${name} refused: ${answer.code} ${answer.detail ?? ''}`);
  return answer;
}

type MediaMessage<E extends keyof MediaServerToClientEvents> = Parameters<MediaServerToClientEvents[E]>[0];
type MediaLog = { [E in keyof MediaServerToClientEvents]: MediaMessage<E>[] };

/** Everything the server pushes to this connection under one media event, as it arrives. */
export function mediaEvents<E extends keyof MediaServerToClientEvents>(connection: RoomConnection, event: E) {
  const log: MediaLog = { 'media.offer': [], 'media.consumer.closed': [], 'media.silenced': [], 'media.speaking': [], 'media.heard': [], 'media.reset': [], 'media.layers': [], 'media.e2ee.holders': [], 'media.e2ee.key': [], 'media.e2ee.doubt': [] };
  socketPort(connection.socket).listen({
    'media.offer': (message) => void log['media.offer'].push(message),
    'media.consumer.closed': (message) => void log['media.consumer.closed'].push(message),
    'media.silenced': (message) => void log['media.silenced'].push(message),
    'media.speaking': (message) => void log['media.speaking'].push(message),
    'media.heard': (message) => void log['media.heard'].push(message),
    'media.reset': (message) => void log['media.reset'].push(message),
    'media.e2ee.holders': (message) => void log['media.e2ee.holders'].push(message),
    'media.e2ee.key': (message) => void log['media.e2ee.key'].push(message),
    'media.e2ee.doubt': (message) => void log['media.e2ee.doubt'].push(message),
    'media.layers': (message) => void log['media.layers'].push(message),
    disconnect: () => undefined,
    snapshot: () => undefined,
  });
  const seen: MediaMessage<E>[] = log[event];
  return {
    seen,
    /** The first message (already seen or still to come) that satisfies `match`. */
    next: (match: (message: MediaMessage<E>) => boolean = () => true, timeoutMs = 5_000) => waitFor(() => seen.find(match), timeoutMs, `${event} event`),
  };
}

/** Poll until `check` returns something truthy; fail with `what` after the deadline. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs: number, what: string, everyMs = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs} ms (last: ${String(last).slice(0, 300)})`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** DTLS parameters as a browser sends them (the test never completes the handshake). */
export const browserDtls = {
  role: 'client' as const,
  fingerprints: [{ algorithm: 'sha-256' as const, value: Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':') }],
};

/** What a browser would send to publish a microphone or a camera, with distinct SSRCs. */
export function micParameters(ssrc: number): RtpParameters {
  return {
    mid: '0',
    codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { minptime: 10, useinbandfec: 1, usedtx: 1 }, rtcpFeedback: [{ type: 'transport-cc' }] }],
    headerExtensions: [
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 },
      { uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', id: 10 },
    ],
    encodings: [{ ssrc, dtx: true }],
    rtcp: { cname: `cname-${ssrc}`, reducedSize: true },
  };
}

export function cameraParameters(ssrc: number): RtpParameters {
  return {
    mid: '1',
    codecs: [
      { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }] },
      { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 } },
    ],
    headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 }],
    encodings: [
      { ssrc, rtx: { ssrc: ssrc + 1 }, scalabilityMode: 'L1T3' },
      { ssrc: ssrc + 2, rtx: { ssrc: ssrc + 3 }, scalabilityMode: 'L1T3' },
    ],
    rtcp: { cname: `cname-${ssrc}`, reducedSize: true },
  };
}
