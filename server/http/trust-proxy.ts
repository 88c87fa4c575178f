import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** Whom Express may believe about the client's address: a hop count, or named ranges and addresses. False: nobody. */
export type TrustProxy = false | number | string[];

const namedRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);
const fix = 'give the number of proxies in front (1), loopback, or comma-separated proxy addresses/CIDRs such as 10.0.0.5,10.1.0.0/16';

/** TRUST_PROXY as Express accepts it, or the reason it is refused. */
export function parseTrustProxy(value: string | undefined): { trust: TrustProxy } | { refused: string } {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false' || text === '0') return { trust: false };
  if (text === 'true') return { refused: `TRUST_PROXY=true would believe X-Forwarded-For from anyone who reaches this port: ${fix}` };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= 10 ? { trust: hops } : { refused: `TRUST_PROXY=${text} hops is more proxies than any site has: ${fix}` };
  }
  const entries = text.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !namedRanges.has(entry) && !isAddressOrRange(entry));
  if (bad !== undefined) return { refused: `"${bad}" is not a hop count, an address, a CIDR or a named range: ${fix}` };
  return { trust: entries };
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (/^\d{1,3}$/.test(prefix)) return Number(prefix) <= (family === 4 ? 32 : 128);
  // Express also takes an IPv4 netmask after the slash.
  return family === 4 && isIP(prefix) === 4;
}

/**
 * The client's address as Express's `req.ip` finds it: walk X-Forwarded-For from the nearest hop
 * while the sender is trusted. For Socket.IO handshakes, which never pass through Express.
 */
export function clientAddress(request: IncomingMessage, trusted: (address: string, hop: number) => boolean): string {
  const forwarded = String(request.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean)
    .reverse();
  const chain = [request.socket.remoteAddress ?? 'unknown', ...forwarded];
  for (let hop = 0; hop < chain.length - 1; hop++) if (!trusted(chain[hop]!, hop)) return chain[hop]!;
  return chain.at(-1)!;
}
