import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function hasApt() {
  return existsSync('/usr/bin/apt-get') && existsSync('/usr/bin/dpkg-query');
}

export function missingDebianPackages(names) {
  return names.filter((name) => !isInstalled(name));
}

function isInstalled(name) {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return query.status === 0 && query.stdout.includes('install ok installed');
}

/**
 * Installs only the packages that are missing, never upgrading installed ones, and refreshes
 * the package lists only when the install fails on them (unknown package, stale archive file).
 * Returns null on success, or the reason it failed.
 */
export function installDebianPackages(names, log) {
  const sudo = rootCommandPrefix();
  if (sudo === null) {
    return 'installing Debian packages needs root (or passwordless sudo)';
  }
  const install = ['apt-get', 'install', '-y', '--no-upgrade', '--no-install-recommends', ...names];
  if (runApt([...sudo, ...install], log)) return null;
  log.write('apt-get install failed; refreshing package lists and retrying\n');
  if (!runApt([...sudo, 'apt-get', 'update'], log)) return 'apt-get update failed';
  return runApt([...sudo, ...install], log) ? null : 'apt-get install failed';
}

function rootCommandPrefix() {
  if (process.getuid?.() === 0) return [];
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  return sudo.status === 0 ? ['sudo', '-n'] : null;
}

function runApt([command, ...args], log) {
  log.write(`$ ${command} ${args.join(' ')}\n`);
  const apt = spawnSync(command, args, {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', log.fd, log.fd],
  });
  return apt.status === 0;
}
