#!/usr/bin/env node
// Installs what the test suites run for real when this machine lacks it: Chromium for the
// browser tests, redis-server for the Redis tests, PostgreSQL for the records tests, Caddy and
// nginx for the reverse-proxy test, coturn for the relay test, ffmpeg for the benchmarks' moving camera
// clip, iproute2 and nftables for the constrained-network test. Debian's packages, never upgrading others.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const tools = [
  { name: 'Chromium', binary: '/usr/bin/chromium', packages: ['chromium'] },
  { name: 'Redis', binary: '/usr/bin/redis-server', packages: ['redis-server'], service: 'redis-server' },
  { name: 'PostgreSQL', binary: '/usr/lib/postgresql/15/bin/initdb', packages: ['postgresql'], service: 'postgresql' },
  { name: 'Caddy', binary: '/usr/bin/caddy', packages: ['caddy'], service: 'caddy' },
  { name: 'nginx', binary: '/usr/sbin/nginx', packages: ['nginx'], service: 'nginx' },
  { name: 'coturn', binary: '/usr/bin/turnserver', packages: ['coturn'], service: 'coturn' },
  { name: 'ffmpeg', binary: '/usr/bin/ffmpeg', packages: ['ffmpeg'] },
  { name: 'iproute2', binary: '/usr/sbin/tc', packages: ['iproute2'] },
  { name: 'nftables', binary: '/usr/sbin/nft', packages: ['nftables'] },
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
// These packages start system services; the tests start their own instances on free ports.
for (const tool of missing) {
  if (!tool.service) continue;
  spawnSync('service', [tool.service, 'stop'], { stdio: 'ignore' });
}
console.log('Test tools installed.');
