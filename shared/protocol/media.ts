import { z } from 'zod';
import type { Silence } from '../session/speech.js';
import { MAX_TILES, receiveModeSchema, tileHintSchema } from '../session/video-layers.js';
import type { ErrorCode } from './errors.js';

/**
 * Media signalling between a browser and the SFU. Every client event carries an acknowledgement
 * answering `{ ok: true, ... }` or a coded rejection; every payload is parsed with these schemas
 * at the edge, and everything a browser hands over (RTP and DTLS parameters) is bounded.
 */

/** The ids mediasoup gives transports, producers and consumers. */
export const mediaIdSchema = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'expected a media id');

export const mediaKindSchema = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof mediaKindSchema>;

/** What a producer carries; at most one of each per peer, and the screen is the facilitator's. */
export const mediaSourceSchema = z.enum(['mic', 'camera', 'screen']);
export type MediaSource = z.infer<typeof mediaSourceSchema>;

export const kindOfSource: Record<MediaSource, MediaKind> = { mic: 'audio', camera: 'video', screen: 'video' };

const token = (max: number) => z.string().min(1).max(max);
const uint32 = z.number().int().min(0).max(0xffff_ffff);
const payloadType = z.number().int().min(0).max(127);

/** Codec parameters (fmtp): a few short scalar values. Typed as mediasoup and mediasoup-client type them. */
const codecParametersSchema = z
  .record(z.string().min(1).max(48), z.unknown())
  .refine(
    (parameters) =>
      Object.keys(parameters).length <= 24 &&
      Object.values(parameters).every((v) => typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 256)),
    'codec parameters must be at most 24 short strings, numbers or booleans',
  );

const rtcpFeedbackSchema = z.object({ type: token(32), parameter: z.string().max(32).optional() });

const mimeTypeSchema = z.string().regex(/^(audio|video)\/[A-Za-z0-9._-]{1,32}$/, 'expected a MIME type such as audio/opus');

/** The RTP header extensions mediasoup knows; anything else is refused. */
export const headerExtensionUriSchema = z.enum([
  'urn:ietf:params:rtp-hdrext:sdes:mid',
  'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'urn:3gpp:video-orientation',
  'urn:ietf:params:rtp-hdrext:toffset',
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time',
  'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay',
  'https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension',
]);

/** What a browser sends to produce: unknown keys are dropped, sizes bounded. */
export const rtpParametersSchema = z.object({
  mid: z.string().max(16).optional(),
  codecs: z
    .array(
      z.object({
        mimeType: mimeTypeSchema,
        payloadType,
        clockRate: z.number().int().min(1000).max(192_000),
        channels: z.number().int().min(1).max(8).optional(),
        parameters: codecParametersSchema.optional(),
        rtcpFeedback: z.array(rtcpFeedbackSchema).max(16).optional(),
      }),
    )
    .min(1)
    .max(8),
  headerExtensions: z
    .array(
      z.object({
        uri: headerExtensionUriSchema,
        id: z.number().int().min(1).max(255),
        encrypt: z.boolean().optional(),
        parameters: codecParametersSchema.optional(),
      }),
    )
    .max(16)
    .optional(),
  encodings: z
    .array(
      z.object({
        ssrc: uint32.optional(),
        rid: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/).optional(),
        codecPayloadType: payloadType.optional(),
        rtx: z.object({ ssrc: uint32 }).optional(),
        dtx: z.boolean().optional(),
        scalabilityMode: z.string().regex(/^[LS][1-4]T[1-4](_KEY)?(_SHIFT)?h?$/).optional(),
        scaleResolutionDownBy: z.number().min(1).max(16).optional(),
        maxBitrate: z.number().int().min(1).max(50_000_000).optional(),
        maxFramerate: z.number().min(1).max(120).optional(),
      }),
    )
    .min(1)
    .max(4)
    .optional(),
  rtcp: z.object({ cname: z.string().max(64).optional(), reducedSize: z.boolean().optional() }).optional(),
});
export type RtpParameters = z.output<typeof rtpParametersSchema>;

/** What a browser can receive, sent once after it loaded the router's capabilities. */
export const rtpCapabilitiesSchema = z.object({
  codecs: z
    .array(
      z.object({
        kind: mediaKindSchema,
        mimeType: mimeTypeSchema,
        preferredPayloadType: payloadType,
        clockRate: z.number().int().min(1000).max(192_000),
        channels: z.number().int().min(1).max(8).optional(),
        parameters: codecParametersSchema.optional(),
        rtcpFeedback: z.array(rtcpFeedbackSchema).max(16).optional(),
      }),
    )
    .max(32)
    .optional(),
  headerExtensions: z
    .array(
      z.object({
        kind: mediaKindSchema,
        uri: headerExtensionUriSchema,
        preferredId: z.number().int().min(1).max(255),
        preferredEncrypt: z.boolean().optional(),
        direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
      }),
    )
    .max(32)
    .optional(),
});
export type RtpCapabilities = z.output<typeof rtpCapabilitiesSchema>;

export const dtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
        value: z.string().regex(/^([0-9A-Fa-f]{2}:){19,63}[0-9A-Fa-f]{2}$/, 'expected a colon-separated hex fingerprint'),
      }),
    )
    .min(1)
    .max(8),
});
export type DtlsParameters = z.infer<typeof dtlsParametersSchema>;

