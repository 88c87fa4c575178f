import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { loadSecrets, type Secrets } from './access/secrets.js';
import { feedbackAnonymiser } from './access/anonymiser.js';
import { TokenSigner } from './access/tokens.js';
import type { Config } from './config.js';
import { createApi } from './http/api.js';
import { AccountBook } from './accounts/account-book.js';
import { AuditTrail } from './accounts/audit-trail.js';
import { Passkeys } from './accounts/passkeys.js';
import { auditLiveRooms } from './accounts/session-audit.js';
import { SignInCookie } from './accounts/sign-in-cookie.js';
import { FacilitatorAccess } from './http/facilitator-access.js';
import { httpTimeouts, limitConnectionsPerAddress } from './http/connection-limits.js';
import { securityHeaders } from './http/security-headers.js';
import { readCertificate, reloadCertificateOnChange } from './http/tls.js';
import { clientAddress } from './http/trust-proxy.js';
import { drain, type DrainSteps } from './operations/drain.js';
import { Metrics } from './operations/metrics.js';
import { readiness } from './operations/readiness.js';
import { createLogger, type Logger } from './logger.js';
import type { GroupRecords } from './records/group-records.js';
import { openRecords } from './records/open-records.js';
import { nextSessionAt } from './records/calendar.js';
import { GroupSessions } from './groups/group-sessions.js';
import type { Sfu } from './media/sfu.js';
import { MediaConnections } from './media/media-connections.js';
import { mediaDelivery, mediaSignalling } from './media/signalling.js';
import { createGateway, type HoldspaceServer, type SocketExtension } from './realtime/gateway.js';
import { startCluster } from './cluster/cluster.js';
import type { RoomDirectory } from './rooms/room-directory.js';
import { Rooms } from './rooms/rooms.js';
import { liveRoomsFile, readLiveRooms, writeLiveRooms } from './store/live-rooms-file.js';
import { MemoryStore } from './store/memory-store.js';
import type { RoomStore } from './store/room-store.js';

const clientDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'client');

