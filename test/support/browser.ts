import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** The flags measured to work as root on this kind of machine (shared/notes/mediasoup-offline.md). */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  // Several fake cameras and microphones, so switching devices can be tested.
  '--use-fake-device-for-media-stream=device-count=3',
  '--autoplay-policy=no-user-gesture-required',
];

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (own cookies, storage and devices) for one participant. */
  participant(): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/**
 * One headless Chromium with fake cameras and microphones. The microphones play a continuous
 * melody, so audio never falls silent on its own: silence at a listener means the SFU stopped it.
 * `extraFlags` add to the usual flags (e.g. host-resolver rules for a test's own host name);
 * `executablePath` runs Chromium through a wrapper (e.g. inside a network namespace).
 */
export async function launchBrowser(extraFlags: string[] = [], executablePath = CHROMIUM): Promise<TestBrowser> {
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-browser-'));
  const tone = join(dir, 'tone.wav');
  await writeFile(tone, melody(6));
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_FLAGS, `--use-file-for-fake-audio-capture=${tone}`, ...extraFlags],
  });
  const contexts = new Set<BrowserContext>();
  return {
    browser,
    participant: async () => {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      contexts.add(context);
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') console.error(`[page] ${message.text()}`);
      });
      page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
      return { context, page };
    },
    close: async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A 48 kHz mono 16-bit WAV of a melody: notes of 120 ms hopping over 300-1200 Hz with no gaps.
 * Loud and never the same for long, so noise suppression does not take it for noise and DTX
 * never sets in: a listener receives a steady 50 packets a second until the SFU stops them.
 */
export function melody(seconds: number): Buffer {
  const rate = 48_000;
  const samples = rate * seconds;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(samples * 2, 40);
  const notes = [294, 330, 392, 440, 494, 587, 659, 784, 880, 988, 1175];
  let seed = 7;
  let frequency = notes[0]!;
  let phase = 0;
  const noteLength = Math.round(rate * 0.12);
  for (let i = 0; i < samples; i++) {
    if (i % noteLength === 0) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      frequency = notes[seed % notes.length]!;
    }
    phase += (2 * Math.PI * frequency) / rate;
    wav.writeInt16LE(Math.round(Math.sin(phase) * 0.3 * 32767), 44 + i * 2);
  }
  return wav;
}

const contentTypes: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/** Serve a built folder on 127.0.0.1 (a secure context for getUserMedia) on a free port. */
export async function serveDirectory(root: string, host = '127.0.0.1'): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = normalize(join(root, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(root + sep) && path !== root) return void response.writeHead(403).end();
    readFile(path.endsWith(sep) ? join(path, 'index.html') : path).then(
      (body) => response.writeHead(200, { 'content-type': contentTypes[extname(path)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
