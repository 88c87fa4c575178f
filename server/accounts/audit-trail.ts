import type { Kysely } from 'kysely';
import type { Logger } from '../logger.js';
import type { RecordsDatabase } from '../records/schema.js';

/** What the audit trail records: kinds of actions, never their content. */
export const auditActions = [
  'sign-in',
  'sign-in.failed',
  'sign-out',
  'recovery-code.used',
  'passkey.added',
  'setup-link.issued',
  'account.invited',
  'account.registered',
  'account.removed',
  'group.created',
  'group.changed',
  'group.lead-added',
  'member.added',
  'member.removed',
  'member.link-issued',
  'member.link-revoked',
  'member.data-deleted',
  'room.created',
  'session.started',
  'session.ended',
  'session.admitted',
  'session.removed',
  'session.exported',
  'audit.exported',
] as const;

export type AuditAction = (typeof auditActions)[number];

/** One entry: ids and an address only; no note, goal, answer, prompt or name. */
export interface AuditEntry {
  action: AuditAction;
  /** The account, 'facilitator-key' (break-glass), or null when nobody is known (a failed sign-in). */
  actor: string | null;
  groupId?: string | null;
  /** The id the action was about: an account, member, room or session. */
  subject?: string | null;
  address?: string | null;
}

export interface AuditRecord extends Required<AuditEntry> {
  id: string;
  at: Date;
}

/** The append-only audit trail: the app only inserts and reads (PostgreSQL refuses UPDATE and DELETE by trigger). */
export class AuditTrail {
  readonly #db: Kysely<RecordsDatabase>;
  readonly #logger: Logger;

  constructor(db: Kysely<RecordsDatabase>, logger: Logger) {
    this.#db = db;
    this.#logger = logger;
  }

  async record(entry: AuditEntry, now = new Date()): Promise<void> {
    await this.#db.insertInto('audit').values({ at: now, action: entry.action, actor: entry.actor, group_id: entry.groupId ?? null, subject: entry.subject ?? null, address: entry.address ?? null }).execute();
  }

  /** For events seen off a request (a live room's change): written in the background, a failure logged. */
  note(entry: AuditEntry): void {
    this.record(entry).catch((error: unknown) => this.#logger.error({ err: error, action: entry.action }, 'audit entry could not be written'));
  }

  /** Newest first, in pages: `before` is the last id of the page before. */
  async list(options: { limit: number; before?: string | undefined }): Promise<AuditRecord[]> {
    let query = this.#db.selectFrom('audit').selectAll().orderBy('id', 'desc').limit(options.limit);
    if (options.before) query = query.where('id', '<', options.before);
    const rows = await query.execute();
    return rows.map((row) => ({ id: String(row.id), at: row.at, action: row.action as AuditAction, actor: row.actor, groupId: row.group_id, subject: row.subject, address: row.address }));
  }
}
