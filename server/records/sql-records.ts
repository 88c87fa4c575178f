import { sql, type Kysely, type Selectable } from 'kysely';
import { attendanceSchema, cadenceSchema, groupAgendaSchema, type Attendance, type CreateGroup, type UpdateGroup } from '../../shared/protocol/groups.js';
import { nameSkeleton } from '../../shared/session/names.js';
import type { RecordCipher } from './cipher.js';
import { GoalsAndNotes } from './goals-and-notes.js';
import { RecordsRefusal, type Goal, type GroupRecords, type Group, type Member, type MemberIdentity, type Note, type ProblemRecord, type RoundRecord, type SessionOutcome, type SessionRecord, type SessionSummary } from './group-records.js';
import { linkHash, newLinkSecret } from './member-link.js';
import { newRecordId } from './record-id.js';
import type { GroupRow, MemberRow, RecordsDatabase } from './schema.js';

const toGroup = (row: Selectable<GroupRow>): Group => ({
  id: row.id,
  name: row.name,
  agreement: row.agreement,
  cadence: cadenceSchema.parse(row.cadence),
  agenda: groupAgendaSchema.parse(row.agenda),
  feedbackK: row.feedback_k,
  memberCap: row.member_cap,
  retentionMonths: row.retention_months,
  createdAt: row.created_at,
  closedAt: row.closed_at,
});

/** The records on PGlite or PostgreSQL through one Kysely query layer; content sealed with the records key. */
export class SqlRecords implements GroupRecords {
  readonly #db: Kysely<RecordsDatabase>;
  readonly #cipher: RecordCipher;
  readonly #retentionMonths: number;
  readonly #content: GoalsAndNotes;
  readonly #close: () => Promise<void>;

  constructor(db: Kysely<RecordsDatabase>, cipher: RecordCipher, options: { retentionMonths: number; close: () => Promise<void> }) {
    this.#db = db;
    this.#cipher = cipher;
    this.#retentionMonths = options.retentionMonths;
    this.#close = options.close;
    this.#content = new GoalsAndNotes(db, cipher);
  }

  get database(): Kysely<RecordsDatabase> {
    return this.#db;
  }

