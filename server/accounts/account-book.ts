import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { newRecordId } from '../records/record-id.js';
import type { AccountRow, RecordsDatabase } from '../records/schema.js';

export type AccountRole = 'admin' | 'therapist';

export interface Account {
  id: string;
  name: string;
  role: AccountRole;
  createdAt: Date;
  removedAt: Date | null;
}

/** A live sign-in, as a request's cookie proves it. */
export interface SignIn {
  account: Account;
  /** SHA-256 of the cookie's secret: names the sign-in without being it. */
  idHash: string;
  expiresAt: Date;
  lastSeenAt: Date;
}

export interface StoredPasskey {
  id: string;
  accountId: string;
  publicKey: Uint8Array<ArrayBuffer>;
  counter: number;
  transports: string[];
}

export interface SignInLimits {
  /** Absolute lifetime of a sign-in. */
  lifetimeMs: number;
  /** A sign-in unused this long is over (automatic logoff). */
  idleMs: number;
}

const RECOVERY_CODES = 8;
/** Activity is written at most this often per sign-in: a page's requests do not each cost a write. */
const TOUCH_EVERY_MS = 5_000;

export const secretHash = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('base64url');
const newSecret = (): string => randomBytes(32).toString('base64url');
// Recovery codes: 80 random bits in five groups a person can type.
const newRecoveryCode = (): string => (randomBytes(10).toString('hex').match(/.{4}/g) ?? []).join('-');
const normaliseCode = (code: string): string => code.trim().toLowerCase().replace(/[^0-9a-f]/g, '').replace(/(.{4})(?!$)/g, '$1-');

const toAccount = (row: Selectable<AccountRow>): Account => ({
  id: row.id,
  name: row.name,
  role: row.role === 'admin' ? 'admin' : 'therapist',
  createdAt: row.created_at,
  removedAt: row.removed_at,
});

/**
 * Facilitators' accounts in the records' database: passkeys, sign-ins (only hashes of the cookie
 * secret), single-use invitations, recovery codes (hashed), who leads which group and who owns
 * which one-off room.
 */
export class AccountBook {
  readonly #db: Kysely<RecordsDatabase>;
  readonly limits: SignInLimits;

  constructor(db: Kysely<RecordsDatabase>, limits: SignInLimits) {
    this.#db = db;
    this.limits = limits;
  }

