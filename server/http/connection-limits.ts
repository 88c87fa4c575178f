import type { Server as HttpServer, ServerOptions } from 'node:http';

/**
 * How long the HTTP server waits for a client: its headers within 10 s, the whole request within
 * 30 s (long-polling answers within Socket.IO's ping interval), checked every second.
 */
export const httpTimeouts: ServerOptions = { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 };

/** At most `perAddress` TCP connections open from one address at once; more are closed as they arrive. */
export function limitConnectionsPerAddress(http: HttpServer, perAddress: number): void {
  const open = new Map<string, number>();
  http.on('connection', (socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const held = open.get(address) ?? 0;
    if (held >= perAddress) return void socket.destroy();
    open.set(address, held + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
