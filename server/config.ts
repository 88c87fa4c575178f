import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { z } from 'zod';
import { readCertificate, TlsFileError, type TlsFiles } from './http/tls.js';
import { parseTrustProxy, type TrustProxy } from './http/trust-proxy.js';
import { dataKeyPattern } from './records/cipher.js';

const port = z.coerce.number().int().min(0).max(65535);
const flag = z.enum(['true', 'false', '1', '0', 'on', 'off']).transform((value) => value === 'true' || value === '1' || value === 'on');
const turnUrls = z
  .string()
  .transform((list) => list.split(',').map((url) => url.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^(stun|turn|turns):[^\s,]{1,250}$/, 'TURN_URLS must be comma-separated stun:, turn: or turns: URLs')).max(8));

const configSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  TRUST_PROXY: z.string().optional(),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  METRICS_TOKEN: z.string().min(24, 'METRICS_TOKEN must be at least 24 characters (e.g. `openssl rand -hex 24`); leave it unset to turn /metrics off').optional(),
  DRAIN_SECONDS: z.coerce.number().min(1).max(600).default(20),
  PUBLIC_URL: z.url({ message: 'PUBLIC_URL must be a full URL such as https://holdspace.example.org' }).optional(),
  FACILITATOR_KEY: z.string().min(16, 'FACILITATOR_KEY must be at least 16 characters; leave it unset to have one generated').optional(),
  SIGN_IN_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  IDLE_MINUTES: z.coerce.number().positive().max(24 * 60).default(30),
  ACCOUNT_INVITE_HOURS: z.coerce.number().positive().max(24 * 30).default(72),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters; leave it unset to have one generated').optional(),
  DATA_DIR: z.string().min(1).default('.holdspace'),
  INVITE_TTL_HOURS: z.coerce.number().positive().max(24 * 90).default(24 * 7),
  SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 7).default(12),
  GRACE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  EVENTS_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(10),
  EVENT_BURST: z.coerce.number().int().min(1).max(5000).default(30),
  ENTRY_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  SOCKETS_PER_PARTICIPANT: z.coerce.number().int().min(1).max(10_000).default(4),
  CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  MAX_ROOMS: z.coerce.number().int().min(1).max(1_000_000).default(200),
  UNUSED_ROOM_HOURS: z.coerce.number().positive().max(24 * 21).default(24),
  SESSION_RECHECK_SECONDS: z.coerce.number().int().min(1).max(300).default(20),
  ENDED_ROOM_MINUTES: z.coerce.number().min(0).max(7 * 24 * 60).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  MEDIA_ENABLED: flag.default(true),
  MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).default(availableParallelism()),
  MEDIA_LISTEN_IP: z.union([z.ipv4(), z.ipv6()], { message: 'MEDIA_LISTEN_IP must be an IP address of this machine, e.g. 127.0.0.1 or 0.0.0.0' }).default('127.0.0.1'),
  MEDIA_ANNOUNCED_ADDRESS: z.string().min(1).max(253).optional(),
  MEDIA_PORT: port.default(40000),
  MEDIA_MAX_PEERS_PER_ROOM: z.coerce.number().int().min(2).max(64).default(16),
  MEDIA_MAX_INCOMING_BITRATE: z.coerce.number().int().min(100_000).max(50_000_000).default(1_500_000),
  MEDIA_ADAPT_VIDEO: flag.default(true),
  MEDIA_LOG_LEVEL: z.enum(['debug', 'warn', 'error', 'none']).default('warn'),
  TURN_URLS: turnUrls.default([]),
  TURN_SECRET: z.string().min(16, 'TURN_SECRET must be at least 16 characters (the static-auth-secret of your TURN server)').optional(),
  TURN_TTL_SECONDS: z.coerce.number().int().min(60).max(48 * 3600).default(6 * 3600),
  REDIS_URL: z
    .string()
    .transform((list) => list.split(',').map((url) => url.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^rediss?:\/\/[^\s,]+$/, 'REDIS_URL must look like redis://host:6379 or rediss://user:password@host:6380/0')).min(1).max(16))
    .optional(),
  REDIS_CLUSTER: flag.default(false),
  ROOM_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(24),
  ROOM_LEASE_SECONDS: z.coerce.number().min(1).max(60).default(5),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'DATABASE_URL must look like postgres://user:password@host:5432/holdspace').optional(),
  DATA_KEY: z.string().regex(dataKeyPattern, 'DATA_KEY must be 32 random bytes as 64 hex digits or 43 base64url characters (e.g. openssl rand -hex 32); leave it unset to have one generated').optional(),
  RECORDS_ENABLED: flag.default(true),
  RECORDS_RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  RECORDS_PURGE_HOURS: z.coerce.number().positive().max(24 * 7).default(6),
  NODE_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'NODE_ID must be 1-64 letters, digits, _ . or -, and unique per running server').optional(),
}).superRefine((c, context) => {
  if (!c.PUBLIC_URL && !isLoopback(c.HOST)) {
    context.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: `HOST=${c.HOST} is reachable from other machines: set PUBLIC_URL to the address people use, e.g. https://holdspace.example.org (invite links are built from it and only its origin may connect), or HOST=127.0.0.1` });
  }
  const trust = parseTrustProxy(c.TRUST_PROXY);
  if ('refused' in trust) context.addIssue({ code: 'custom', path: ['TRUST_PROXY'], message: trust.refused });
  if (Boolean(c.TLS_CERT_FILE) !== Boolean(c.TLS_KEY_FILE)) {
    const [missing, given] = c.TLS_CERT_FILE ? ['TLS_KEY_FILE', 'TLS_CERT_FILE'] : ['TLS_CERT_FILE', 'TLS_KEY_FILE'];
    context.addIssue({ code: 'custom', path: [missing], message: `${given} is set: set ${missing} too (HTTPS needs the certificate chain and its private key), or neither` });
  } else if (c.TLS_CERT_FILE && c.TLS_KEY_FILE) {
    try {
      readCertificate({ certFile: c.TLS_CERT_FILE, keyFile: c.TLS_KEY_FILE });
    } catch (error) {
      if (!(error instanceof TlsFileError)) throw error;
      context.addIssue({ code: 'custom', path: [error.variable], message: error.message });
    }
  }
  const wildcard = c.MEDIA_LISTEN_IP === '0.0.0.0' || c.MEDIA_LISTEN_IP === '::';
  if (c.MEDIA_ENABLED && wildcard && !c.MEDIA_ANNOUNCED_ADDRESS) {
    context.addIssue({ code: 'custom', path: ['MEDIA_ANNOUNCED_ADDRESS'], message: `set it to the public IP or host name browsers reach this server at (MEDIA_LISTEN_IP is ${c.MEDIA_LISTEN_IP})` });
  }
  if (c.MEDIA_PORT !== 0 && c.MEDIA_PORT + c.MEDIA_WORKERS - 1 > 65535) {
    context.addIssue({ code: 'custom', path: ['MEDIA_PORT'], message: `each of the ${c.MEDIA_WORKERS} media workers uses the next port: choose a lower MEDIA_PORT` });
  }
  if (c.REDIS_CLUSTER && !c.REDIS_URL) {
    context.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'REDIS_CLUSTER=true needs REDIS_URL: one or more cluster nodes, e.g. redis://10.0.0.1:7000,redis://10.0.0.2:7000' });
  }
  if (!c.REDIS_CLUSTER && (c.REDIS_URL?.length ?? 0) > 1) {
    context.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'several URLs are the seed nodes of a Redis Cluster: set REDIS_CLUSTER=true, or give one URL' });
  }
  if (c.REDIS_CLUSTER && c.REDIS_URL?.some((url) => /^rediss?:\/\/[^/]+\/0*[1-9]\d*$/.test(url))) {
    context.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'a Redis Cluster has only database 0: drop the /<db> from each URL' });
  }
  if (c.REDIS_URL && c.RECORDS_ENABLED && !c.DATABASE_URL) {
    context.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'several servers (REDIS_URL) share one PostgreSQL for group records: set DATABASE_URL=postgres://user:password@host:5432/holdspace (or RECORDS_ENABLED=false for rooms only)' });
  }
  if (c.TURN_URLS.some((url) => !url.startsWith('stun:')) && !c.TURN_SECRET) {
    context.addIssue({ code: 'custom', path: ['TURN_SECRET'], message: 'turn: URLs need the shared secret of the TURN server (its static-auth-secret)' });
  }
});