export interface Holdspace {
  /** The web server: HTTPS with TLS_CERT_FILE and TLS_KEY_FILE, else HTTP. */
  http: HttpServer | HttpsServer;
  io: HoldspaceServer;
  rooms: RoomDirectory;
  secrets: Secrets;
  logger: Logger;
  /** Audio and video, when this server carries them. */
  media: Sfu | null;
  /** Standing groups' records (PGlite or PostgreSQL), unless RECORDS_ENABLED=false. */
  records: GroupRecords | null;
  /** The address people use: PUBLIC_URL, else this server's own. */
  url(): string;
  /** Without accounts (no records): the link that opens the facilitator console with the key. */
  facilitatorLink(): string;
  /** With records: facilitators' accounts; null without them. */
  accounts: AccountBook | null;
  audit: AuditTrail | null;
  /** What to print at start: a one-time setup link for the first administrator while there is no account, else the key link (no records) or nothing. */
  startLink(): Promise<{ kind: 'setup' | 'key'; link: string } | null>;
  extend(extension: SocketExtension): void;
  listen(): Promise<void>;
  /** The operator's counters and timings (what /metrics serves). */
  metrics: Metrics;
  /** A step run when draining, after commands in flight are answered and before rooms close (e.g. writing live rooms to disk). */
  onDrain(keepRooms: () => Promise<void>): void;
  /** SIGTERM: refuse new rooms, answer what is in flight, keep or hand over rooms, close. False when `timeoutMs` ran out first. */
  drain(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface HoldspaceParts {
  store?: RoomStore;
  logger?: Logger;
  /** The SFU for audio and video (see Sfu.start); without it the session runs without media. The Holdspace closes it. */
  media?: Sfu;
  /** Records opened by the caller (a test's database); null runs without them. The Holdspace closes them. */
  records?: GroupRecords | null;
}

export async function createHoldspace(config: Config, parts: HoldspaceParts = {}): Promise<Holdspace> {
  const logger = parts.logger ?? createLogger(config.logLevel);
  const secrets = await loadSecrets(config.dataDir, {
    ...(config.facilitatorKey ? { facilitatorKey: config.facilitatorKey } : {}),
    ...(config.sessionSecret ? { sessionSecret: config.sessionSecret } : {}),
    ...(config.records?.dataKey ? { dataKey: config.records.dataKey } : {}),
  });
  // Opened once at start (PGlite's first open takes seconds); never touched on a live command's path.
  const records = parts.records !== undefined ? parts.records : config.records ? await openRecords(config.records, { dataDir: config.dataDir, dataKey: secrets.dataKey, logger }) : null;
  const signer = new TokenSigner(secrets.sessionSecret);
  // With REDIS_URL, rooms live in Redis and are shared by every node; without it, in this process.
  const anonymise = feedbackAnonymiser(secrets.sessionSecret);
  const cluster = config.redis && !parts.store ? await startCluster(config.redis, logger, { graceMs: config.graceMs }, anonymise, secrets.sessionSecret, config.endedRoomMs) : null;
  const memory = cluster || parts.store ? null : new MemoryStore(config.endedRoomMs);
  const store = parts.store ?? cluster?.store ?? memory!;
  // One process: the rooms a clean stop wrote come back, everyone in them as after a network drop.
  const liveFile = liveRoomsFile(config.dataDir);
  if (memory) for (const room of await readLiveRooms(liveFile, anonymise, Date.now())) await memory.create(room);
  const rooms: RoomDirectory = cluster?.rooms ?? new Rooms(store, logger, { graceMs: config.graceMs }, anonymise, config.endedRoomMs, config.unusedRoomMs);
  const media = parts.media ?? null;
  if (media) rooms.onActor((actor) => media.serve(actor));

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  const trusted = app.get('trust proxy fn') as (address: string, hop: number) => boolean;
  const tls = config.tls;
  let http: HttpServer | HttpsServer;
  let stopReloading: () => void = () => undefined;
  if (tls) {
    const secure = createHttpsServer({ ...httpTimeouts, ...readCertificate(tls) }, app);
    stopReloading = reloadCertificateOnChange(secure, tls, logger);
    http = secure;
  } else {
    http = createServer(httpTimeouts, app);
  }
  limitConnectionsPerAddress(http, config.connectionsPerAddress);

  const url = () => {
    if (config.publicUrl) return config.publicUrl;
    const address = http.address() as AddressInfo | null;
    return `${tls ? 'https' : 'http'}://localhost:${address?.port ?? config.port}`;
  };
  let draining = false;
  const drainHooks: (() => Promise<void>)[] = [];
  if (memory) drainHooks.push(() => writeLiveRooms(liveFile, memory.running(), Date.now()));
  let io: HoldspaceServer | null = null;
  const metrics = new Metrics({
    rooms: () => rooms.loaded,
    sockets: () => io?.engine.clientsCount ?? 0,
    participants: () => new Set([...(io?.of('/').sockets.values() ?? [])].map((socket) => socket.data.participantId)).size,
    media,
  });
  const allowedOrigins = config.publicUrl ? [new URL(config.publicUrl).origin] : [];
  const gateway = createGateway(http, { rooms, signer, logger, allowedOrigins, events: config.events, entryPerMinute: config.entryPerMinute,
    socketsPerParticipant: config.socketsPerParticipant,
    recheckMs: config.sessionRecheckMs,
    addressOf: (request) => clientAddress(request, trusted),
    tally: metrics,
  });
  io = gateway.io;
  // Set before any listener answers, so Socket.IO's own responses carry them too; upgrades get them from the engine.
  const headers = securityHeaders(config.production, Boolean(tls) || config.publicUrl?.startsWith('https:') === true);
  http.prependListener('request', (_req, res) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  });
  gateway.io.engine.on('headers', (engineHeaders: Record<string, string>) => Object.assign(engineHeaders, headers));
  if (media) {
    const connections = new MediaConnections(media, mediaDelivery(media, gateway.io), logger);
    // With several nodes, a socket's media requests go to the node running its room.
    const desk = cluster ? cluster.rooms.mediaDesk(connections) : connections;
    gateway.extend(mediaSignalling(desk, config.redis?.nodeId ?? null));
  }
  cluster?.serve(gateway.io);

  // Up or not, nothing more: how much a server holds is in /metrics, whether to send it people in /readyz.
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/readyz', (_req, res) => {
    void readiness({ store, media, draining: () => draining }).then((answer) => {
      if (!answer.ready && answer.reason.includes('store')) metrics.storeError();
      res.status(answer.ready ? 200 : 503).set('Cache-Control', 'no-store').json(answer);
    });
  });
  const metricsKey = config.metricsToken ? Buffer.from(`Bearer ${config.metricsToken}`) : null;
  app.get('/metrics', (req, res) => {
    res.set('Cache-Control', 'no-store');
    if (!metricsKey) return void res.status(404).type('text').send('Metrics are off: set METRICS_TOKEN to serve them.\n');
    const given = Buffer.from(req.get('authorization') ?? '');
    if (given.length !== metricsKey.length || !timingSafeEqual(given, metricsKey)) return void res.status(401).type('text').send('Give METRICS_TOKEN as a bearer token.\n');
    void metrics.registry.metrics().then(
      (text) => res.type(metrics.registry.contentType).send(text),
      (error: unknown) => {
        logger.error({ err: error }, 'metrics could not be collected');
        res.status(500).end();
      },
    );
  });
  // Accounts live beside the records; without records the facilitator key stays the only credential.
  const accounts = records ? new AccountBook(records.database, { lifetimeMs: config.signIn.lifetimeMs, idleMs: config.signIn.idleMs }) : null;
  const audit = records ? new AuditTrail(records.database, logger) : null;
  if (audit) auditLiveRooms(rooms, audit);
  const cookie = new SignInCookie(Boolean(tls) || url().startsWith('https:'));
  const access = new FacilitatorAccess({ accounts, cookie, facilitatorKey: secrets.facilitatorKey, publicUrl: url, entryPerMinute: config.entryPerMinute, logger });
  if (accounts) {
    gateway.setFacilitatorGate({
      admit: async (request, claims) => {
        const signIn = await access.signInOf(request, false);
        if (!signIn || claims.by !== signIn.account.id || !(await accounts.mayFacilitate(signIn.account.id, claims.room))) return null;
        return signIn.idHash;
      },
      alive: async (signIn) => (await accounts.signInByHash(signIn, { touch: false })) !== null,
    });
  }
  const groupSessions = records
    ? new GroupSessions({
        records,
        rooms,
        signer,
        logger,
        sessionTtlMs: config.sessionTtlMs,
        nextSessionAt: async (groupId) => {
          const group = await records.getGroup(groupId);
          return group && nextSessionAt(group, new Date());
        },
      })
    : null;
  app.use(
    '/api',
    createApi({
      rooms,
      signer,
      logger,
      access,
      accountsApi: accounts && audit ? { accounts, audit, access, cookie, passkeys: new Passkeys(accounts, url), publicUrl: url, invitationTtlMs: config.signIn.invitationTtlMs, entryPerMinute: config.entryPerMinute } : null,
      publicUrl: url,
      inviteTtlMs: config.inviteTtlMs,
      sessionTtlMs: config.sessionTtlMs,
      entryPerMinute: config.entryPerMinute,
      maxRooms: config.maxRooms,
      draining: () => draining,
      tally: metrics,
      records,
      groupSessions,
    }),
  );
  if (existsSync(clientDir)) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/|socket\.io\/|metrics$|readyz$|healthz$).*/, (_req, res) => res.sendFile(join(clientDir, 'index.html')));
  } else {
    app.get('/', (_req, res) => res.status(503).type('text').send('The client is not built: run `npm run build` (npm start does it).'));
  }

  const steps: DrainSteps = {
    refuseNewRooms: () => void (draining = true),
    answerInFlight: () => gateway.answerInFlight(),
    // With Redis the rooms live on in Redis and the close hands them to the other nodes.
    keepRooms: async () => {
      for (const keep of drainHooks) await keep();
    },
    close,
  };

  return {
    http,
    io: gateway.io,
    rooms,
    secrets,
    logger,
    media,
    records,
    url,
    facilitatorLink: () => `${url()}/facilitate#key=${encodeURIComponent(secrets.facilitatorKey)}`,
    accounts,
    audit,
    startLink: async () => {
      if (!accounts) return { kind: 'key', link: `${url()}/facilitate#key=${encodeURIComponent(secrets.facilitatorKey)}` };
      if (await accounts.hasAccounts()) return null;
      const token = await accounts.invite('admin', null, config.signIn.invitationTtlMs);
      await audit?.record({ action: 'setup-link.issued', actor: null });
      return { kind: 'setup', link: `${url()}/welcome#invite=${token}` };
    },
    extend: gateway.extend,
    listen: () =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => {
          http.off('error', reject);
          resolve();
        });
      }),
    metrics,
    onDrain: (keepRooms) => void drainHooks.push(keepRooms),
    drain: (timeoutMs) => drain(steps, logger, timeoutMs),
    close,
  };

  async function close(): Promise<void> {
    stopReloading();
    // A session ended just now still writes its record before the records close.
    await groupSessions?.idle();
    await rooms.close();
    await new Promise<void>((resolve) => gateway.io.close(() => resolve()));
    await store.close();
    await cluster?.close();
    media?.close();
    await records?.close();
  }
}
