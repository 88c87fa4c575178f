#!/usr/bin/env node
// Installs what the test suites run for real when this machine lacks it: Chromium for the
// browser tests, redis-server for the Redis tests, PostgreSQL for the records tests. Debian's packages, never upgrading others.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const tools = [
  { name: 'Chromium', binary: '/usr/bin/chromium', packages: ['chromium'] },
  { name: 'Redis', binary: '/usr/bin/redis-server', packages: ['redis-server'] },
  { name: 'PostgreSQL', binary: '/usr/lib/postgresql/15/bin/initdb', packages: ['postgresql'] },
];

const missing = tools.filter((tool) => !existsSync(tool.binary));
if (missing.length === 0) process.exit(0);

const packages = missing.flatMap((tool) => tool.packages);
const canApt = process.platform === 'linux' && spawnSync('which', ['apt-get']).status === 0;
if (!canApt) {
  console.error(`The tests need ${missing.map((tool) => tool.name).join(' and ')} (${missing.map((tool) => tool.binary).join(', ')}).`);
  console.error('Install them with your package manager and run the tests again.');
  process.exit(1);
}

const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
const apt = (...args) => execFileSync(asRoot[0] ?? 'apt-get', [...(asRoot.length ? ['apt-get'] : []), ...args], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
});

console.log(`Installing ${packages.join(', ')} for the tests (Debian packages)...`);
try {
  try {
    apt('-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', '--no-upgrade', ...packages);
  } catch {
    apt('-o', 'DPkg::Lock::Timeout=600', 'update');
    apt('-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', '--no-upgrade', ...packages);
  }
} catch (error) {
  console.error(`Could not install ${packages.join(', ')}: ${error.message}`);
  console.error(`Install them by hand (apt-get install ${packages.join(' ')}) and run the tests again.`);
  process.exit(1);
}
// redis-server's package starts a system service; the tests start their own on free ports.
if (packages.includes('redis-server')) spawnSync('service', ['redis-server', 'stop'], { stdio: 'ignore' });
// So does postgresql's; the records tests make their own clusters on free ports.
if (packages.includes('postgresql')) spawnSync('service', ['postgresql', 'stop'], { stdio: 'ignore' });
console.log('Test tools installed.');
