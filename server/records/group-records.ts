import type { Kysely } from 'kysely';
import type { RecordsDatabase } from './schema.js';
import type { ErrorCode } from '../../shared/protocol/errors.js';
import type { z } from 'zod';
import type { Attendance, CreateGroup, goalSchema, GroupAgenda, GroupSettings, noteSchema, rosterMemberSchema, sessionSummarySchema, UpdateGroup } from '../../shared/protocol/groups.js';
import type { RoundOutcome } from '../../shared/session/state.js';

/** A standing group as the facilitator set it up. */
export type Group = GroupSettings;

/** A member as the facilitator sees them (rosterMemberSchema), in their group. */
export type Member = z.output<typeof rosterMemberSchema> & { groupId: string };

/** Who a personal link belongs to. */
export interface MemberIdentity {
  groupId: string;
  memberId: string;
  name: string;
}

export type Goal = z.output<typeof goalSchema> & { memberId: string; updatedAt: Date };

export type Note = z.output<typeof noteSchema> & { groupId: string; updatedAt: Date };

export type SessionSummary = z.output<typeof sessionSummarySchema>;

/** One round of a session as it ended: its prompt and how each member's turn went. */
export interface RoundRecord {
  purpose: string;
  prompt: string;
  outcomes: Record<string, RoundOutcome>;
}

export interface ProblemRecord {
  memberId: string;
  problem: string | null;
  options: { text: string; fits: boolean | null }[];
  plan: string | null;
}

/** What the live room hands over when a session ends; members by their group member id. */
export interface SessionOutcome {
  attendance: Record<string, Attendance>;
  /** Check-in ratings, 1-10. */
  ratings: Record<string, number>;
  /** The location each member confirmed at check-in, in their words. */
  locations: Record<string, string>;
  /** Released anonymous feedback: each prompt with its items in release order, never their authors. */
  feedback: { prompt: string; items: string[] }[];
  rounds: RoundRecord[];
  /** Problem-solving exercises: problem, options with the member's marks, plan; never who offered an option. */
  problems?: ProblemRecord[];
  /** The agenda the session actually ran (phases, themes, prompts); the group's default if omitted. */
  agenda?: GroupAgenda;
}

/** Everything one session left behind, for export. */
export interface SessionRecord extends SessionSummary {
  group: { id: string; name: string };
  agenda: GroupAgenda;
  attendance: { memberId: string; name: string; status: Attendance }[];
  ratings: { memberId: string; name: string; rating: number }[];
  locations: { memberId: string; name: string; location: string }[];
  rounds: RoundRecord[];
  problems: ProblemRecord[];
  feedback: { prompt: string; items: string[] }[];
  notes: Note[];
}

export type RecordsErrorCode = Extract<ErrorCode, 'NOT_FOUND' | 'GROUP_FULL' | 'GROUP_CLOSED' | 'NAME_TAKEN' | 'SESSION_RUNNING' | 'SESSION_ENDED'>;

/** A refusal from the records: the API answers it with its code; nothing was changed. */
export class RecordsRefusal extends Error {
  constructor(
    readonly code: RecordsErrorCode,
    readonly detail?: string,
  ) {
    super(detail ?? code);
  }
}

/**
 * A standing group's records (groups, members, sessions, attendance, ratings, goals, notes,
 * locations, released feedback). Written at session boundaries and on facilitator or member
 * actions, never on a live command's hot path. Content is sealed before it leaves the process.
 */
export interface GroupRecords {
  /** Create a group; retention defaults to the server's RECORDS_RETENTION_MONTHS. */
  createGroup(input: CreateGroup, now?: Date): Promise<Group>;
  /** Every group, open first, then by name. */
  listGroups(): Promise<Group[]>;
  getGroup(groupId: string): Promise<Group | null>;
  /** Change a group's settings or close/reopen it; null when there is no such group. */
  updateGroup(groupId: string, change: UpdateGroup, now?: Date): Promise<Group | null>;

  /** Add a member and issue their personal link secret (shown once: only its hash is kept). */
  addMember(groupId: string, input: { name: string; emergencyContact?: string | undefined }, now?: Date): Promise<{ member: Member; link: string }>;
  /** Members of a group, current first; with `includeLeft` also those who left. */
  roster(groupId: string, includeLeft?: boolean): Promise<Member[]>;
  /** Set or clear a member's emergency contact. */
  setEmergencyContact(groupId: string, memberId: string, contact: string | null): Promise<Member>;
  /** The member leaves the group: seat freed, link revoked, records kept until retention ends. */
  removeMember(groupId: string, memberId: string, now?: Date): Promise<void>;
  /** Issue a new personal link secret; the one before stops working at once. */
  issueLink(groupId: string, memberId: string, now?: Date): Promise<string>;
  /** Revoke the member's link; they have none until one is issued again. */
  revokeLink(groupId: string, memberId: string): Promise<void>;
  /** Delete the member and everything recorded about them (rows deleted, not flagged). */
  deleteMemberData(groupId: string, memberId: string): Promise<void>;
  /** Who a personal link secret belongs to; null for an unknown or revoked link, or a closed group or departed member. */
  verifyMemberLink(secret: string): Promise<MemberIdentity | null>;

  /** Open the group's next numbered session ("Session 7"); refused SESSION_RUNNING while one has not ended. */
  startSession(groupId: string, now?: Date): Promise<{ sessionId: string; number: number }>;
  /** Write a session's record at its end: attendance, ratings, locations, released feedback, rounds. */
  endSession(sessionId: string, outcome: SessionOutcome, now?: Date): Promise<void>;
  /** The group's sessions, newest first. */
  sessions(groupId: string): Promise<SessionSummary[]>;
  /** One session's whole record, for export; null when there is none. */
  sessionRecord(groupId: string, number: number): Promise<SessionRecord | null>;
  /** Each current member's check-in ratings of the last `count` ended sessions, oldest first: the trend "since the last meeting". */
  lastRatings(groupId: string, count?: number): Promise<Record<string, { session: number; rating: number }[]>>;
  /** Each member's attendance in the last `count` ended sessions, oldest first. */
  lastAttendance(groupId: string, count?: number): Promise<Record<string, { session: number; status: Attendance }[]>>;

  /** Every goal of the group's members with its progress notes (the facilitator's view); by member id. */
  goalsByMember(groupId: string): Promise<Record<string, Goal[]>>;
  /** One member's own goals. */
  goalsOf(memberId: string): Promise<Goal[]>;
  addGoal(memberId: string, input: { text: string; visibleToGroup: boolean }, now?: Date): Promise<Goal>;
  updateGoal(memberId: string, goalId: string, change: { text?: string | undefined; visibleToGroup?: boolean | undefined }, now?: Date): Promise<Goal>;
  addProgress(memberId: string, goalId: string, note: string, now?: Date): Promise<Goal>;

  /** The facilitator's notes of a group, optionally only those about one session or member. */
  notes(groupId: string, about?: { session?: number | undefined; memberId?: string | undefined }): Promise<Note[]>;
  addNote(groupId: string, input: { text: string; session?: number | undefined; memberId?: string | undefined }, now?: Date): Promise<Note>;
  updateNote(groupId: string, noteId: string, text: string, now?: Date): Promise<Note>;
  deleteNote(groupId: string, noteId: string): Promise<void>;

  /** Delete what is past retention: closed groups and departed members older than their group's retention. */
  purgeExpired(now?: Date): Promise<{ groups: number; members: number }>;
  /** The database the records live in: facilitators' accounts and the audit trail share it. */
  readonly database: Kysely<RecordsDatabase>;
  close(): Promise<void>;
}
