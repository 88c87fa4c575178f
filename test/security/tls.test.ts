import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoomConnection } from '../../client/src/session/connection.js';
import { startHoldspace, until, type RunningHoldspace } from '../support/holdspace.js';
import { waitFor } from '../support/media.js';

let folder: string;
const files = () => ({ cert: join(folder, 'cert.pem'), key: join(folder, 'key.pem') });

/** A fresh self-signed certificate for localhost, made by openssl; returns its PEM. */
function makeCertificate(name: string): { cert: string; key: string } {
  const cert = join(folder, `${name}.cert.pem`);
  const key = join(folder, `${name}.key.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

/** One HTTPS request on a new connection, trusting only `ca`: the status, headers and the certificate served. */
function get(url: string, ca: string[], headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; fingerprint: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, agent: false, headers }, (res) => {
      const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, fingerprint, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function post(url: string, ca: string[], body: unknown, headers: Record<string, string>): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, agent: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const fingerprintOf = async (pem: string) => new X509Certificate(await readFile(pem)).fingerprint256;

describe('built-in HTTPS', () => {
  let server: RunningHoldspace;
  let first: { cert: string; key: string };
  let second: { cert: string; key: string };
  let ca: string[];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'holdspace-tls-'));
    first = makeCertificate('first');
    second = makeCertificate('second');
    await writeFile(files().cert, await readFile(first.cert));
    await writeFile(files().key, await readFile(first.key));
    ca = [await readFile(first.cert, 'utf8'), await readFile(second.cert, 'utf8')];
    server = await startHoldspace({ TLS_CERT_FILE: files().cert, TLS_KEY_FILE: files().key });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('serves the app over HTTPS with HSTS, and Socket.IO over WSS', async () => {
    expect(server.url).toMatch(/^https:\/\/localhost:\d+$/);
    const health = await get(`${server.url}/healthz`, ca);
    expect(health.status).toBe(200);
    expect(health.fingerprint).toBe(await fingerprintOf(first.cert));
    expect(health.headers['strict-transport-security']).toBe('max-age=31536000');

    const room = await post(`${server.url}/api/rooms`, ca, { title: 'Over TLS' }, { authorization: `Bearer ${server.facilitatorKey}` });
    const connection = new RoomConnection(server.url, room.token!, { ca, reconnection: false });
    try {
      const snapshot = await until(connection, (s) => s.group !== null);
      expect(snapshot.group?.title).toBe('Over TLS');
      expect((await connection.send({ type: 'floor.mode', mode: 'open' })).ok).toBe(true);
    } finally {
      connection.close();
    }
    // A client that does not trust the certificate is not served at all.
    await expect(get(`${server.url}/healthz`, [])).rejects.toThrow(/self-signed|certificate/);
  });

  it('serves a renewed certificate without a restart once its files are replaced', async () => {
    const renewed = await fingerprintOf(second.cert);
    // As a renewal tool does: new files written beside the old ones, then renamed over them.
    await writeFile(`${files().key}.new`, await readFile(second.key));
    await writeFile(`${files().cert}.new`, await readFile(second.cert));
    await rename(`${files().key}.new`, files().key);
    await rename(`${files().cert}.new`, files().cert);
    await waitFor(async () => (await get(`${server.url}/healthz`, ca)).fingerprint === renewed, 10_000, 'the renewed certificate is served');
    expect((await get(`${server.url}/healthz`, ca)).status).toBe(200);
  });
});

describe('HSTS', () => {
  it.each<{ what: string; env: Record<string, string>; hsts: boolean }>([
    { what: 'plain HTTP on a laptop', env: {}, hsts: false },
    { what: 'plain HTTP behind a proxy that serves https PUBLIC_URL', env: { PUBLIC_URL: 'https://holdspace.example.org' }, hsts: true },
    { what: 'plain HTTP behind a proxy that serves http PUBLIC_URL', env: { PUBLIC_URL: 'http://holdspace.internal' }, hsts: false },
  ])('$what: sent $hsts', async ({ env, hsts }) => {
    const server = await startHoldspace(env);
    try {
      const address = server.holdspace.http.address() as import('node:net').AddressInfo;
      const response = await fetch(`http://127.0.0.1:${address.port}/healthz`);
      expect(response.headers.get('strict-transport-security') !== null).toBe(hsts);
    } finally {
      await server.stop();
    }
  });
});
