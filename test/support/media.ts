import { pino } from 'pino';
import type { Socket } from 'socket.io-client';
import type { RoomConnection } from '../../client/src/session/connection.js';
import type {
  MediaAnswer,
  MediaClientToServerEvents,
  MediaRequest,
  MediaRequestName,
  MediaServerToClientEvents,
  RtpParameters,
} from '../../shared/protocol/media.js';
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

type MediaSocket = Socket<MediaServerToClientEvents, MediaClientToServerEvents>;

const mediaSocket = (connection: RoomConnection) => connection.socket as unknown as MediaSocket;

/** Send one media request the way a browser does and return the acknowledgement. */
export async function mediaRequest<N extends MediaRequestName>(connection: RoomConnection, name: N, payload: MediaRequest<N> | Record<string, unknown>): Promise<MediaAnswer<N>> {
  const socket = mediaSocket(connection).timeout(5_000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<MediaAnswer<N>> };
  return socket.emitWithAck(name, payload);
}

/** Like mediaRequest, but fails the test unless the server agreed. */
export async function mediaOk<N extends MediaRequestName>(connection: RoomConnection, name: N, payload: MediaRequest<N>) {
  const answer = await mediaRequest(connection, name, payload);
  if (!answer.ok) throw new Error(`${name} refused: ${answer.code} ${answer.detail ?? ''}`);
  return answer;
}

/** Everything the server pushes to this connection under one media event, as it arrives. */
export function mediaEvents<E extends keyof MediaServerToClientEvents>(connection: RoomConnection, event: E) {
  const seen: Parameters<MediaServerToClientEvents[E]>[0][] = [];
  const socket = mediaSocket(connection) as unknown as { on(event: string, listener: (message: never) => void): void };
  socket.on(event, (message: never) => void seen.push(message));
  return {
    seen,
    /** The first message (already seen or still to come) that satisfies `match`. */
    next: (match: (message: Parameters<MediaServerToClientEvents[E]>[0]) => boolean = () => true, timeoutMs = 5_000) =>
      waitFor(() => seen.find(match), timeoutMs, `${event} event`),
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
