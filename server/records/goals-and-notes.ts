import type { Kysely, Selectable } from 'kysely';
import type { RecordCipher } from './cipher.js';
import { RecordsRefusal, type Goal, type Note } from './group-records.js';
import type { GoalRow, NoteRow, RecordsDatabase } from './schema.js';
import { newRecordId } from './record-id.js';

/** Members' goals with their progress notes, and the facilitator's notes: all of it sealed. */
export class GoalsAndNotes {
  readonly #db: Kysely<RecordsDatabase>;
  readonly #cipher: RecordCipher;

  constructor(db: Kysely<RecordsDatabase>, cipher: RecordCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async #withProgress(rows: Selectable<GoalRow>[]): Promise<Goal[]> {
    if (!rows.length) return [];
    const progress = await this.#db.selectFrom('goal_progress').selectAll().where('goal_id', 'in', rows.map((row) => row.id)).orderBy('created_at').orderBy('id').execute();
    return rows.map((row) => ({
      id: row.id,
      memberId: row.member_id,
      text: this.#cipher.open('goal', row.text),
      visibleToGroup: row.visible_to_group,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      progress: progress.filter((entry) => entry.goal_id === row.id).map((entry) => ({ id: entry.id, note: this.#cipher.open('progress', entry.note), createdAt: entry.created_at })),
    }));
  }

  async goalsByMember(groupId: string): Promise<Record<string, Goal[]>> {
    const rows = await this.#db
      .selectFrom('goals')
      .innerJoin('members', 'members.id', 'goals.member_id')
      .selectAll('goals')
      .where('members.group_id', '=', groupId)
      .orderBy('goals.created_at')
      .orderBy('goals.id')
      .execute();
    const byMember: Record<string, Goal[]> = {};
    for (const goal of await this.#withProgress(rows)) (byMember[goal.memberId] ??= []).push(goal);
    return byMember;
  }

  async goalsOf(memberId: string): Promise<Goal[]> {
    const rows = await this.#db.selectFrom('goals').selectAll().where('member_id', '=', memberId).orderBy('created_at').orderBy('id').execute();
    return this.#withProgress(rows);
  }

  async #goal(memberId: string, goalId: string): Promise<Goal> {
    const row = await this.#db.selectFrom('goals').selectAll().where('id', '=', goalId).where('member_id', '=', memberId).executeTakeFirst();
    if (!row) throw new RecordsRefusal('NOT_FOUND', 'no such goal of yours');
    const [goal] = await this.#withProgress([row]);
    return goal!;
  }

  async addGoal(memberId: string, input: { text: string; visibleToGroup: boolean }, now: Date): Promise<Goal> {
    const id = newRecordId();
    await this.#db
      .insertInto('goals')
      .values({ id, member_id: memberId, text: this.#cipher.seal('goal', input.text), visible_to_group: input.visibleToGroup, created_at: now, updated_at: now })
      .execute();
    return this.#goal(memberId, id);
  }

  async updateGoal(memberId: string, goalId: string, change: { text?: string | undefined; visibleToGroup?: boolean | undefined }, now: Date): Promise<Goal> {
    await this.#goal(memberId, goalId);
    await this.#db
      .updateTable('goals')
      .set({
        updated_at: now,
        ...(change.text !== undefined ? { text: this.#cipher.seal('goal', change.text) } : {}),
        ...(change.visibleToGroup !== undefined ? { visible_to_group: change.visibleToGroup } : {}),
      })
      .where('id', '=', goalId)
      .execute();
    return this.#goal(memberId, goalId);
  }

  async addProgress(memberId: string, goalId: string, note: string, now: Date): Promise<Goal> {
    await this.#goal(memberId, goalId);
    await this.#db.insertInto('goal_progress').values({ id: newRecordId(), goal_id: goalId, note: this.#cipher.seal('progress', note), created_at: now }).execute();
    await this.#db.updateTable('goals').set({ updated_at: now }).where('id', '=', goalId).execute();
    return this.#goal(memberId, goalId);
  }

  #toNote(row: Selectable<NoteRow> & { number: number | null }): Note {
    return {
      id: row.id,
      groupId: row.group_id,
      session: row.number,
      memberId: row.member_id,
      text: this.#cipher.open('note', row.text),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  #noteQuery(groupId: string) {
    return this.#db.selectFrom('notes').leftJoin('sessions', 'sessions.id', 'notes.session_id').selectAll('notes').select('sessions.number').where('notes.group_id', '=', groupId);
  }

  async notes(groupId: string, about: { session?: number | undefined; memberId?: string | undefined }): Promise<Note[]> {
    let query = this.#noteQuery(groupId);
    if (about.session !== undefined) query = query.where('sessions.number', '=', about.session);
    if (about.memberId !== undefined) query = query.where('notes.member_id', '=', about.memberId);
    const rows = await query.orderBy('notes.created_at').orderBy('notes.id').execute();
    return rows.map((row) => this.#toNote(row));
  }

  async #note(groupId: string, noteId: string): Promise<Note> {
    const row = await this.#noteQuery(groupId).where('notes.id', '=', noteId).executeTakeFirst();
    if (!row) throw new RecordsRefusal('NOT_FOUND', 'no such note');
    return this.#toNote(row);
  }

  async addNote(groupId: string, input: { text: string; session?: number | undefined; memberId?: string | undefined }, now: Date): Promise<Note> {
    let sessionId: string | null = null;
    if (input.session !== undefined) {
      const session = await this.#db.selectFrom('sessions').select('id').where('group_id', '=', groupId).where('number', '=', input.session).executeTakeFirst();
      if (!session) throw new RecordsRefusal('NOT_FOUND', `no session ${input.session} in this group`);
      sessionId = session.id;
    }
    const id = newRecordId();
    await this.#db
      .insertInto('notes')
      .values({ id, group_id: groupId, session_id: sessionId, member_id: input.memberId ?? null, text: this.#cipher.seal('note', input.text), created_at: now, updated_at: now })
      .execute();
    return this.#note(groupId, id);
  }

  async updateNote(groupId: string, noteId: string, text: string, now: Date): Promise<Note> {
    await this.#note(groupId, noteId);
    await this.#db.updateTable('notes').set({ text: this.#cipher.seal('note', text), updated_at: now }).where('id', '=', noteId).execute();
    return this.#note(groupId, noteId);
  }

  async deleteNote(groupId: string, noteId: string): Promise<void> {
    await this.#note(groupId, noteId);
    await this.#db.deleteFrom('notes').where('id', '=', noteId).execute();
  }
}
