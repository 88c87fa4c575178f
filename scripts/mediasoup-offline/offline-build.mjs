import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { WorkerInstallError } from './build-log.mjs';
import { installDebianPackages, missingDebianPackages } from './debian.mjs';
import {
  DEBIAN_PACKAGES,
  MESON_ARGS,
  PIP_BUILD_TOOLS,
  SHIM_SUBPROJECTS,
  SOURCE_FIXES,
} from './recipe.mjs';

const SHIMS_DIR = fileURLToPath(new URL('subprojects/', import.meta.url));
const PROGRESS_INTERVAL_MS = 60_000;

/**
 * Builds the worker inside the installed mediasoup package against Debian's libraries, with
 * mediasoup's own build script. Leaves it in worker/out/Release/mediasoup-worker.
 */
export async function buildWorkerOffline({ mediasoupDir, log, say }) {
  ensureDebianPackages(log, say);
  ensureMesonAndNinja(mediasoupDir, log, say);
  placeShimSubprojects(mediasoupDir, log);
  applySourceFixes(mediasoupDir, log);
  await runMediasoupBuild(mediasoupDir, log, say);
}

function ensureDebianPackages(log, say) {
  const missing = missingDebianPackages([...DEBIAN_PACKAGES, ...pythonPackages()]);
  if (missing.length === 0) return;

  say(`installing Debian packages: ${missing.join(' ')}`);
  log.step('apt-get install');
  const failure = installDebianPackages(missing, log);
  if (failure) {
    throw new WorkerInstallError(
      `${failure}; the offline worker build needs: ${missing.join(' ')}`,
      `as root: apt-get update && apt-get install -y --no-upgrade ${missing.join(' ')}`,
    );
  }
}

// mediasoup's build runs `python3 -m pip`; any python3 with pip will do, Debian's or not.
function pythonPackages() {
  const pip = spawnSync('python3', ['-m', 'pip', '--version'], { stdio: 'ignore' });
  return pip.status === 0 ? [] : ['python3', 'python3-pip'];
}

// tasks.py skips its own pip step (pinned versions the local mirror lacks) when meson is here.
function ensureMesonAndNinja(mediasoupDir, log, say) {
  const target = join(mediasoupDir, 'worker/out/pip_meson_ninja');
  if (existsSync(join(target, 'bin/meson')) && existsSync(join(target, 'bin/ninja'))) return;

  say('installing meson and ninja with pip');
  log.step('pip install meson ninja');
  const args = ['-m', 'pip', 'install', '--no-user', '--upgrade', '--target', target, ...PIP_BUILD_TOOLS];
  log.write(`$ python3 ${args.join(' ')}\n`);
  const pip = spawnSync('python3', args, {
    // Without this pip retries an unreachable index for over a minute before using the mirror.
    env: { ...process.env, PIP_RETRIES: '0' },
    stdio: ['ignore', log.fd, log.fd],
  });
  if (pip.status !== 0) {
    throw new WorkerInstallError(
      'meson and ninja could not be installed with pip (see the log)',
      `make them reachable by pip (check \`pip config list\` for the package mirror), or run: ` +
        `python3 -m pip install --target ${target} ${PIP_BUILD_TOOLS.map((spec) => `'${spec}'`).join(' ')}`,
    );
  }
}

// Meson uses an existing worker/subprojects/<directory named in the .wrap> without downloading.
function placeShimSubprojects(mediasoupDir, log) {
  log.step('shim subprojects');
  for (const name of SHIM_SUBPROJECTS) {
    const directory = wrapDirectory(join(mediasoupDir, 'worker/subprojects', `${name}.wrap`));
    const destination = join(mediasoupDir, 'worker/subprojects', directory);
    rmSync(destination, { recursive: true, force: true });
    cpSync(join(SHIMS_DIR, name), destination, { recursive: true });
    log.write(`${name} -> worker/subprojects/${directory}\n`);
  }
}

function wrapDirectory(wrapPath) {
  const match = readFileSync(wrapPath, 'utf8').match(/^directory\s*=\s*(\S+)\s*$/m);
  if (!match) {
    throw new WorkerInstallError(
      `no "directory" line in ${wrapPath}`,
      'mediasoup changed its subprojects; update scripts/mediasoup-offline/recipe.mjs and the shims',
    );
  }
  return match[1];
}

function applySourceFixes(mediasoupDir, log) {
  log.step('source fixes');
  for (const { file, from, to } of SOURCE_FIXES) {
    const path = join(mediasoupDir, file);
    const source = readFileSync(path, 'utf8');
    if (source.includes(to)) {
      log.write(`${file}: already fixed\n`);
    } else if (source.includes(from)) {
      writeFileSync(path, source.replace(from, to));
      log.write(`${file}: fixed\n`);
    } else {
      throw new WorkerInstallError(
        `${file} no longer contains the line the offline recipe fixes: ${from}`,
        'check whether this mediasoup version still needs the fix; update scripts/mediasoup-offline/recipe.mjs',
      );
    }
  }
}

function runMediasoupBuild(mediasoupDir, log, say) {
  say('building the worker (5 to 9 minutes on 2 cores)');
  log.step('mediasoup postinstall build');
  // A build directory left by an interrupted run may hold another configuration.
  rmSync(join(mediasoupDir, 'worker/out/Release'), { recursive: true, force: true });

  const env = {
    ...process.env,
    MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD: '1',
    MEDIASOUP_BUILDTYPE: 'Release',
    MESON_ARGS,
    PIP_RETRIES: '0',
  };
  delete env.MEDIASOUP_FORCE_WORKER_PREBUILT_DOWNLOAD;

  const started = Date.now();
  const progress = setInterval(() => reportCompileProgress(log, say, started), PROGRESS_INTERVAL_MS);

  return new Promise((resolve, reject) => {
    // The same as `npm run postinstall` in the mediasoup package.
    const child = spawn(process.execPath, ['npm-scripts.mjs', 'postinstall'], {
      cwd: mediasoupDir,
      env,
      stdio: ['ignore', log.fd, log.fd],
    });
    child.on('error', (error) => {
      clearInterval(progress);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearInterval(progress);
      if (code === 0) {
        say(`built in ${minutes(Date.now() - started)}`);
        resolve();
        return;
      }
      reject(
        new WorkerInstallError(
          `the worker build failed (${signal ?? `exit code ${code}`}):\n${log.lastLines(15)}`,
          `read ${log.path}; after fixing the cause, run: npm run postinstall`,
        ),
      );
    });
  });
}

function reportCompileProgress(log, say, started) {
  const steps = [...log.lastLines(40).matchAll(/^\[(\d+)\/(\d+)\]/gm)].at(-1);
  const where = steps ? `step ${steps[1]} of ${steps[2]}` : 'configuring';
  say(`  ${where}, ${minutes(Date.now() - started)} so far`);
}

function minutes(ms) {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}
