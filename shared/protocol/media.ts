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

/** A raw uncompressed P-256 public key in base64url: what a browser publishes to receive the room key. */
export const e2eePublicKeySchema = z.string().regex(/^[A-Za-z0-9_-]{87}$/, 'expected a P-256 public key (base64url)');
/** The room key sealed for one browser: opaque to the server, and small. */
const wrappedKeySchema = z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'expected a wrapped key of at most 256 base64url characters');
/** An SFrame key id, as decimal digits (it may exceed 2^53). */
const kidSchema = z.string().regex(/^\d{1,20}$/, 'expected a key id');
/** At most this many browsers hold one room key. */
const MAX_HOLDERS = 64;

/** One request: its name, and what its payload may hold (nothing else). */
const request = <N extends string, Shape extends z.ZodRawShape>(name: N, shape: Shape) => z.strictObject({ name: z.literal(name), request: z.strictObject(shape) });

/**
 * Every request a browser may make, named, with the schema of its payload: one union, so a single
 * parse proves which request it is and what it carries (the server reads `{ name, request }`).
 */
export const mediaRequestSchema = z.discriminatedUnion('name', [
  /** Start (or start over) this connection's media: answers the router's capabilities and ICE servers. */
  request('media.join', {}),
  /** The loaded device's receive capabilities; answers what is on offer to consume now. */
  request('media.capabilities', { rtpCapabilities: rtpCapabilitiesSchema }),
  /** One send and one receive transport per connection; asking again replaces the old one. */
  request('media.transport.create', { direction: z.enum(['send', 'recv']) }),
  request('media.transport.connect', { transportId: mediaIdSchema, dtlsParameters: dtlsParametersSchema }),
  request('media.transport.restartIce', { transportId: mediaIdSchema }),
  request('media.produce', {
    transportId: mediaIdSchema,
    kind: mediaKindSchema,
    source: mediaSourceSchema,
    rtpParameters: rtpParametersSchema,
    paused: z.boolean().default(false),
  }),
  request('media.producer.pause', { producerId: mediaIdSchema }),
  /** Refused with FLOOR_NOT_ALLOWED while the floor keeps this microphone silent. */
  request('media.producer.resume', { producerId: mediaIdSchema }),
  request('media.producer.close', { producerId: mediaIdSchema }),
  /**
   * Consume other participants' producers, several at once (a room's worth on joining). Consumers
   * are created paused; resume them once their tracks are attached.
   */
  request('media.consume', { producerIds: z.array(mediaIdSchema).min(1).max(64) }),
  request('media.consumer.resume', { consumerIds: z.array(mediaIdSchema).min(1).max(64) }),
  /** Every remote tile this browser renders, replacing the last report: hints for layers, never authority. */
  request('media.tiles', { tiles: z.array(tileHintSchema).max(MAX_TILES) }),
  /** The member's choice of incoming video: all, only the floor holder's, or none. */
  request('media.receive', { mode: receiveModeSchema }),
  request('media.leave', {}),
  /** This browser's public key for end-to-end encrypted media; the key maker wraps the room key to it. */
  request('media.e2ee.publish', { publicKey: e2eePublicKeySchema }),
  /**
   * The key maker only: the room key (id `kid`) sealed for each browser named by its public key,
   * and the public keys it went to (for the safety code). Everyone else with a key is told to
   * ratchet to `kid`, which works only within its generation.
   */
  request('media.e2ee.wrap', {
    kid: kidSchema,
    holders: z.array(e2eePublicKeySchema).min(1).max(MAX_HOLDERS),
    keys: z.array(z.strictObject({ to: e2eePublicKeySchema, wrapped: wrappedKeySchema })).max(MAX_HOLDERS),
  }),
  /** "My safety code differs from the one read aloud": a signal to the facilitator. */
  request('media.e2ee.doubt', {}),
]);

/** A media request as the server holds it once parsed: defaults filled in. */
export type ParsedMediaCall = z.output<typeof mediaRequestSchema>;
export type MediaRequestName = ParsedMediaCall['name'];
/** What a browser sends for request N. */
export type MediaRequest<N extends MediaRequestName> = Extract<z.input<typeof mediaRequestSchema>, { name: N }>['request'];
export type ParsedMediaRequest<N extends MediaRequestName> = Extract<ParsedMediaCall, { name: N }>['request'];

export const mediaRequestNames: readonly MediaRequestName[] = mediaRequestSchema.options.map((option) => option.shape.name.value);

/** The fields request N may carry, e.g. to build a well-formed one in a test. */
export const mediaRequestFields = (name: MediaRequestName): string[] =>
  Object.keys(mediaRequestSchema.options.find((option) => option.shape.name.value === name)?.shape.request.shape ?? {});

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
  'media.e2ee.publish': Record<never, never>;
  /** missing: public keys no browser in the room holds (any more). */
  'media.e2ee.wrap': { missing: string[] };
  'media.e2ee.doubt': Record<never, never>;
}

/** A published public key and whose browser it is. */
export interface KeyHolder {
  participantId: string;
  publicKey: string;
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
  /** To the key maker only: every other browser in the room that published a key, after each change. */
  'media.e2ee.holders': (message: { keys: KeyHolder[] }) => void;
  /** A room key sealed for this browser by the key maker `from`, or (wrapped null) word to ratchet to `kid`. */
  'media.e2ee.key': (message: { kid: string; from: string; holders: string[]; wrapped: string | null }) => void;
  /** To the facilitator: a member says their safety code differs. */
  'media.e2ee.doubt': (message: { participantId: string }) => void;
  /** Nobody receives this camera above this simulcast layer now: encode no higher (until told otherwise). */
  'media.layers': (message: { producerId: string; maxSpatialLayer: number }) => void;
}

/** Each request, answered through its acknowledgement; the payload is parsed by the server (MediaRequest<N> is what a browser sends). */
export type MediaClientToServerEvents = {
  [N in MediaRequestName]: (request: unknown, ack: (answer: MediaAnswer<N>) => void) => void;
};
