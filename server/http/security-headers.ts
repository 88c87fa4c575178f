import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';

/**
 * The headers every response carries, Express's and Socket.IO's alike (Socket.IO answers its own
 * requests before Express sees them). Helmet computes them once, on a response never sent.
 * `hsts`: pages are served over HTTPS, so browsers are told to use nothing else for a year.
 */
export function securityHeaders(production: boolean, hsts: boolean): Record<string, string> {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: production ? [] : null,
      },
    },
    crossOriginEmbedderPolicy: false,
    // Only where pages really arrive over HTTPS (built-in TLS, or a proxy in front of an https PUBLIC_URL): browsers ignore it on http, and it would pin a laptop's localhost to https.
    strictTransportSecurity: hsts ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'no-referrer' },
  })(request, response, () => undefined);
  const headers = Object.fromEntries(Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]));
  // Only this page may use the camera and microphone; nothing it embeds may.
  headers['permissions-policy'] = 'camera=(self), microphone=(self)';
  return headers;
}
