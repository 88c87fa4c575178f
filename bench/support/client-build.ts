// The product's client for benchmarks: built by vite.config.ts into a folder of the bench's own
// (dist/client, which `npm start` and the e2e suite use, is left alone) and served by a bench
// server in place of Holdspace's own static files.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import express from 'express';

/**
 * Serve the build in `dir` from Holdspace's HTTP server: /api/ and /socket.io/ go to Holdspace as
 * ever; every other path is a file of the build, or its index.html (as Holdspace answers its routes).
 */
export function serveClientBuild(http: Server, dir: string): void {
  const files = express.static(dir, { index: false, maxAge: '1h' });
  const index = readFileSync(join(dir, 'index.html'));
  const holdspace = http.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  http.removeAllListeners('request');
  http.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/api/') || path.startsWith('/socket.io/')) return holdspace.forEach((listener) => listener(request, response));
    files(request as express.Request, response as express.Response, () => {
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end(index);
    });
  });
}