  #toMember(row: Selectable<MemberRow>): Member {
    return {
      id: row.id,
      groupId: row.group_id,
      name: row.name,
      hasLink: row.link_hash !== null,
      addedAt: row.added_at,
      leftAt: row.left_at,
      emergencyContact: row.emergency_contact === null ? null : this.#cipher.open('contact', row.emergency_contact),
    };
  }

  async createGroup(input: CreateGroup, now = new Date()): Promise<Group> {
    const row = await this.#db
      .insertInto('groups')
      .values({
        id: newRecordId(),
        name: input.name,
        agreement: input.agreement,
        cadence: JSON.stringify(input.cadence),
        agenda: JSON.stringify(input.agenda),
        feedback_k: input.feedbackK,
        member_cap: input.memberCap,
        retention_months: input.retentionMonths ?? this.#retentionMonths,
        created_at: now,
        closed_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toGroup(row);
  }

  async listGroups(): Promise<Group[]> {
    const rows = await this.#db.selectFrom('groups').selectAll().orderBy(sql`closed_at is not null`).orderBy('name').orderBy('id').execute();
    return rows.map(toGroup);
  }

  async getGroup(groupId: string): Promise<Group | null> {
    const row = await this.#db.selectFrom('groups').selectAll().where('id', '=', groupId).executeTakeFirst();
    return row ? toGroup(row) : null;
  }

  async updateGroup(groupId: string, change: UpdateGroup, now = new Date()): Promise<Group | null> {
    const current = await this.getGroup(groupId);
    if (!current) return null;
    const row = await this.#db
      .updateTable('groups')
      .set({
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.agreement !== undefined ? { agreement: change.agreement } : {}),
        ...(change.cadence !== undefined ? { cadence: JSON.stringify(change.cadence) } : {}),
        ...(change.agenda !== undefined ? { agenda: JSON.stringify(change.agenda) } : {}),
        ...(change.feedbackK !== undefined ? { feedback_k: change.feedbackK } : {}),
        ...(change.memberCap !== undefined ? { member_cap: change.memberCap } : {}),
        ...(change.retentionMonths !== undefined ? { retention_months: change.retentionMonths } : {}),
        ...(change.closed !== undefined ? { closed_at: change.closed ? (current.closedAt ?? now) : null } : {}),
      })
      .where('id', '=', groupId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toGroup(row);
  }

  async #openGroup(groupId: string, db: Kysely<RecordsDatabase> = this.#db): Promise<Group> {
    const row = await db.selectFrom('groups').selectAll().where('id', '=', groupId).executeTakeFirst();
    if (!row) throw new RecordsRefusal('NOT_FOUND', 'no such group');
    if (row.closed_at) throw new RecordsRefusal('GROUP_CLOSED');
    return toGroup(row);
  }

  async #member(groupId: string, memberId: string, db: Kysely<RecordsDatabase> = this.#db): Promise<Selectable<MemberRow>> {
    const row = await db.selectFrom('members').selectAll().where('id', '=', memberId).where('group_id', '=', groupId).executeTakeFirst();
    if (!row) throw new RecordsRefusal('NOT_FOUND', 'no such member in this group');
    return row;
  }

  async addMember(groupId: string, input: { name: string; emergencyContact?: string | undefined }, now = new Date()) {
    const link = newLinkSecret();
    // One member added at a time per group, so two requests cannot both take the last seat.
    const row = await this.#db.transaction().execute(async (tx) => {
      await sql`select id from groups where id = ${groupId} for update`.execute(tx);
      const group = await this.#openGroup(groupId, tx);
      const current = await tx.selectFrom('members').select('name').where('group_id', '=', groupId).where('left_at', 'is', null).execute();
      if (current.length >= group.memberCap) throw new RecordsRefusal('GROUP_FULL', `this group has its ${group.memberCap} members`);
      const skeleton = nameSkeleton(input.name);
      if (current.some((member) => nameSkeleton(member.name) === skeleton)) throw new RecordsRefusal('NAME_TAKEN');
      return tx
        .insertInto('members')
        .values({
          id: newRecordId(),
          group_id: groupId,
          name: input.name,
          link_hash: linkHash(link),
          link_issued_at: now,
          added_at: now,
          left_at: null,
          emergency_contact: input.emergencyContact ? this.#cipher.seal('contact', input.emergencyContact) : null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return { member: this.#toMember(row), link };
  }

  async roster(groupId: string, includeLeft = false): Promise<Member[]> {
    let query = this.#db.selectFrom('members').selectAll().where('group_id', '=', groupId);
    if (!includeLeft) query = query.where('left_at', 'is', null);
    const rows = await query.orderBy(sql`left_at is not null`).orderBy('added_at').orderBy('id').execute();
    return rows.map((row) => this.#toMember(row));
  }

  async setEmergencyContact(groupId: string, memberId: string, contact: string | null): Promise<Member> {
    await this.#member(groupId, memberId);
    const row = await this.#db
      .updateTable('members')
      .set({ emergency_contact: contact === null ? null : this.#cipher.seal('contact', contact) })
      .where('id', '=', memberId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return this.#toMember(row);
  }

  async removeMember(groupId: string, memberId: string, now = new Date()): Promise<void> {
    const member = await this.#member(groupId, memberId);
    await this.#db.updateTable('members').set({ left_at: member.left_at ?? now, link_hash: null }).where('id', '=', memberId).execute();
  }

  async issueLink(groupId: string, memberId: string, now = new Date()): Promise<string> {
    const member = await this.#member(groupId, memberId);
    if (member.left_at) throw new RecordsRefusal('NOT_FOUND', 'this member has left the group');
    await this.#openGroup(groupId);
    const link = newLinkSecret();
    await this.#db.updateTable('members').set({ link_hash: linkHash(link), link_issued_at: now }).where('id', '=', memberId).execute();
    return link;
  }

  async revokeLink(groupId: string, memberId: string): Promise<void> {
    await this.#member(groupId, memberId);
    await this.#db.updateTable('members').set({ link_hash: null }).where('id', '=', memberId).execute();
  }

  async deleteMemberData(groupId: string, memberId: string): Promise<void> {
    await this.#member(groupId, memberId);
    // Attendance, ratings, locations, goals with their progress and notes about the member go with the row (on delete cascade).
    await this.#db.deleteFrom('members').where('id', '=', memberId).where('group_id', '=', groupId).execute();
  }

  async verifyMemberLink(secret: string): Promise<MemberIdentity | null> {
    const row = await this.#db
      .selectFrom('members')
      .innerJoin('groups', 'groups.id', 'members.group_id')
      .select(['members.id as memberId', 'members.group_id as groupId', 'members.name as name'])
      .where('members.link_hash', '=', linkHash(secret))
      .where('members.left_at', 'is', null)
      .where('groups.closed_at', 'is', null)
      .executeTakeFirst();
    return row ?? null;
  }

  async startSession(groupId: string, now = new Date()): Promise<{ sessionId: string; number: number }> {
    return this.#db.transaction().execute(async (tx) => {
      await sql`select id from groups where id = ${groupId} for update`.execute(tx);
      const group = await this.#openGroup(groupId, tx);
      const running = await tx.selectFrom('sessions').select('number').where('group_id', '=', groupId).where('ended_at', 'is', null).executeTakeFirst();
      if (running) throw new RecordsRefusal('SESSION_RUNNING', `session ${running.number} has not ended`);
      const last = await tx.selectFrom('sessions').select(sql<number>`coalesce(max(number), 0)::int`.as('number')).where('group_id', '=', groupId).executeTakeFirstOrThrow();
      const session = { id: newRecordId(), number: last.number + 1 };
      await tx
        .insertInto('sessions')
        .values({ id: session.id, group_id: groupId, number: session.number, started_at: now, ended_at: null, agenda: JSON.stringify(group.agenda), summary: null })
        .execute();
      return { sessionId: session.id, number: session.number };
    });
  }

  async endSession(sessionId: string, outcome: SessionOutcome, now = new Date()): Promise<void> {
    await this.#db.transaction().execute(async (tx) => {
      const session = await tx.selectFrom('sessions').selectAll().where('id', '=', sessionId).forUpdate().executeTakeFirst();
      if (!session) throw new RecordsRefusal('NOT_FOUND', 'no such session');
      if (session.ended_at) throw new RecordsRefusal('SESSION_ENDED');
      const members = new Set((await tx.selectFrom('members').select('id').where('group_id', '=', session.group_id).execute()).map((row) => row.id));
      const mentioned = [...Object.keys(outcome.attendance), ...Object.keys(outcome.ratings), ...Object.keys(outcome.locations)];
      const stranger = mentioned.find((memberId) => !members.has(memberId));
      if (stranger) throw new RecordsRefusal('NOT_FOUND', 'a member of another group');
      const perMember = <T>(values: Record<string, T>) => Object.entries(values).map(([member_id, value]) => ({ session_id: sessionId, member_id, value }));
      const attendance = perMember(outcome.attendance).map(({ session_id, member_id, value }) => ({ session_id, member_id, status: attendanceSchema.parse(value) }));
      if (attendance.length) await tx.insertInto('attendance').values(attendance).execute();
      const ratings = perMember(outcome.ratings).map(({ session_id, member_id, value }) => ({ session_id, member_id, rating: this.#cipher.sealJson('rating', value) }));
      if (ratings.length) await tx.insertInto('ratings').values(ratings).execute();
      const locations = perMember(outcome.locations).map(({ session_id, member_id, value }) => ({ session_id, member_id, location: this.#cipher.seal('location', value) }));
      if (locations.length) await tx.insertInto('locations').values(locations).execute();
      const feedback = outcome.feedback.map((released, position) => ({
        id: newRecordId(),
        session_id: sessionId,
        position,
        prompt: this.#cipher.seal('feedback-prompt', released.prompt),
        items: this.#cipher.sealJson('feedback-items', released.items),
      }));
      if (feedback.length) await tx.insertInto('released_feedback').values(feedback).execute();
      await tx
        .updateTable('sessions')
        .set({
          ended_at: now,
          summary: this.#cipher.sealJson('summary', { rounds: outcome.rounds, problems: outcome.problems ?? [] }),
          ...(outcome.agenda ? { agenda: JSON.stringify(groupAgendaSchema.parse(outcome.agenda)) } : {}),
        })
        .where('id', '=', sessionId)
        .execute();
    });
  }

  async sessions(groupId: string): Promise<SessionSummary[]> {
    const rows = await this.#db.selectFrom('sessions').select(['id', 'number', 'started_at', 'ended_at']).where('group_id', '=', groupId).orderBy('number', 'desc').execute();
    return rows.map((row) => ({ id: row.id, number: row.number, startedAt: row.started_at, endedAt: row.ended_at }));
  }

  async sessionRecord(groupId: string, number: number): Promise<SessionRecord | null> {
    const session = await this.#db
      .selectFrom('sessions')
      .innerJoin('groups', 'groups.id', 'sessions.group_id')
      .select(['sessions.id', 'sessions.number', 'sessions.started_at', 'sessions.ended_at', 'sessions.agenda', 'sessions.summary', 'groups.name as groupName'])
      .where('sessions.group_id', '=', groupId)
      .where('sessions.number', '=', number)
      .executeTakeFirst();
    if (!session) return null;
    const attendance = await this.#db.selectFrom('attendance').innerJoin('members', 'members.id', 'attendance.member_id').select(['attendance.member_id', 'attendance.status', 'members.name']).where('attendance.session_id', '=', session.id).orderBy('members.name').execute();
    const ratings = await this.#db.selectFrom('ratings').innerJoin('members', 'members.id', 'ratings.member_id').select(['ratings.member_id', 'ratings.rating', 'members.name']).where('ratings.session_id', '=', session.id).orderBy('members.name').execute();
    const locations = await this.#db.selectFrom('locations').innerJoin('members', 'members.id', 'locations.member_id').select(['locations.member_id', 'locations.location', 'members.name']).where('locations.session_id', '=', session.id).orderBy('members.name').execute();
    const feedback = await this.#db.selectFrom('released_feedback').selectAll().where('session_id', '=', session.id).orderBy('position').execute();
    const summary = session.summary ? this.#cipher.openJson<{ rounds: RoundRecord[]; problems?: ProblemRecord[] }>('summary', session.summary) : { rounds: [] };
    return {
      id: session.id,
      number: session.number,
      startedAt: session.started_at,
      endedAt: session.ended_at,
      group: { id: groupId, name: session.groupName },
      agenda: groupAgendaSchema.parse(session.agenda),
      attendance: attendance.map((row) => ({ memberId: row.member_id, name: row.name, status: attendanceSchema.parse(row.status) })),
      ratings: ratings.map((row) => ({ memberId: row.member_id, name: row.name, rating: this.#cipher.openJson<number>('rating', row.rating) })),
      locations: locations.map((row) => ({ memberId: row.member_id, name: row.name, location: this.#cipher.open('location', row.location) })),
      rounds: summary.rounds,
      // Summaries written before problem-solving existed have none.
      problems: summary.problems ?? [],
      feedback: feedback.map((row) => ({ prompt: this.#cipher.open('feedback-prompt', row.prompt), items: this.#cipher.openJson<string[]>('feedback-items', row.items) })),
      notes: await this.#content.notes(groupId, { session: number }),
    };
  }

  /** The last `count` ended sessions of a group, oldest first. */
  async #lastEnded(groupId: string, count: number) {
    const rows = await this.#db.selectFrom('sessions').select(['id', 'number']).where('group_id', '=', groupId).where('ended_at', 'is not', null).orderBy('number', 'desc').limit(count).execute();
    return rows.reverse();
  }

  async lastRatings(groupId: string, count = 5): Promise<Record<string, { session: number; rating: number }[]>> {
    const sessions = await this.#lastEnded(groupId, count);
    if (!sessions.length) return {};
    const numbers = new Map(sessions.map((session) => [session.id, session.number]));
    const rows = await this.#db.selectFrom('ratings').selectAll().where('session_id', 'in', [...numbers.keys()]).execute();
    const trend: Record<string, { session: number; rating: number }[]> = {};
    for (const row of rows) (trend[row.member_id] ??= []).push({ session: numbers.get(row.session_id)!, rating: this.#cipher.openJson<number>('rating', row.rating) });
    for (const list of Object.values(trend)) list.sort((a, b) => a.session - b.session);
    return trend;
  }

  async lastAttendance(groupId: string, count = 5): Promise<Record<string, { session: number; status: Attendance }[]>> {
    const sessions = await this.#lastEnded(groupId, count);
    if (!sessions.length) return {};
    const numbers = new Map(sessions.map((session) => [session.id, session.number]));
    const rows = await this.#db.selectFrom('attendance').selectAll().where('session_id', 'in', [...numbers.keys()]).execute();
    const history: Record<string, { session: number; status: Attendance }[]> = {};
    for (const row of rows) (history[row.member_id] ??= []).push({ session: numbers.get(row.session_id)!, status: attendanceSchema.parse(row.status) });
    for (const list of Object.values(history)) list.sort((a, b) => a.session - b.session);
    return history;
  }

  goalsByMember(groupId: string): Promise<Record<string, Goal[]>> {
    return this.#content.goalsByMember(groupId);
  }
  goalsOf(memberId: string): Promise<Goal[]> {
    return this.#content.goalsOf(memberId);
  }
  addGoal(memberId: string, input: { text: string; visibleToGroup: boolean }, now = new Date()): Promise<Goal> {
    return this.#content.addGoal(memberId, input, now);
  }
  updateGoal(memberId: string, goalId: string, change: { text?: string | undefined; visibleToGroup?: boolean | undefined }, now = new Date()): Promise<Goal> {
    return this.#content.updateGoal(memberId, goalId, change, now);
  }
  addProgress(memberId: string, goalId: string, note: string, now = new Date()): Promise<Goal> {
    return this.#content.addProgress(memberId, goalId, note, now);
  }
  notes(groupId: string, about: { session?: number | undefined; memberId?: string | undefined } = {}): Promise<Note[]> {
    return this.#content.notes(groupId, about);
  }
  async addNote(groupId: string, input: { text: string; session?: number | undefined; memberId?: string | undefined }, now = new Date()): Promise<Note> {
    if (!(await this.getGroup(groupId))) throw new RecordsRefusal('NOT_FOUND', 'no such group');
    if (input.memberId !== undefined) await this.#member(groupId, input.memberId);
    return this.#content.addNote(groupId, input, now);
  }
  updateNote(groupId: string, noteId: string, text: string, now = new Date()): Promise<Note> {
    return this.#content.updateNote(groupId, noteId, text, now);
  }
  deleteNote(groupId: string, noteId: string): Promise<void> {
    return this.#content.deleteNote(groupId, noteId);
  }

  async purgeExpired(now = new Date()): Promise<{ groups: number; members: number }> {
    const groups = await this.#db
      .deleteFrom('groups')
      .where('closed_at', 'is not', null)
      .where(sql<boolean>`closed_at + make_interval(months => retention_months) < ${now}`)
      .executeTakeFirst();
    const members = await this.#db
      .deleteFrom('members')
      .where('left_at', 'is not', null)
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('groups').select('groups.id').whereRef('groups.id', '=', 'members.group_id').where(sql<boolean>`members.left_at + make_interval(months => groups.retention_months) < ${now}`)),
      )
      .executeTakeFirst();
    return { groups: Number(groups.numDeletedRows), members: Number(members.numDeletedRows) };
  }

  close(): Promise<void> {
    return this.#close();
  }
}
