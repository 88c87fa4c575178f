import { randomBytes } from 'node:crypto';

/** A row's id: 96 random bits, URL-safe. */
export const newRecordId = (): string => randomBytes(12).toString('base64url');
