import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'holdspace-config-'));
  // A file that exists but nobody may read: the server runs as root here, so its mode alone would not stop it.
  await writeFile(join(dataDir, 'not-a-certificate.pem'), 'this is not PEM');
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

/** `server/main.ts` as `npm start` runs it, with only the given environment on top of the essentials. */
function runMain(env: Record<string, string>, untilOutput?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR']) if (process.env[key]) base[key] = process.env[key]!;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...base, PORT: '0', DATA_DIR: dataDir, MEDIA_ENABLED: 'false', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (untilOutput?.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('a misconfigured server refuses to start, with one line naming the variable and the fix', () => {
  const missing = () => join(dataDir, 'missing.pem');
  it.each([
    { what: 'a public HOST without PUBLIC_URL', env: () => ({ HOST: '0.0.0.0' }), line: /^Holdspace cannot start: PUBLIC_URL: .*HOST=0\.0\.0\.0.*https:\/\// },
    { what: 'a LAN address as HOST without PUBLIC_URL', env: () => ({ HOST: '192.168.1.20' }), line: /^Holdspace cannot start: PUBLIC_URL: / },
    {
      what: 'public media without an announced address',
      env: () => ({ HOST: '127.0.0.1', MEDIA_ENABLED: 'true', MEDIA_LISTEN_IP: '0.0.0.0' }),
      line: /^Holdspace cannot start: MEDIA_ANNOUNCED_ADDRESS: .*public IP/,
    },
    { what: 'a certificate file that does not exist', env: () => ({ TLS_CERT_FILE: missing(), TLS_KEY_FILE: missing() }), line: /^Holdspace cannot start: TLS_CERT_FILE: cannot read .*missing\.pem/ },
    { what: 'a certificate without its key', env: () => ({ TLS_CERT_FILE: join(dataDir, 'not-a-certificate.pem') }), line: /^Holdspace cannot start: TLS_KEY_FILE: .*TLS_CERT_FILE/ },
    {
      what: 'files that are not a certificate and key',
      env: () => ({ TLS_CERT_FILE: join(dataDir, 'not-a-certificate.pem'), TLS_KEY_FILE: join(dataDir, 'not-a-certificate.pem') }),
      line: /^Holdspace cannot start: TLS_CERT_FILE: .*not a PEM certificate and key/,
    },
    { what: 'TRUST_PROXY that is no address, count or name', env: () => ({ TRUST_PROXY: 'yes please' }), line: /^Holdspace cannot start: TRUST_PROXY: .*hop count/ },
    { what: 'TRUST_PROXY with a bad CIDR', env: () => ({ TRUST_PROXY: '10.0.0.0/99' }), line: /^Holdspace cannot start: TRUST_PROXY: .*10\.0\.0\.0\/99/ },
    { what: 'TRUST_PROXY=true, which trusts any sender', env: () => ({ TRUST_PROXY: 'true' }), line: /^Holdspace cannot start: TRUST_PROXY: .*anyone/ },
    { what: 'a short METRICS_TOKEN', env: () => ({ METRICS_TOKEN: 'short' }), line: /^Holdspace cannot start: METRICS_TOKEN: .*at least 24/ },
  ])('$what', async ({ env, line }) => {
    const { code, stdout, stderr } = await runMain(env());
    expect(code, stdout + stderr).not.toBe(0);
    expect(code).not.toBeNull();
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(stdout).not.toMatch(/Facilitator link|Setup link/);
  });
});

describe('a well-configured server', () => {
  it('listens on loopback by default and says what is reachable from where', async () => {
    const { stdout } = await runMain({}, /Setup link/);
    // No account yet: a one-time link that registers the first administrator, never the facilitator key.
    expect(stdout).toMatch(/Setup link \(one-time, registers the first administrator's passkey\): http:\/\/localhost:\d+\/welcome#invite=[A-Za-z0-9_-]{43}/);
    expect(stdout).not.toMatch(/#key=/);
    expect(stdout).toMatch(/HTTP: +http:\/\/127\.0\.0\.1:\d+ \(this machine only\)/);
    expect(stdout).toMatch(/Public URL: +http:\/\/localhost:\d+/);
    expect(stdout).toMatch(/Media: +off/);
    expect(stdout).toMatch(/Rooms: +in this process's memory/);
    expect(stdout).toMatch(/Sign-in: +facilitators' passkeys at localhost/);
  });

  it('warns at start when browsers would refuse passkeys at the public URL', async () => {
    const { stdout } = await runMain({ PUBLIC_URL: 'http://192.168.10.7:8080' }, /Setup link/);
    expect(stdout).toMatch(/Sign-in: +WARNING: passkeys will not work: browsers refuse passkeys on an IP address \(192\.168\.10\.7\)/);
  });

  it('with a proxy in front: public URL, trusted proxy and metrics are named', async () => {
    const { stdout } = await runMain({ PUBLIC_URL: 'https://holdspace.example.org', TRUST_PROXY: 'loopback', METRICS_TOKEN: 'metrics-token-0123456789abcdef', RECORDS_ENABLED: 'false' }, /Facilitator link/);
    // Without records there are no accounts: one-off rooms with the facilitator key, as before.
    expect(stdout).toMatch(/Facilitator link: https:\/\/holdspace\.example\.org\/facilitate#key=/);
    expect(stdout).toMatch(/Public URL: +https:\/\/holdspace\.example\.org/);
    expect(stdout).toMatch(/Proxy: +client addresses taken from X-Forwarded-For when sent by loopback/);
    expect(stdout).toMatch(/Metrics: +\/metrics with the METRICS_TOKEN bearer token/);
    expect(stdout).toMatch(/Sign-in: +the facilitator key/);
  });
});
