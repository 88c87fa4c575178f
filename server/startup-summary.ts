import { passkeyProblem } from './accounts/passkey-origin.js';
import { isLoopback, type Config } from './config.js';

/** A few lines at start saying what is reachable from where, so a wrong exposure is seen before the first group. */
export function startupSummary(config: Config, listening: { port: number }, publicUrl: string): string[] {
  const scheme = config.tls ? 'https' : 'http';
  const where = isLoopback(config.host) ? 'this machine only' : config.host === '0.0.0.0' || config.host === '::' ? 'every interface' : 'this address';
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const media = config.media;
  const ports = media.port === 0 ? 'free ports' : media.workers === 1 ? `port ${media.port}` : `ports ${media.port}-${media.port + media.workers - 1}`;
  const redis = config.redis;
  return [
    `  HTTP:       ${scheme}://${host}:${listening.port} (${where})${config.tls ? ', certificate reloaded when its files change' : ''}`,
    `  Public URL: ${publicUrl} (invite links; the only origin allowed to connect${config.publicUrl ? '' : ', as PUBLIC_URL is unset'})`,
    `  Proxy:      ${config.trustProxy === false ? 'none trusted: each client address is the connecting one (set TRUST_PROXY behind a proxy)' : `client addresses taken from X-Forwarded-For when sent by ${Array.isArray(config.trustProxy) ? config.trustProxy.join(', ') : `the nearest ${config.trustProxy} hop(s)`}`}`,
    `  Media:      ${media.enabled ? `UDP and TCP ${ports} on ${media.listenIp}, announced to browsers as ${media.announcedAddress ?? media.listenIp}${isLoopback(media.announcedAddress ?? media.listenIp) ? ' (this machine only)' : ''}` : 'off'}`,
    `  TURN:       ${media.enabled && media.turn.urls.length > 0 ? `${media.turn.urls.join(', ')}${media.turn.secret ? ', credentials from TURN_SECRET' : ''}` : 'none'}`,
    `  Rooms:      ${redis ? `Redis${redis.cluster ? ' Cluster' : ''} at ${redis.urls.map(withoutPassword).join(', ')}, shared with other nodes (this one: ${redis.nodeId})` : "in this process's memory"}`,
    `  Sign-in:    ${config.records ? signIn(publicUrl) : 'the facilitator key (no accounts without records)'}`,
    `  Metrics:    ${config.metricsToken ? '/metrics with the METRICS_TOKEN bearer token' : 'off (set METRICS_TOKEN)'}; /readyz for the load balancer`,
  ];
}

function signIn(publicUrl: string): string {
  const problem = passkeyProblem(publicUrl);
  return problem ? `WARNING: passkeys will not work: ${problem}` : `facilitators' passkeys at ${new URL(publicUrl).hostname}`;
}

function withoutPassword(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
