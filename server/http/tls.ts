import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { Logger } from '../logger.js';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** The certificate chain and key as read now; throws naming the file that cannot be read or the pair that does not fit. */
export function readCertificate(files: TlsFiles): { cert: Buffer; key: Buffer } {
  const read = (variable: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new TlsFileError(variable, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): point it at a readable PEM file`);
    }
  };
  const pair = { cert: read('TLS_CERT_FILE', files.certFile), key: read('TLS_KEY_FILE', files.keyFile) };
  try {
    createSecureContext(pair);
  } catch (error) {
    throw new TlsFileError('TLS_CERT_FILE', `TLS_CERT_FILE and TLS_KEY_FILE are not a PEM certificate and key that belong together (${(error as Error).message})`);
  }
  return pair;
}

export class TlsFileError extends Error {
  constructor(
    readonly variable: 'TLS_CERT_FILE' | 'TLS_KEY_FILE' | string,
    message: string,
  ) {
    super(message);
    this.name = 'TlsFileError';
  }
}

/**
 * Serve a renewed certificate without a restart: both files are polled (renewal tools replace
 * them by rename, which an inotify watch on the old file would miss), and a pair that reads and
 * fits replaces the server's context. A half-written renewal is skipped until it is whole.
 */
export function reloadCertificateOnChange(server: HttpsServer, files: TlsFiles, logger: Logger, intervalMs = 1_000): () => void {
  let pending: NodeJS.Timeout | null = null;
  const reload = () => {
    pending = null;
    try {
      server.setSecureContext(readCertificate(files));
      logger.info({ certFile: files.certFile }, 'TLS certificate reloaded');
    } catch (error) {
      logger.warn({ err: error }, 'TLS certificate changed but cannot be used yet; keeping the previous one');
    }
  };
  const changed = () => {
    // The certificate and the key are usually written one after the other: wait for both.
    if (pending) clearTimeout(pending);
    pending = setTimeout(reload, 200);
  };
  for (const file of [files.certFile, files.keyFile]) watchFile(file, { interval: intervalMs, persistent: false }, changed);
  return () => {
    if (pending) clearTimeout(pending);
    for (const file of [files.certFile, files.keyFile]) unwatchFile(file, changed);
  };
}
