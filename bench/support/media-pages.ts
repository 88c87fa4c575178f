// The pages the media benchmarks open in headless Chromium: the e2e suite's probe page (the real
// client modules: room connection and media session), the bench page (mediasoup-client alone),
// and the watcher both carry (bench/pages/media-watch.ts), built once and served on 127.0.0.1.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { launchBrowser, serveDirectory, type TestBrowser } from '../../test/support/browser.js';
import type { ProbeSummary } from '../../test/e2e/pages/media-probe.js';

const probePages = fileURLToPath(new URL('../../test/e2e/pages/', import.meta.url));
const benchPages = fileURLToPath(new URL('../pages/', import.meta.url));

export interface MediaPages {
  browser: TestBrowser;
  /**
   * A fresh participant (own browser context) on the probe page, with the watcher installed;
   * 'proposed': the probe page built from the `proposed` checkout (a change to weigh).
   */
  probe(variant?: 'proposed'): Promise<Page>;
  /** A fresh participant on the bench page (publishers, bare joiner), with the watcher installed. */
  bench(): Promise<Page>;
  /** A fresh participant at any address (e.g. the product's own room page), with the watcher and `beforeLoad` (a script) installed. */
  at(url: string, beforeLoad?: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** `proposed`: another checkout of the repository whose probe page (and client modules) to build too; `browserFlags`: added to Chromium's. */
export async function openMediaPages(options: { proposed?: string; browserFlags?: string[] } = {}): Promise<MediaPages> {
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-bench-pages-'));
  const quiet = { configFile: false as const, logLevel: 'warn' as const, base: './' };
  const buildProbe = (pagesDir: string, outDir: string) =>
    build({ ...quiet, root: pagesDir, build: { outDir: join(dir, outDir), emptyOutDir: true, target: 'es2022', rolldownOptions: { input: join(pagesDir, 'media-probe.html') } } });
  await buildProbe(probePages, 'probe');
  if (options.proposed) await buildProbe(join(options.proposed, 'test', 'e2e', 'pages'), 'probe-proposed');
  await build({ ...quiet, root: benchPages, build: { outDir: join(dir, 'bench'), emptyOutDir: true, target: 'es2022', rolldownOptions: { input: join(benchPages, 'bench-page.html') } } });
  await build({
    ...quiet,
    root: benchPages,
    build: { outDir: join(dir, 'watch'), emptyOutDir: true, target: 'es2022', minify: false, lib: { entry: join(benchPages, 'media-watch.ts'), formats: ['iife'], name: 'mediaWatchScript', fileName: () => 'media-watch.js' } },
  });
  const watchScript = join(dir, 'watch', 'media-watch.js');
  const [site, browser] = await Promise.all([serveDirectory(dir), launchBrowser(options.browserFlags)]);
  const openAt = async (url: string, beforeLoad?: string, viewport?: { width: number; height: number }) => {
    const { page } = await browser.participant();
    if (viewport) await page.setViewportSize(viewport);
    await page.addInitScript({ path: watchScript });
    if (beforeLoad) await page.addInitScript(beforeLoad);
    await page.goto(url);
    return page;
  };
  const open = (path: string) => openAt(`${site.url}/${path}`);
  return {
    browser,
    probe: (variant) => open(`${variant === 'proposed' ? 'probe-proposed' : 'probe'}/media-probe.html`),
    bench: () => open('bench/bench-page.html'),
    at: openAt,
    close: async () => {
      await browser.close();
      await site.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const probeSummary = (page: Page) => page.evaluate(() => window.probe.summary()) as Promise<ProbeSummary | null>;

/** Poll until `check` answers something truthy, or fail naming `what`. */
export async function until<T>(check: () => Promise<T> | T, timeoutMs: number, what: string, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