  async hasAccounts(): Promise<boolean> {
    const row = await this.#db.selectFrom('accounts').select('id').where('removed_at', 'is', null).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /** A single-use link's secret that registers a new account of this role until it expires. */
  async invite(role: AccountRole, createdBy: string | null, ttlMs: number, now = new Date()): Promise<string> {
    const token = newSecret();
    await this.#db.insertInto('account_invitations').values({ token_hash: secretHash(token), role, created_by: createdBy, created_at: now, expires_at: new Date(now.getTime() + ttlMs), used_at: null }).execute();
    return token;
  }

  /** The role an unused, unexpired invitation grants; null otherwise. */
  async invitation(token: string, now = new Date()): Promise<{ role: AccountRole } | null> {
    const row = await this.#db.selectFrom('account_invitations').select('role').where('token_hash', '=', secretHash(token)).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
    return row ? { role: row.role === 'admin' ? 'admin' : 'therapist' } : null;
  }

  /**
   * Use an invitation once: the account, its first passkey and its recovery codes (returned once,
   * only their hashes kept). The first admin adopts every group that has no lead yet.
   */
  async register(token: string, name: string, passkey: Omit<StoredPasskey, 'accountId'>, now = new Date()): Promise<{ account: Account; recoveryCodes: string[] } | null> {
    return this.#db.transaction().execute(async (tx) => {
      const used = await tx.updateTable('account_invitations').set({ used_at: now }).where('token_hash', '=', secretHash(token)).where('used_at', 'is', null).where('expires_at', '>', now).returning('role').executeTakeFirst();
      if (!used) return null;
      const row = await tx.insertInto('accounts').values({ id: newRecordId(), name, role: used.role, created_at: now, removed_at: null }).returningAll().executeTakeFirstOrThrow();
      await tx.insertInto('credentials').values(passkeyRow(row.id, passkey, now)).execute();
      const recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
      await tx.insertInto('recovery_codes').values(recoveryCodes.map((code) => ({ code_hash: secretHash(code), account_id: row.id, used_at: null }))).execute();
      if (row.role === 'admin') {
        await sql`insert into group_leads (group_id, account_id, added_at) select id, ${row.id}, ${now} from groups g where not exists (select 1 from group_leads l where l.group_id = g.id)`.execute(tx);
      }
      return { account: toAccount(row), recoveryCodes };
    });
  }

  async addPasskey(accountId: string, passkey: Omit<StoredPasskey, 'accountId'>, now = new Date()): Promise<void> {
    await this.#db.insertInto('credentials').values(passkeyRow(accountId, passkey, now)).execute();
  }

  async passkeysOf(accountId: string): Promise<{ id: string; transports: string[] }[]> {
    const rows = await this.#db.selectFrom('credentials').select(['id', 'transports']).where('account_id', '=', accountId).execute();
    return rows.map((row) => ({ id: row.id, transports: row.transports as string[] }));
  }

  /** A passkey of an account that is not removed; null otherwise. */
  async passkey(id: string): Promise<{ passkey: StoredPasskey; account: Account } | null> {
    const row = await this.#db
      .selectFrom('credentials')
      .innerJoin('accounts', 'accounts.id', 'credentials.account_id')
      .selectAll('accounts')
      .select(['credentials.id as credential_id', 'credentials.public_key', 'credentials.counter', 'credentials.transports'])
      .where('credentials.id', '=', id)
      .where('accounts.removed_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    return {
      passkey: { id: row.credential_id, accountId: row.id, publicKey: new Uint8Array(Buffer.from(row.public_key, 'base64url')), counter: Number(row.counter), transports: row.transports as string[] },
      account: toAccount(row),
    };
  }

  async passkeyUsed(id: string, counter: number, now = new Date()): Promise<void> {
    await this.#db.updateTable('credentials').set({ counter, last_used_at: now }).where('id', '=', id).execute();
  }

  /** A recovery code signs its account in once; null for an unknown, used or removed account's code. */
  async useRecoveryCode(code: string, now = new Date()): Promise<Account | null> {
    const used = await this.#db.updateTable('recovery_codes').set({ used_at: now }).where('code_hash', '=', secretHash(normaliseCode(code))).where('used_at', 'is', null).returning('account_id').executeTakeFirst();
    return used ? this.account(used.account_id) : null;
  }

  async account(id: string): Promise<Account | null> {
    const row = await this.#db.selectFrom('accounts').selectAll().where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
    return row ? toAccount(row) : null;
  }

  async accounts(): Promise<Account[]> {
    return (await this.#db.selectFrom('accounts').selectAll().where('removed_at', 'is', null).orderBy('created_at').execute()).map(toAccount);
  }

  /** The account can no longer sign in: its passkeys, sign-ins and codes go; its leads stay for the record of who led. */
  async remove(id: string, now = new Date()): Promise<boolean> {
    return this.#db.transaction().execute(async (tx) => {
      const removed = await tx.updateTable('accounts').set({ removed_at: now }).where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
      await tx.deleteFrom('credentials').where('account_id', '=', id).execute();
      await tx.deleteFrom('recovery_codes').where('account_id', '=', id).execute();
      await tx.updateTable('sign_ins').set({ ended_at: now }).where('account_id', '=', id).where('ended_at', 'is', null).execute();
      return Number(removed.numUpdatedRows) > 0;
    });
  }

  /** A new sign-in: the cookie's secret (returned once) and when it ends at the latest. */
  async startSignIn(accountId: string, now = new Date()): Promise<{ secret: string; expiresAt: Date }> {
    const secret = newSecret();
    const expiresAt = new Date(now.getTime() + this.limits.lifetimeMs);
    await this.#db.insertInto('sign_ins').values({ id_hash: secretHash(secret), account_id: accountId, created_at: now, last_seen_at: now, expires_at: expiresAt, ended_at: null }).execute();
    return { secret, expiresAt };
  }

  /** The sign-in a cookie's secret proves, if it has not ended, expired or been idle too long; `touch` counts this as activity. */
  async signIn(secret: string, options: { touch: boolean }, now = new Date()): Promise<SignIn | null> {
    return this.signInByHash(secretHash(secret), options, now);
  }

  async signInByHash(idHash: string, options: { touch: boolean }, now = new Date()): Promise<SignIn | null> {
    const row = await this.#db
      .selectFrom('sign_ins')
      .innerJoin('accounts', 'accounts.id', 'sign_ins.account_id')
      .selectAll('accounts')
      .select(['sign_ins.id_hash', 'sign_ins.expires_at', 'sign_ins.last_seen_at'])
      .where('sign_ins.id_hash', '=', idHash)
      .where('sign_ins.ended_at', 'is', null)
      .where('sign_ins.expires_at', '>', now)
      .where('sign_ins.last_seen_at', '>', new Date(now.getTime() - this.limits.idleMs))
      .where('accounts.removed_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    if (options.touch && now.getTime() - row.last_seen_at.getTime() >= Math.min(TOUCH_EVERY_MS, this.limits.idleMs / 4)) {
      await this.#db.updateTable('sign_ins').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
    }
    return { account: toAccount(row), idHash: row.id_hash, expiresAt: row.expires_at, lastSeenAt: options.touch ? now : row.last_seen_at };
  }

  async endSignIn(idHash: string, now = new Date()): Promise<void> {
    await this.#db.updateTable('sign_ins').set({ ended_at: now }).where('id_hash', '=', idHash).where('ended_at', 'is', null).execute();
  }

  /** A WebAuthn challenge, answerable once within `ttlMs`. */
  async saveChallenge(challenge: string, purpose: string, subject: string | null, ttlMs: number, now = new Date()): Promise<void> {
    await this.#db.deleteFrom('passkey_challenges').where('expires_at', '<', now).execute();
    await this.#db.insertInto('passkey_challenges').values({ challenge, purpose, subject, expires_at: new Date(now.getTime() + ttlMs) }).execute();
  }

  /** Take a challenge back (it is gone afterwards); null when unknown, expired or of another purpose. */
  async takeChallenge(challenge: string, purpose: string, now = new Date()): Promise<{ subject: string | null } | null> {
    const row = await this.#db.deleteFrom('passkey_challenges').where('challenge', '=', challenge).returning(['purpose', 'subject', 'expires_at']).executeTakeFirst();
    if (!row || row.purpose !== purpose || row.expires_at <= now) return null;
    return { subject: row.subject };
  }

  async leads(groupId: string): Promise<{ id: string; name: string }[]> {
    return this.#db
      .selectFrom('group_leads')
      .innerJoin('accounts', 'accounts.id', 'group_leads.account_id')
      .select(['accounts.id', 'accounts.name'])
      .where('group_leads.group_id', '=', groupId)
      .where('accounts.removed_at', 'is', null)
      .orderBy('group_leads.added_at')
      .execute();
  }

  async groupsLedBy(accountId: string): Promise<Set<string>> {
    const rows = await this.#db.selectFrom('group_leads').select('group_id').where('account_id', '=', accountId).execute();
    return new Set(rows.map((row) => row.group_id));
  }

  async isLead(accountId: string, groupId: string): Promise<boolean> {
    return (await this.#db.selectFrom('group_leads').select('group_id').where('account_id', '=', accountId).where('group_id', '=', groupId).executeTakeFirst()) !== undefined;
  }

  async addLead(groupId: string, accountId: string, now = new Date()): Promise<void> {
    await this.#db.insertInto('group_leads').values({ group_id: groupId, account_id: accountId, added_at: now }).onConflict((c) => c.doNothing()).execute();
  }

  async ownRoom(roomId: string, accountId: string, now = new Date()): Promise<void> {
    await this.#db.insertInto('room_owners').values({ room_id: roomId, account_id: accountId, created_at: now }).execute();
  }

  async roomsOwnedBy(accountId: string): Promise<Set<string>> {
    const rows = await this.#db.selectFrom('room_owners').select('room_id').where('account_id', '=', accountId).execute();
    return new Set(rows.map((row) => row.room_id));
  }

  /** Whether the account may facilitate a live room: it created it, or the room is a session of a group it leads. */
  async mayFacilitate(accountId: string, roomId: string): Promise<boolean> {
    const owned = await this.#db.selectFrom('room_owners').select('room_id').where('room_id', '=', roomId).where('account_id', '=', accountId).executeTakeFirst();
    if (owned) return true;
    const led = await this.#db
      .selectFrom('sessions')
      .innerJoin('group_leads', 'group_leads.group_id', 'sessions.group_id')
      .select('sessions.id')
      .where('sessions.id', '=', roomId)
      .where('group_leads.account_id', '=', accountId)
      .executeTakeFirst();
    return led !== undefined;
  }
}

function passkeyRow(accountId: string, passkey: Omit<StoredPasskey, 'accountId'>, now: Date) {
  return { id: passkey.id, account_id: accountId, public_key: Buffer.from(passkey.publicKey).toString('base64url'), counter: passkey.counter, transports: JSON.stringify(passkey.transports), created_at: now, last_used_at: null };
}