/** The SFU: mediasoup workers, their WebRTC ports, and the TURN servers handed to browsers. */
export interface MediaConfig {
  enabled: boolean;
  workers: number;
  listenIp: string;
  announcedAddress: string | null;
  /** UDP and TCP port of the first worker's WebRtcServer; worker i uses port + i; 0 picks free ports. */
  port: number;
  maxPeersPerRoom: number;
  maxIncomingBitrate: number;
  /** Each receiver gets video layers by tile size and attention; off, everyone gets the top layer (for comparison). */
  adaptVideo: boolean;
  workerLogLevel: 'debug' | 'warn' | 'error' | 'none';
  turn: { urls: string[]; secret: string | null; ttlSeconds: number };
}

export type Config = {
  port: number;
  host: string;
  publicUrl: string | null;
  /** Whose X-Forwarded-For is believed for the client's address (per-address limits, logs). */
  trustProxy: TrustProxy;
  /** Serve HTTPS with these files, reloaded when they change; null serves plain HTTP (behind a proxy, or on a laptop). */
  tls: TlsFiles | null;
  /** /metrics answers only this bearer token; null: no /metrics. */
  metricsToken: string | null;
  /** How long a SIGTERM may take to answer what is in flight and hand rooms over before the process exits anyway. */
  drainMs: number;
  facilitatorKey: string | null;
  /** Facilitators' sign-ins (with records): absolute lifetime, idle timeout, how long setup and invitation links last. */
  signIn: { lifetimeMs: number; idleMs: number; invitationTtlMs: number };
  sessionSecret: string | null;
  dataDir: string;
  inviteTtlMs: number;
  sessionTtlMs: number;
  graceMs: number;
  /** Per-socket event budget. */
  events: { perSecond: number; burst: number };
  /** Failed joins, invite checks, handshakes and facilitator keys per address and minute. */
  entryPerMinute: number;
  /** Sockets one participant may hold open on this server at once (a second tab, a reconnect overlapping the old socket). */
  socketsPerParticipant: number;
  /** TCP connections one address may hold open at once. */
  connectionsPerAddress: number;
  /** Rooms not yet ended that may exist at once. */
  maxRooms: number;
  /** A room nobody ever entered (not even its facilitator) is forgotten this long after it was created. */
  unusedRoomMs: number;
  /** How often open sockets are checked against token expiry and removal. */
  sessionRecheckMs: number;
  /** How long an ended session stays loaded and stored in memory mode. */
  endedRoomMs: number;
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
  production: boolean;
  media: MediaConfig;
  /** Standing groups' records; null with RECORDS_ENABLED=false (one-off rooms only). */
  records: RecordsConfig | null;
  /** Several nodes sharing rooms through Redis; null keeps everything in this process's memory. */
  redis: RedisConfig | null;
};

