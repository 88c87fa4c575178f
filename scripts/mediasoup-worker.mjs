// Puts a working mediasoup worker binary where mediasoup looks for it by default
// (node_modules/mediasoup/worker/out/Release/mediasoup-worker), so nothing needs an env var.
//
// npm 11 does not run dependencies' install scripts, so this project's postinstall does it, in
// order: a worker already in place, this machine's cache, mediasoup's prebuilt download, and
// last an offline build against Debian's libraries (scripts/mediasoup-offline/, ~9 minutes),
// whose result is cached outside the clone. Safe to re-run.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { arch, homedir, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { BuildLog, WorkerInstallError } from './mediasoup-offline/build-log.mjs';
import { hasApt, installDebianPackages } from './mediasoup-offline/debian.mjs';
import { buildWorkerOffline } from './mediasoup-offline/offline-build.mjs';
import { downloadPrebuiltWorker } from './mediasoup-offline/prebuilt.mjs';
import { DEBIAN_PACKAGES } from './mediasoup-offline/recipe.mjs';

const PROJECT_DIR = fileURLToPath(new URL('..', import.meta.url));
const MEDIASOUP_DIR = join(PROJECT_DIR, 'node_modules/mediasoup');
const INSTALLED_WORKER = join(MEDIASOUP_DIR, 'worker/out/Release/mediasoup-worker');
// Names the recipe the installed worker was built with, so a changed recipe replaces it.
const INSTALLED_RECIPE = `${INSTALLED_WORKER}.recipe`;
const RECIPE_DIR = fileURLToPath(new URL('mediasoup-offline/', import.meta.url));
const RECIPE_FILES = ['recipe.mjs', 'subprojects'];
// The worker exits with this code when started without MEDIASOUP_VERSION: it loads and runs.
const WORKER_RUNS_EXIT_CODE = 41;

await main().catch(fail);

async function main() {
  if (!existsSync(join(MEDIASOUP_DIR, 'package.json'))) {
    say('mediasoup is not installed; nothing to do');
    return;
  }
  if (usesWorkerFromEnv()) return;

  const version = mediasoupVersion();
  const recipe = `${version}-${recipeHash()}`;
  if (installedWorkerIsCurrent(recipe)) {
    say(`worker ${version} already in place`);
    return;
  }

  if (!isOfflineBuildSupported()) {
    say(`the offline build needs linux x64 with apt; this is ${platform()} ${arch()}`);
    say("using mediasoup's own install instead");
    await runMediasoupPostinstall();
    return;
  }

  const cacheDir = join(cacheRoot(), recipe);
  const cachedWorker = join(cacheDir, 'mediasoup-worker');
  if (existsSync(cachedWorker) && installFromCache(cachedWorker, recipe)) {
    say(`worker ${version} installed from cache ${cachedWorker}`);
    return;
  }

  const log = new BuildLog(join(cacheDir, 'install.log'));
  say(`no cached worker for ${recipe}; log: ${log.path}`);
  try {
    if (await fetchPrebuiltWorker(log)) {
      say(`worker ${version} installed from mediasoup's prebuilt download`);
      return;
    }
    await buildWorkerOffline({ mediasoupDir: MEDIASOUP_DIR, log, say });
    requireRunnableWorker(INSTALLED_WORKER, log);
    copyWorker(INSTALLED_WORKER, cachedWorker);
    writeFileSync(INSTALLED_RECIPE, `${recipe}\n`);
    say(`worker ${version} built and cached at ${cachedWorker}`);
  } finally {
    log.close();
  }
}

function usesWorkerFromEnv() {
  const bin = process.env.MEDIASOUP_WORKER_BIN;
  if (!bin) return false;
  if (!existsSync(bin)) {
    throw new WorkerInstallError(
      `MEDIASOUP_WORKER_BIN points to ${bin}, which does not exist`,
      'unset MEDIASOUP_WORKER_BIN to install the worker here, or point it at a built mediasoup-worker',
    );
  }
  say(`using MEDIASOUP_WORKER_BIN=${bin}`);
  return true;
}

function mediasoupVersion() {
  return JSON.parse(readFileSync(join(MEDIASOUP_DIR, 'package.json'), 'utf8')).version;
}

function recipeHash() {
  const hash = createHash('sha256');
  for (const file of RECIPE_FILES.flatMap((entry) => filesUnder(join(RECIPE_DIR, entry)))) {
    hash.update(relative(RECIPE_DIR, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

function filesUnder(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

// A worker without a recipe file came from mediasoup itself (download or its own build).
function installedWorkerIsCurrent(recipe) {
  if (!workerRuns(INSTALLED_WORKER)) return false;
  return !existsSync(INSTALLED_RECIPE) || readFileSync(INSTALLED_RECIPE, 'utf8').trim() === recipe;
}

function workerRuns(bin) {
  if (!existsSync(bin)) return false;
  const run = spawnSync(bin, [], { env: {}, stdio: 'ignore', timeout: 10_000 });
  return run.status === WORKER_RUNS_EXIT_CODE;
}

function isOfflineBuildSupported() {
  return platform() === 'linux' && arch() === 'x64' && hasApt();
}

function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'holdspace/mediasoup-worker');
}

function installFromCache(cachedWorker, recipe) {
  copyWorker(cachedWorker, INSTALLED_WORKER);
  if (!workerRuns(INSTALLED_WORKER)) {
    // The cached binary links Debian's shared libraries, which leave with the -dev packages.
    say('cached worker does not run; installing the Debian libraries it links');
    const log = new BuildLog(join(dirname(cachedWorker), 'reinstall.log'));
    installDebianPackages(DEBIAN_PACKAGES, log);
    log.close();
    if (!workerRuns(INSTALLED_WORKER)) return false;
  }
  writeFileSync(INSTALLED_RECIPE, `${recipe}\n`);
  return true;
}

async function fetchPrebuiltWorker(log) {
  if (process.env.MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD) return false;
  say('trying mediasoup prebuilt worker download');
  log.step("mediasoup's prebuilt worker download");
  const downloaded = await downloadPrebuiltWorker(MEDIASOUP_DIR, log);
  if (downloaded && workerRuns(INSTALLED_WORKER)) return true;
  say('no prebuilt worker reachable; building offline');
  return false;
}

function requireRunnableWorker(bin, log) {
  if (workerRuns(bin)) return;
  throw new WorkerInstallError(
    `the build finished but ${bin} does not run`,
    `read ${log.path}, and run ${bin} by hand to see why`,
  );
}

// Copy then rename, so a reader never sees half a binary.
function copyWorker(from, to) {
  const partial = `${to}.partial-${process.pid}`;
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, partial);
  chmodSync(partial, 0o755);
  renameSync(partial, to);
}

function runMediasoupPostinstall() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['npm-scripts.mjs', 'postinstall'], {
      cwd: MEDIASOUP_DIR,
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new WorkerInstallError(
            `mediasoup's own install failed (exit code ${code})`,
            'see https://mediasoup.org/documentation/v3/mediasoup/installation/ for its requirements, ' +
              'or set MEDIASOUP_WORKER_BIN to a built mediasoup-worker',
          ),
        );
    });
  });
}

function say(line) {
  console.log(`[mediasoup-worker] ${line}`);
}

function fail(error) {
  console.error(`[mediasoup-worker] FAILED: ${error.message}`);
  if (error.fix) console.error(`[mediasoup-worker] fix: ${error.fix}`);
  else console.error(error.stack);
  process.exit(1);
}
