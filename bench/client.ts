// The client. Initial JavaScript: the production build (vite.config.ts, as `npx vite build` runs
// it, written to a temporary folder so dist/client is left alone), gzipped: the entry chunk and
// every chunk it imports statically, with the packages that weigh most in it.
// Time to interactive of the pre-join page: headless Chromium opens an invite link (/join#...), cold
// cache; timed from navigation start until the "Ask to join" button is in the page and a task
// posted at that moment has run (the page is free to take the name, the agreement and the click;
// the button itself stays disabled until a name is typed and the agreement ticked). Baseline,
// alternated load by load: a bare static page with the same button, from the same server.
//   npx tsx bench/client.ts        (BENCH_QUICK=1 for a short run; CLIENT_PROPOSED=<a copy of the repo with a change> to time it alongside)
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Manifest } from 'vite';
import { launchBrowser, type TestBrowser } from '../test/support/browser.js';
import { startServer, type ServerHandle } from './support/child-server.js';
import { median } from './support/media-pages.js';

const root = fileURLToPath(new URL('../', import.meta.url));

export interface ClientResult {
  initialJsGzipKb: number;
  initialJsKb: number;
  initialChunks: number;
  /** what a member's invite link loads before the pre-join page: the entry and the join screen's chunks */
  joinPathJsGzipKb: number;
  /** what the room adds when the member is let in */
  roomJsGzipKb: number;
  /** all JavaScript the build emits, also what loads later */
  totalJsGzipKb: number;
  cssGzipKb: number;
  /** share of the initial chunks' code (before minification) by package */
  heaviest: { name: string; kb: number }[];
  tti: { holdspace: number; bare: number; n: number; phases: Phases };
  /** the same figures for the `proposed` checkout, timed in the same rotation */
  proposed?: Omit<ClientResult, 'proposed'>;
}

/** ms from navigation start (medians over the Holdspace loads). */
export interface Phases {
  html: number;
  scriptLoaded: number;
  /** the entry script has run (DOMContentLoaded) */
  scriptRan: number;
  apiStart: number;
  apiEnd: number;
  found: number;
  interactive: number;
}

declare global {
  interface Window {
    /** Set by WATCH_BUTTON in the page: when the Join button was found and when it could take input. */
    __interactive: Promise<{ found: number; interactive: number }>;
  }
}

// Plain script (not a function): it runs in the page, where the bench's TypeScript helpers do not exist.
const WATCH_BUTTON = `
window.__interactive = new Promise((resolve) => {
  const check = () => {
    const button = Array.from(document.querySelectorAll('button')).find((b) => b.textContent.trim() === 'Ask to join');
    if (!button) return false;
    const found = performance.now();
    setTimeout(() => resolve({ found, interactive: performance.now() }), 0);
    return true;
  };
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, { childList: true, subtree: true });
});`;

const BARE_PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /><title>Bare</title></head>
  <body>
    <main><h1>Joining a group</h1><form><label>Your name in the group <input name="name" /></label><button type="submit">Ask to join</button></form></main>
  </body>