export interface RecordsConfig {
  /** PostgreSQL; null keeps records in PGlite under DATA_DIR/records. */
  databaseUrl: string | null;
  /** The records key from DATA_KEY; null takes (or generates) the one in DATA_DIR/secrets.json. */
  dataKey: string | null;
  /** How long a closed group's records, or a departed member's, are kept by default. */
  retentionMonths: number;
  /** How often what is past retention is purged. */
  purgeIntervalMs: number;
}

export interface RedisConfig {
  /** The server, or with `cluster` some nodes of the cluster (the rest are found from them). */
  urls: string[];
  /** A Redis Cluster (node-redis createCluster, sharded pub/sub) rather than one server. */
  cluster: boolean;
  /** Rooms untouched this long (ended or idle) are deleted from Redis. */
  roomTtlMs: number;
  /** A room nobody ever entered is deleted this long after it was created (if sooner than roomTtlMs). */
  unusedRoomMs: number;
  /** How long a node's hold on a room lasts without renewal: the worst case for a failover. */
  leaseMs: number;
  /** This process among the nodes; unique per running server. */
  nodeId: string;
}

/** Read configuration from the environment; errors name the variable and the fix. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(set);
  if (!parsed.success) {
    // One line per refusal, each whole on its own: the variable and the fix.
    throw new Error(parsed.error.issues.map((issue) => `Holdspace cannot start: ${issue.path.join('.') || 'environment'}: ${issue.message}`).join('\n'));
  }
  const c = parsed.data;
  const trust = parseTrustProxy(c.TRUST_PROXY);
  return {
    port: c.PORT,
    host: c.HOST,
    publicUrl: c.PUBLIC_URL ? c.PUBLIC_URL.replace(/\/$/, '') : null,
    trustProxy: 'trust' in trust ? trust.trust : false,
    tls: c.TLS_CERT_FILE && c.TLS_KEY_FILE ? { certFile: c.TLS_CERT_FILE, keyFile: c.TLS_KEY_FILE } : null,
    metricsToken: c.METRICS_TOKEN ?? null,
    drainMs: c.DRAIN_SECONDS * 1000,
    facilitatorKey: c.FACILITATOR_KEY ?? null,
    signIn: { lifetimeMs: c.SIGN_IN_HOURS * 3_600_000, idleMs: c.IDLE_MINUTES * 60_000, invitationTtlMs: c.ACCOUNT_INVITE_HOURS * 3_600_000 },
    sessionSecret: c.SESSION_SECRET ?? null,
    dataDir: c.DATA_DIR,
    inviteTtlMs: c.INVITE_TTL_HOURS * 3_600_000,
    sessionTtlMs: c.SESSION_TTL_HOURS * 3_600_000,
    graceMs: c.GRACE_SECONDS * 1000,
    events: { perSecond: c.EVENTS_PER_SECOND, burst: c.EVENT_BURST },
    entryPerMinute: c.ENTRY_PER_MINUTE,
    socketsPerParticipant: c.SOCKETS_PER_PARTICIPANT,
    connectionsPerAddress: c.CONNECTIONS_PER_ADDRESS,
    maxRooms: c.MAX_ROOMS,
    unusedRoomMs: c.UNUSED_ROOM_HOURS * 3_600_000,
    sessionRecheckMs: c.SESSION_RECHECK_SECONDS * 1000,
    endedRoomMs: c.ENDED_ROOM_MINUTES * 60_000,
    logLevel: c.LOG_LEVEL,
    production: c.NODE_ENV === 'production',
    media: {
      enabled: c.MEDIA_ENABLED,
      workers: c.MEDIA_WORKERS,
      listenIp: c.MEDIA_LISTEN_IP,
      announcedAddress: c.MEDIA_ANNOUNCED_ADDRESS ?? null,
      port: c.MEDIA_PORT,
      maxPeersPerRoom: c.MEDIA_MAX_PEERS_PER_ROOM,
      maxIncomingBitrate: c.MEDIA_MAX_INCOMING_BITRATE,
      adaptVideo: c.MEDIA_ADAPT_VIDEO,
      workerLogLevel: c.MEDIA_LOG_LEVEL,
      turn: { urls: c.TURN_URLS, secret: c.TURN_SECRET ?? null, ttlSeconds: c.TURN_TTL_SECONDS },
    },
    records: c.RECORDS_ENABLED
      ? { databaseUrl: c.DATABASE_URL ?? null, dataKey: c.DATA_KEY ?? null, retentionMonths: c.RECORDS_RETENTION_MONTHS, purgeIntervalMs: c.RECORDS_PURGE_HOURS * 3_600_000 }
      : null,
    redis: c.REDIS_URL
      ? {
          urls: c.REDIS_URL,
          cluster: c.REDIS_CLUSTER,
          roomTtlMs: c.ROOM_TTL_HOURS * 3_600_000,
          unusedRoomMs: c.UNUSED_ROOM_HOURS * 3_600_000,
          leaseMs: c.ROOM_LEASE_SECONDS * 1000,
          nodeId: c.NODE_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
        }
      : null,
  };
}

/** Whether HOST keeps the server to this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
