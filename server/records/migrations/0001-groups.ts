import { sql, type Kysely, type Migration } from 'kysely';

/** Release 1 of the records: groups, members, numbered sessions, attendance, ratings, notes. */
export const groups: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('agreement', 'text', (c) => c.notNull())
      .addColumn('cadence', 'jsonb', (c) => c.notNull())
      .addColumn('agenda', 'jsonb', (c) => c.notNull())
      .addColumn('feedback_k', 'integer', (c) => c.notNull())
      .addColumn('member_cap', 'integer', (c) => c.notNull())
      .addColumn('retention_months', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('closed_at', 'timestamptz')
      .execute();
    await db.schema
      .createTable('members')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('link_hash', 'text', (c) => c.unique())
      .addColumn('link_issued_at', 'timestamptz')
      .addColumn('added_at', 'timestamptz', (c) => c.notNull())
      .addColumn('left_at', 'timestamptz')
      .execute();
    await db.schema.createIndex('members_by_group').on('members').column('group_id').execute();
    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'timestamptz', (c) => c.notNull())
      .addColumn('ended_at', 'timestamptz')
      .addColumn('agenda', 'jsonb', (c) => c.notNull())
      .addColumn('summary', 'text')
      .addUniqueConstraint('sessions_number', ['group_id', 'number'])
      .execute();
    await db.schema
      .createTable('attendance')
      .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
      .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('present', 'late', 'absent', 'left_early')`))
      .addPrimaryKeyConstraint('attendance_key', ['session_id', 'member_id'])
      .execute();
    await db.schema
      .createTable('ratings')
      .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
      .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
      .addColumn('rating', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ratings_key', ['session_id', 'member_id'])
      .execute();
    await db.schema
      .createTable('notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
      .addColumn('session_id', 'text', (c) => c.references('sessions.id').onDelete('cascade'))
      .addColumn('member_id', 'text', (c) => c.references('members.id').onDelete('cascade'))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('notes_by_group').on('notes').column('group_id').execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['notes', 'ratings', 'attendance', 'sessions', 'members', 'groups']) await db.schema.dropTable(table).execute();
  },
};
