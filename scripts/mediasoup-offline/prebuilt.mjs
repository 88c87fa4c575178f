import { spawn } from 'node:child_process';

const DOWNLOAD_TIMEOUT_MS = 45_000;

/**
 * Runs mediasoup's own postinstall, which downloads its prebuilt worker from GitHub and checks
 * that it runs here. Resolves true when it got one.
 */
export function downloadPrebuiltWorker(mediasoupDir, log) {
  const env = { ...process.env };
  delete env.MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD;
  delete env.MEDIASOUP_LOCAL_DEV;
  // When the download fails, its postinstall falls through into a pip/meson build that cannot
  // work offline; with PYTHON=false that build stops at its first command instead.
  env.PYTHON = 'false';

  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['npm-scripts.mjs', 'postinstall'], {
      cwd: mediasoupDir,
      env,
      stdio: ['ignore', log.fd, log.fd],
      timeout: DOWNLOAD_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}
