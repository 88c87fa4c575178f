import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. Payloads are never logged; the redaction list is a second line of defence
 * for fields that must never sit next to an identity (feedback text above all).
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: ['text', '*.text', 'payload', '*.payload', 'token', '*.token', 'auth', '*.auth', 'invite', '*.invite', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  });
}
