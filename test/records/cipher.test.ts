import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { decodeDataKey, RecordCipher } from '../../server/records/cipher.js';
import { loadConfig } from '../../server/config.js';

describe('records cipher', () => {
  const cipher = new RecordCipher(randomBytes(32));

  test('a value opens with its key and field; the same text seals differently each time', () => {
    const sealed = cipher.seal('note', 'a private note');
    expect(sealed).not.toContain('private');
    expect(cipher.open('note', sealed)).toBe('a private note');
    expect(cipher.seal('note', 'a private note')).not.toBe(sealed);
  });

  test('a tampered value, another key or another field does not open', () => {
    const sealed = cipher.seal('goal', 'my goal');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0]! ^= 1;
    expect(() => cipher.open('goal', [...parts.slice(0, 3), body.toString('base64url')].join('.'))).toThrow();
    expect(() => new RecordCipher(randomBytes(32)).open('goal', sealed)).toThrow();
    expect(() => cipher.open('note', sealed)).toThrow();
  });

  test('DATA_KEY takes 32 bytes as hex or base64url and refuses anything else, naming the variable', () => {
    const key = randomBytes(32);
    expect(decodeDataKey(key.toString('hex')).equals(key)).toBe(true);
    expect(decodeDataKey(key.toString('base64url')).equals(key)).toBe(true);
    expect(loadConfig({ DATA_KEY: key.toString('hex') }).records?.dataKey).toBe(key.toString('hex'));
    expect(() => loadConfig({ DATA_KEY: 'too-short' })).toThrow(/DATA_KEY/);
  });

  test('several servers need PostgreSQL for records: REDIS_URL without DATABASE_URL is refused, naming it', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/DATABASE_URL/);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://holdspace@db:5432/holdspace' }).records?.databaseUrl).toBe('postgres://holdspace@db:5432/holdspace');
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', RECORDS_ENABLED: 'false' }).records).toBeNull();
    expect(loadConfig({}).records).toMatchObject({ databaseUrl: null, retentionMonths: 12 });
  });
});
