import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { loadSecrets, type Secrets } from './access/secrets.js';
import { feedbackAnonymiser } from './access/anonymiser.js';
import { TokenSigner } from './access/tokens.js';
import type { Config } from './config.js';
import { createApi } from './http/api.js';
import { httpTimeouts, limitConnectionsPerAddress } from './http/connection-limits.js';
import { securityHeaders } from './http/security-headers.js';
import { createLogger, type Logger } from './logger.js';
import type { GroupRecords } from './records/group-records.js';
import { openRecords } from './records/open-records.js';
import type { Sfu } from './media/sfu.js';
import { MediaConnections } from './media/media-connections.js';
import { mediaDelivery, mediaSignalling } from './media/signalling.js';
import { createGateway, type HoldspaceServer, type SocketExtension } from './realtime/gateway.js';
import { startCluster } from './cluster/cluster.js';
import type { RoomDirectory } from './rooms/room-directory.js';
import { Rooms } from './rooms/rooms.js';
import { MemoryStore } from './store/memory-store.js';
import type { RoomStore } from './store/room-store.js';

const clientDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'client');

export interface Holdspace {
  http: HttpServer;
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
  facilitatorLink(): string;
  extend(extension: SocketExtension): void;
  listen(): Promise<void>;
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
  const cluster = config.redis && !parts.store ? await startCluster(config.redis, logger, { graceMs: config.graceMs }, anonymise, secrets.sessionSecret) : null;
  const store = parts.store ?? cluster?.store ?? new MemoryStore(config.endedRoomMs);
  const rooms: RoomDirectory = cluster?.rooms ?? new Rooms(store, logger, { graceMs: config.graceMs }, anonymise, config.endedRoomMs, config.unusedRoomMs);
  const media = parts.media ?? null;
  if (media) rooms.onActor((actor) => media.serve(actor));

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const http = createServer(httpTimeouts, app);
  limitConnectionsPerAddress(http, config.connectionsPerAddress);

  const url = () => {
    if (config.publicUrl) return config.publicUrl;
    const address = http.address() as AddressInfo | null;
    return `http://localhost:${address?.port ?? config.port}`;
  };
  const allowedOrigins = config.publicUrl ? [new URL(config.publicUrl).origin] : [];
  const gateway = createGateway(http, { rooms, signer, logger, allowedOrigins, events: config.events, entryPerMinute: config.entryPerMinute,
    socketsPerParticipant: config.socketsPerParticipant,
    recheckMs: config.sessionRecheckMs,
  });
  // Set before any listener answers, so Socket.IO's own responses carry them too; upgrades get them from the engine.
  const headers = securityHeaders(config.production);
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

  // Up or not, nothing more: how much a server holds is the operator's (GET /api/status).
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.use(
    '/api',
    createApi({
      rooms,
      signer,
      logger,
      facilitatorKey: secrets.facilitatorKey,
      publicUrl: url,
      inviteTtlMs: config.inviteTtlMs,
      sessionTtlMs: config.sessionTtlMs,
      entryPerMinute: config.entryPerMinute,
      maxRooms: config.maxRooms,
      records,
      status: () => ({
        rooms: rooms.loaded,
        sockets: gateway.io.engine.clientsCount,
        ...(media ? { media: { rooms: media.roomCount, peers: media.peerCount } } : {}),
        uptimeSeconds: Math.round(process.uptime()),
      }),
    }),
  );
  if (existsSync(clientDir)) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => res.sendFile(join(clientDir, 'index.html')));
  } else {
    app.get('/', (_req, res) => res.status(503).type('text').send('The client is not built: run `npm run build` (npm start does it).'));
  }

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
    extend: gateway.extend,
    listen: () =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => {
          http.off('error', reject);
          resolve();
        });
      }),
    close: async () => {
      await rooms.close();
      await new Promise<void>((resolve) => gateway.io.close(() => resolve()));
      await store.close();
      await cluster?.close();
      media?.close();
      await records?.close();
    },
  };
}