</html>`;

async function post(url: string, body: unknown, key?: string): Promise<Record<string, string>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as Record<string, string>;
}

const packageOf = (id: string) => {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id);
  return inModules ? inModules[1]! : id.includes('/shared/') ? 'shared/ (protocol, session model)' : 'client/ (views, session, media)';
};

interface Built {
  dir: string;
  sizes: Omit<ClientResult, 'tti' | 'proposed'>;
}

/** Build one checkout's client (its own vite.config.ts) into `dir` and weigh what loads first. */
async function buildClient(source: string, dir: string): Promise<Built> {
  const output = await build({ configFile: join(source, 'vite.config.ts'), root: join(source, 'client'), logLevel: 'warn', build: { outDir: dir, emptyOutDir: true, manifest: 'manifest.json' } });
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry)!;
  // A chunk and every chunk it imports statically: what the browser must have before it runs.
  const closure = (key: string, into = new Set<string>()) => {
    if (into.has(key)) return into;
    into.add(key);
    for (const imported of manifest[key]!.imports ?? []) closure(imported, into);
    return into;
  };
  const initial = closure(entry);
  const screen = (name: string) => Object.keys(manifest).find((key) => key.endsWith(`views/${name}.tsx`))!;
  const joinPath = closure(screen('join-screen'), new Set(initial));
  const roomPath = [...closure(screen('room-entry'))].filter((key) => !joinPath.has(key));
  const size = async (file: string) => {
    const bytes = await readFile(join(dir, file));
    return { raw: bytes.length, gzip: gzipSync(bytes).length };
  };
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const initialFiles = [...initial].map((key) => manifest[key]!.file);
  const initialSizes = await Promise.all(initialFiles.map(size));
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => ('output' in o ? o.output : []));
  const jsFiles = chunks.filter((c) => c.type === 'chunk').map((c) => c.fileName);
  const cssFiles = chunks.filter((c) => c.type === 'asset' && c.fileName.endsWith('.css')).map((c) => c.fileName);
  const byPackage = new Map<string, number>();
  for (const chunk of chunks) {
    if (chunk.type !== 'chunk' || !initialFiles.includes(chunk.fileName)) continue;
    for (const [id, module] of Object.entries(chunk.modules)) byPackage.set(packageOf(id), (byPackage.get(packageOf(id)) ?? 0) + module.renderedLength);
  }
  await writeFile(join(dir, 'bare.html'), BARE_PAGE);
  return {
    dir,
    sizes: {
      initialJsGzipKb: sum(initialSizes.map((s) => s.gzip)) / 1024,
      initialJsKb: sum(initialSizes.map((s) => s.raw)) / 1024,
      initialChunks: initialFiles.length,
      joinPathJsGzipKb: sum((await Promise.all([...joinPath].map((key) => size(manifest[key]!.file)))).map((s) => s.gzip)) / 1024,
      roomJsGzipKb: sum((await Promise.all(roomPath.map((key) => size(manifest[key]!.file)))).map((s) => s.gzip)) / 1024,
      totalJsGzipKb: sum((await Promise.all(jsFiles.map(size))).map((s) => s.gzip)) / 1024,
      cssGzipKb: sum((await Promise.all(cssFiles.map(size))).map((s) => s.gzip)) / 1024,
      heaviest: [...byPackage.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([name, bytes]) => ({ name, kb: Math.round(bytes / 102.4) / 10 })),
    },
  };
}

/** Open a page cold (fresh context) and time it until the Join button can take input. */
async function timeLoad(browser: TestBrowser, url: string): Promise<Phases> {
  const { context, page } = await browser.participant();
  await page.addInitScript({ content: WATCH_BUTTON });
  await page.goto(url);
  const timing: Phases = await page.evaluate(async () => {
    const t = await window.__interactive;
    // Where the time went: the page, its script, the script run (module scripts run before
    // DOMContentLoaded), and the API call that must answer before the pre-join shows.
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const script = resources.find((r) => r.name.endsWith('.js'));
    const api = resources.find((r) => r.name.includes('/api/'));
    return {
      ...t,
      html: navigation.responseEnd,
      scriptLoaded: script?.responseEnd ?? Number.NaN,
      scriptRan: navigation.domContentLoadedEventStart,
      apiStart: api?.startTime ?? Number.NaN,
      apiEnd: api?.responseEnd ?? Number.NaN,
    };
  });
  await context.close();
  return timing;
}

function medianPhases(loads: Phases[]): Phases {
  const of = (phase: keyof Phases) => median(loads.map((load) => load[phase]));
  return { html: of('html'), scriptLoaded: of('scriptLoaded'), scriptRan: of('scriptRan'), apiStart: of('apiStart'), apiEnd: of('apiEnd'), found: of('found'), interactive: of('interactive') };
}

/**
 * `proposed`: another checkout (e.g. a copy of the repo with a change to try), built and served
 * the same way and timed in the same rotation, so a fix is weighed against the same baseline.
 */
export async function measureClient(options: { loads?: number; proposed?: string } = {}): Promise<ClientResult> {
  const loads = options.loads ?? 10;
  const dirs: string[] = [];
  const servers: ServerHandle[] = [];
  let browser: TestBrowser | null = null;
  try {
    const sources = [root, ...(options.proposed ? [options.proposed] : [])];
    const built: Built[] = [];
    for (const source of sources) {
      const dir = await mkdtemp(join(tmpdir(), 'holdspace-bench-client-'));
      dirs.push(dir);
      built.push(await buildClient(source, dir));
    }
    for (const { dir } of built) servers.push(await startServer('holdspace-client', { BENCH_CLIENT_DIR: dir, ENTRY_PER_MINUTE: '100000' }));
    browser = await launchBrowser();
    const invites: string[] = [];
    for (const server of servers) {
      const room = await post(`${server.url}/api/rooms`, { title: 'Tuesday group', facilitatorName: 'Dr. Rivera' }, String(server.info.facilitatorKey));
      invites.push(`${server.url}/join${new URL(room.inviteUrl!).hash}`);
    }
    const bareUrl = `${servers[0]!.url}/bare.html`;
    const kinds = ['bare', ...invites.map((_, i) => i)] as const;
    const times = new Map<(typeof kinds)[number], Phases[]>(kinds.map((k) => [k, []]));
    // One unmeasured load of each, then rotate who goes first.
    for (const kind of kinds) await timeLoad(browser, kind === 'bare' ? bareUrl : invites[kind]!);
    for (let i = 0; i < loads; i++) {
      const order = [...kinds.slice(i % kinds.length), ...kinds.slice(0, i % kinds.length)];
      for (const kind of order) times.get(kind)!.push(await timeLoad(browser, kind === 'bare' ? bareUrl : invites[kind]!));
    }
    const tti = (index: number) => ({ holdspace: median(times.get(index)!.map((t) => t.interactive)), bare: median(times.get('bare')!.map((t) => t.interactive)), n: loads, phases: medianPhases(times.get(index)!) });
    return { ...built[0]!.sizes, tti: tti(0), ...(built[1] ? { proposed: { ...built[1].sizes, tti: tti(1) } } : {}) };
  } finally {
    await browser?.close();
    for (const server of servers) await server.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.env.BENCH_QUICK === '1';
  console.log(JSON.stringify(await measureClient({ loads: quick ? 4 : 10, ...(process.env.CLIENT_PROPOSED ? { proposed: process.env.CLIENT_PROPOSED } : {}) }), null, 2));
  process.exit(0);
}
