import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployFile, withSettings } from './deploy-files.js';
import { waitFor } from './media.js';
import { freePort } from './redis-server.js';

const TURNSERVER = '/usr/bin/turnserver';

export interface RunningCoturn {
  /** TURN over UDP and over TCP at 127.0.0.1, as TURN_URLS lists them; over TLS when started with a certificate. */
  urls: { udp: string; tcp: string; tls: string | null };
  secret: string;
  /** Allocations coturn granted so far (each relayed transport of a browser is one). */
  allocations(): number;
  log(): string;
  stop(): Promise<void>;
}

/**
 * Debian's coturn, configured from deploy/turnserver.conf with its ports, addresses and files
 * moved to this test's own: loopback only, TLS only with the test's certificate, the media
 * server's address (loopback here) the one peer allowed.
 */
export async function startCoturn(secret: string, options: { mediaAddress?: string; tls?: { name: string; cert: string; key: string } } = {}): Promise<RunningCoturn> {
  const mediaAddress = options.mediaAddress ?? '127.0.0.1';
  const { tls } = options;
  if (!existsSync(TURNSERVER)) throw new Error(`${TURNSERVER} is missing: run \`node scripts/test-tools.mjs\` (npm test does) or apt-get install coturn`);
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-coturn-'));
  const port = await freePort();
  const tlsPort = tls ? await freePort() : null;
  const relayBase = 20_000 + Math.floor(Math.random() * 12_000);
  const config = withSettings(await deployFile('turnserver.conf'), {
    'listening-port': String(port),
    'tls-listening-port': tlsPort === null ? null : String(tlsPort),
    'listening-ip': '127.0.0.1',
    'relay-ip': '127.0.0.1',
    'external-ip': null,
    'min-port': String(relayBase),
    'max-port': String(relayBase + 200),
    'static-auth-secret': secret,
    realm: 'holdspace.test',
    cert: tls?.cert ?? null,
    pkey: tls?.key ?? null,
    'no-tls': tls ? null : true,
    'allowed-peer-ip': mediaAddress,
    // The template denies loopback peers; here the media server is on loopback.
    'allow-loopback-peers': true,
    syslog: null,
    'log-file': join(dir, 'turn.log'),
    'no-stdout-log': true,
    // Allocations are logged only when verbose.
    verbose: true,
    pidfile: join(dir, 'turnserver.pid'),
    userdb: join(dir, 'turndb'),
  });
  const file = join(dir, 'turnserver.conf');
  await writeFile(file, config);
  let output = '';
  // Its log goes to a file: coturn's stdout is block-buffered when it is not a terminal.
  const log = () => {
    try {
      return readFileSync(join(dir, 'turn.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const child: ChildProcess = spawn(TURNSERVER, ['-c', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  await waitFor(() => /Total General servers/.test(log()) || child.exitCode !== null, 10_000, 'coturn starting');
  if (child.exitCode !== null) throw new Error(`coturn did not start:\n${output}\n${log()}`);
  return {
    urls: {
      udp: `turn:127.0.0.1:${port}?transport=udp`,
      tcp: `turn:127.0.0.1:${port}?transport=tcp`,
      tls: tls ? `turns:${tls.name}:${tlsPort}?transport=tcp` : null,
    },
    secret,
    allocations: () => log().match(/incoming packet ALLOCATE processed, success/g)?.length ?? 0,
    log,
    stop: async () => {
      process.off('exit', kill);
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
      kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
