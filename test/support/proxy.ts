import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployFile, filledIn } from './deploy-files.js';
import { waitFor } from './media.js';

const CADDY = '/usr/bin/caddy';
const NGINX = '/usr/sbin/nginx';

export interface TestCertificate {
  dir: string;
  cert: string;
  key: string;
  /** base64 SHA-256 of the leaf's public key: Chromium's --ignore-certificate-errors-spki-list. */
  spki: string;
}

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

/** A throwaway CA and a certificate it signs for `name`, made with openssl. */
export async function testCertificate(name: string): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-tls-'));
  const file = (f: string) => join(dir, f);
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=Holdspace test CA', '-keyout', file('ca.key'), '-out', file('ca.crt'));
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${name}`, '-keyout', file('leaf.key'), '-out', file('leaf.csr'));
  await writeFile(file('leaf.ext'), `subjectAltName=DNS:${name}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  openssl('x509', '-req', '-in', file('leaf.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', file('leaf.ext'), '-out', file('leaf.crt'));
  // The chain a server sends: the leaf, then the CA.
  await writeFile(file('chain.crt'), readFileSync(file('leaf.crt'), 'utf8') + readFileSync(file('ca.crt'), 'utf8'));
  const publicKey = openssl('x509', '-in', file('leaf.crt'), '-pubkey', '-noout');
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: publicKey });
  const spki = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString('base64');
  return { dir, cert: file('chain.crt'), key: file('leaf.key'), spki };
}

export interface RunningProxy {
  /** The proxy's access log so far. */
  accessLog(): string;
  stop(): Promise<void>;
}

export interface ProxyTarget {
  /** Where the proxy listens (the address the test's host name resolves to) and its port. */
  address: string;
  port: number;
  name: string;
  certificate: TestCertificate;
  /** Holdspace, as host:port. */
  upstream: string;
}

/** Debian's Caddy with deploy/Caddyfile: the test's certificate instead of ACME, its own ports and files. */
export async function startCaddy(target: ProxyTarget): Promise<RunningProxy> {
  if (!existsSync(CADDY)) throw new Error(`${CADDY} is missing: run \`node scripts/test-tools.mjs\` or apt-get install caddy`);
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-caddy-'));
  const log = join(dir, 'access.log');
  const config = filledIn(await deployFile('Caddyfile'), {
    'email admin@example.org': `admin off\n\tauto_https disable_redirects\n\tskip_install_trust\n\tstorage file_system ${join(dir, 'data')}`,
    'holdspace.example.org {': `${target.name}:${target.port} {\n\tbind ${target.address}\n\ttls ${target.certificate.cert} ${target.certificate.key}`,
    '127.0.0.1:3000': target.upstream,
    '/var/log/caddy/holdspace-access.log': log,
  });
  const file = join(dir, 'Caddyfile');
  await writeFile(file, config);
  const env = { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
  return started('caddy', spawn(CADDY, ['run', '--config', file, '--adapter', 'caddyfile'], { env, stdio: ['ignore', 'pipe', 'pipe'] }), target, dir, log);
}

/** Debian's nginx with deploy/nginx-holdspace.conf as its only site, on the test's ports and files. */
export async function startNginx(target: ProxyTarget, httpPort: number): Promise<RunningProxy> {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: run \`node scripts/test-tools.mjs\` or apt-get install nginx`);
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-nginx-'));
  await mkdir(join(dir, 'temp'));
  const log = join(dir, 'access.log');
  const site = filledIn(await deployFile('nginx-holdspace.conf'), {
    '/etc/letsencrypt/live/holdspace.example.org/fullchain.pem': target.certificate.cert,
    '/etc/letsencrypt/live/holdspace.example.org/privkey.pem': target.certificate.key,
    'holdspace.example.org': target.name,
    'listen 80;\n\tlisten [::]:80;': `listen ${target.address}:${httpPort};`,
    'listen 443 ssl http2;\n\tlisten [::]:443 ssl http2;': `listen ${target.address}:${target.port} ssl http2;`,
    '127.0.0.1:3000': target.upstream,
    '/var/log/nginx/holdspace-access.log': log,
  });
  await writeFile(join(dir, 'site.conf'), site);
  const temp = (what: string) => `${what}_temp_path ${join(dir, 'temp', what)};`;
  const main = [
    'daemon off;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    // As root, workers would run as nobody; this test's files are root's.
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    'events { worker_connections 256; }',
    `http { ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join(' ')} include ${join(dir, 'site.conf')}; }`,
  ].join('\n');
  await writeFile(join(dir, 'nginx.conf'), main);
  const child = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  return started('nginx', child, target, dir, log);
}

async function started(name: string, child: ChildProcess, target: ProxyTarget, dir: string, log: string): Promise<RunningProxy> {
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const listening = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(target.port, target.address, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  try {
    await waitFor(async () => child.exitCode !== null || (await listening()), 15_000, `${name} listening on ${target.address}:${target.port}`, 100);
  } catch (error) {
    kill();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  if (child.exitCode !== null) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${name} did not start:\n${output}`);
  }
  return {
    accessLog: () => (existsSync(log) ? readFileSync(log, 'utf8') : ''),
    stop: async () => {
      process.off('exit', kill);
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