/** Every request a browser may make, with the schema of its payload. */
export const mediaRequestSchemas = {
  /** Start (or start over) this connection's media: answers the router's capabilities and ICE servers. */
  'media.join': z.strictObject({}),
  /** The loaded device's receive capabilities; answers what is on offer to consume now. */
  'media.capabilities': z.strictObject({ rtpCapabilities: rtpCapabilitiesSchema }),
  /** One send and one receive transport per connection; asking again replaces the old one. */
  'media.transport.create': z.strictObject({ direction: z.enum(['send', 'recv']) }),
  'media.transport.connect': z.strictObject({ transportId: mediaIdSchema, dtlsParameters: dtlsParametersSchema }),
  'media.transport.restartIce': z.strictObject({ transportId: mediaIdSchema }),
  'media.produce': z.strictObject({
    transportId: mediaIdSchema,
    kind: mediaKindSchema,
    source: mediaSourceSchema,
    rtpParameters: rtpParametersSchema,
    paused: z.boolean().default(false),
  }),
  'media.producer.pause': z.strictObject({ producerId: mediaIdSchema }),
  /** Refused with FLOOR_NOT_ALLOWED while the floor keeps this microphone silent. */
  'media.producer.resume': z.strictObject({ producerId: mediaIdSchema }),
  'media.producer.close': z.strictObject({ producerId: mediaIdSchema }),
  /**
   * Consume other participants' producers, several at once (a room's worth on joining). Consumers
   * are created paused; resume them once their tracks are attached.
   */
  'media.consume': z.strictObject({ producerIds: z.array(mediaIdSchema).min(1).max(64) }),
  'media.consumer.resume': z.strictObject({ consumerIds: z.array(mediaIdSchema).min(1).max(64) }),
  /** Every remote tile this browser renders, replacing the last report: hints for layers, never authority. */
  'media.tiles': z.strictObject({ tiles: z.array(tileHintSchema).max(MAX_TILES) }),
  /** The member's choice of incoming video: all, only the floor holder's, or none. */
  'media.receive': z.strictObject({ mode: receiveModeSchema }),
  'media.leave': z.strictObject({}),
} as const;

export type MediaRequestName = keyof typeof mediaRequestSchemas;
export type MediaRequest<N extends MediaRequestName> = z.input<(typeof mediaRequestSchemas)[N]>;
export type ParsedMediaRequest<N extends MediaRequestName> = z.output<(typeof mediaRequestSchemas)[N]>;

export const mediaRequestNames = Object.keys(mediaRequestSchemas) as MediaRequestName[];

/** An ICE server as RTCPeerConnection takes it; TURN credentials are short-lived. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

export interface TransportDescription {
  id: string;
  iceParameters: { usernameFragment: string; password: string; iceLite?: boolean };
  iceCandidates: {
    foundation: string;
    priority: number;
    ip: string;
    address: string;
    protocol: 'udp' | 'tcp';
    port: number;
    type: 'host';
    tcpType?: 'passive';
  }[];
  dtlsParameters: DtlsParameters;
}

/** A producer another participant may consume. */
export interface ProducerOffer {
  producerId: string;
  participantId: string;
  kind: MediaKind;
  source: MediaSource;
}

export interface ConsumerDescription {
  id: string;
  producerId: string;
  participantId: string;
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: RtpParameters;
  /** The producer is paused (its owner muted, or the floor silenced them). */
  producerPaused: boolean;
}

/** What each request answers when it succeeds. */
export interface MediaResults {
  'media.join': { routerRtpCapabilities: RtpCapabilities; iceServers: IceServer[] };
  'media.capabilities': { offers: ProducerOffer[] };
  'media.transport.create': { transport: TransportDescription };
  'media.transport.connect': Record<never, never>;
  'media.transport.restartIce': { iceParameters: TransportDescription['iceParameters'] };
  /** silencedBy: the floor keeps this microphone paused, and why. */
  'media.produce': { producerId: string; silencedBy: Silence | null };
  'media.producer.pause': Record<never, never>;
  'media.producer.resume': Record<never, never>;
  'media.producer.close': Record<never, never>;
  /** missing: producers that are gone, or that this browser cannot receive. */
  'media.consume': { consumers: ConsumerDescription[]; missing: string[] };
  /** missing: consumers that have closed meanwhile. */
  'media.consumer.resume': { missing: string[] };
  'media.tiles': Record<never, never>;
  'media.receive': Record<never, never>;
  'media.leave': Record<never, never>;
}

export type MediaRefusal = { ok: false; code: ErrorCode; message: string; detail?: string };
export type MediaAnswer<N extends MediaRequestName> = ({ ok: true } & MediaResults[N]) | MediaRefusal;

/** What the server tells a browser about its media, unasked. */
export interface MediaServerToClientEvents {
  /** A new producer to consume. */
  'media.offer': (offer: ProducerOffer) => void;
  /** A consumer ended because its producer or transport went away. */
  'media.consumer.closed': (message: { consumerId: string; producerId: string }) => void;
  /** The floor paused (reason) or released (null) this connection's microphone. */
  'media.silenced': (message: { producerId: string; reason: Silence | null }) => void;
  /** Who is heard right now, to everyone in the room. */
  'media.speaking': (message: { speaking: string[] }) => void;
  /** Milliseconds each participant was actually heard; the facilitator's eyes only. */
  'media.heard': (message: { heardMs: Record<string, number> }) => void;
  /** Everything media on this connection is gone (a media worker restarted, another node took the room over): join again. */
  'media.reset': (message: { reason: 'worker-restarted' | 'replaced' | 'moved' }) => void;
  /** Nobody receives this camera above this simulcast layer now: encode no higher (until told otherwise). */
  'media.layers': (message: { producerId: string; maxSpatialLayer: number }) => void;
}

/** Each request, answered through its acknowledgement; the payload is parsed by the server (MediaRequest<N> is what a browser sends). */
export type MediaClientToServerEvents = {
  [N in MediaRequestName]: (request: unknown, ack: (answer: MediaAnswer<N>) => void) => void;
};
