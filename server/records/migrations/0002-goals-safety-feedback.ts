import type { Kysely, Migration } from 'kysely';

/** Release 2: members' goals with progress notes, emergency contacts, confirmed locations, released feedback. */
export const goalsSafetyFeedback: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('members').addColumn('emergency_contact', 'text').execute();
    await db.schema
      .createTable('goals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('visible_to_group', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('goals_by_member').on('goals').column('member_id').execute();
    await db.schema
      .createTable('goal_progress')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('goal_id', 'text', (c) => c.notNull().references('goals.id').onDelete('cascade'))
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('locations')
      .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
      .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
      .addColumn('location', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('locations_key', ['session_id', 'member_id'])
      .execute();
    // No column may ever say who wrote an item: the table has the session and the items, nothing of a member.
    await db.schema
      .createTable('released_feedback')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('prompt', 'text', (c) => c.notNull())
      .addColumn('items', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['released_feedback', 'locations', 'goal_progress', 'goals']) await db.schema.dropTable(table).execute();
    await db.schema.alterTable('members').dropColumn('emergency_contact').execute();
  },
};
