import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Release 3: facilitators' accounts with passkeys, sign-ins, invitations, recovery codes, who
 * leads which group, who owns which one-off room, and the append-only audit trail.
 */
export const accounts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('removed_at', 'timestamptz')
      .execute();
    await db.schema
      .createTable('credentials')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('counter', 'bigint', (c) => c.notNull())
      .addColumn('transports', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('last_used_at', 'timestamptz')
      .execute();
    await db.schema.createIndex('credentials_by_account').on('credentials').column('account_id').execute();
    // The cookie's secret is never stored: only its SHA-256.
    await db.schema
      .createTable('sign_ins')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('ended_at', 'timestamptz')
      .execute();
    await db.schema
      .createTable('account_invitations')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('used_at', 'timestamptz')
      .execute();
    await db.schema
      .createTable('recovery_codes')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('used_at', 'timestamptz')
      .execute();
    // A WebAuthn challenge is used once, on whichever server the answer reaches.
    await db.schema
      .createTable('passkey_challenges')
      .addColumn('challenge', 'text', (c) => c.primaryKey())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('group_leads')
      .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('added_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('group_leads_key', ['group_id', 'account_id'])
      .execute();
    await db.schema.createIndex('group_leads_by_account').on('group_leads').column('account_id').execute();
    await db.schema
      .createTable('room_owners')
      .addColumn('room_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .execute();
    // Ids and kinds of actions only: no column for a note, a goal, an answer or a name.
    await db.schema
      .createTable('audit')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor', 'text')
      .addColumn('group_id', 'text')
      .addColumn('subject', 'text')
      .addColumn('address', 'text')
      .execute();
    await sql`create function audit_append_only() returns trigger language plpgsql as $$ begin raise exception 'the audit trail is append-only'; end $$`.execute(db);
    await sql`create trigger audit_append_only before update or delete on audit for each row execute function audit_append_only()`.execute(db);
    await sql`create trigger audit_no_truncate before truncate on audit for each statement execute function audit_append_only()`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop trigger audit_no_truncate on audit`.execute(db);
    await sql`drop trigger audit_append_only on audit`.execute(db);
    await sql`drop function audit_append_only()`.execute(db);
    for (const table of ['audit', 'room_owners', 'group_leads', 'passkey_challenges', 'recovery_codes', 'account_invitations', 'sign_ins', 'credentials', 'accounts']) await db.schema.dropTable(table).execute();
  },
};
