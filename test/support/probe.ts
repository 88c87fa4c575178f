import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import type { ProbeSummary } from '../e2e/pages/media-probe.js';
import { serveDirectory } from './browser.js';
import { waitFor } from './media.js';

const pages = fileURLToPath(new URL('../e2e/pages/', import.meta.url));

/** The probe page (real client modules, no UI) built and served from 127.0.0.1. */
export async function serveProbe(host?: string): Promise<{ url: string; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-probe-'));
  await build({
    configFile: false,
    root: pages,
    logLevel: 'warn',
    build: { outDir: dir, emptyOutDir: true, target: 'es2022', rolldownOptions: { input: join(pages, 'media-probe.html') } },
  });
  const site = await serveDirectory(dir, host);
  return {
    url: `${site.url}/media-probe.html`,
    close: async () => {
      await site.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const probeSummary = (page: Page) => page.evaluate(() => window.probe.summary()) as Promise<ProbeSummary | null>;

/**
 * The audio and video of every one of `ids` arrive at this page: inbound bytes and decoded frames
 * grow, and each video element shows a picture.
 */
export async function receivesFrom(page: Page, ids: string[], timeoutMs: number, who: string): Promise<void> {
  const totals = async () => {
    const stats = await page.evaluate(() => window.probe.stats());
    return ids.map((id) => ({
      id,
      audioBytes: stats.filter((s) => s.participantId === id && s.kind === 'audio').reduce((n, s) => n + s.bytesReceived, 0),
      frames: stats.filter((s) => s.participantId === id && s.source === 'camera').reduce((n, s) => n + s.framesDecoded, 0),
    }));
  };
  // Compared with the previous sample, not the first: a consumer replaced meanwhile starts from zero.
  let previous = await totals();
  await waitFor(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const now = await totals();
      const growing = now.every((t, i) => t.audioBytes > previous[i]!.audioBytes && t.frames > previous[i]!.frames);
      previous = now;
      return growing;
    },
    timeoutMs,
    `${who}'s inbound audio bytes and decoded frames growing from ${ids.length} others (${JSON.stringify(previous)})`,
  );
  await waitFor(
    async () => {
      const sizes = await page.evaluate(() => window.probe.videoSizes());
      return ids.every((id) => (sizes[id]?.width ?? 0) > 0 && (sizes[id]?.height ?? 0) > 0);
    },
    timeoutMs,
    `${who}'s video elements showing a picture`,
  );
}
