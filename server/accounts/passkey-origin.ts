import { isIP } from 'node:net';

/**
 * Why browsers will refuse passkeys at this address, or null when they can work. WebAuthn needs
 * a secure context (HTTPS, or http://localhost) and a relying party that is a domain name,
 * never an IP address.
 */
export function passkeyProblem(publicUrl: string): string | null {
  const url = new URL(publicUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return `browsers refuse passkeys on an IP address (${host}): open Holdspace by a domain name (http://localhost:${url.port || 80} on this machine) or set PUBLIC_URL to one`;
  const local = host === 'localhost' || host.endsWith('.localhost');
  if (url.protocol !== 'https:' && !local) return `browsers allow passkeys only over HTTPS (or on localhost): serve ${url.host} over HTTPS (TLS_CERT_FILE/TLS_KEY_FILE or a proxy) and set PUBLIC_URL=https://${url.host}`;
  return null;
}
