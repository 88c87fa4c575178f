import { createHash, randomBytes } from 'node:crypto';

/** A personal link's secret: 256 random bits, so a fast hash is enough to keep it out of the database. */
export const newLinkSecret = (): string => randomBytes(32).toString('base64url');

export const linkHash = (secret: string): string => createHash('sha256').update(`holdspace-member-link:${secret}`).digest('hex');
