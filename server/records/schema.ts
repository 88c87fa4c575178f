import type { ColumnType } from 'kysely';

/** The tables of a standing group's records, as Kysely sees them. `sealed` columns hold ciphertext (see cipher.ts). */

type Time = ColumnType<Date, Date, Date>;
type Json<T> = ColumnType<T, string, string>;
type Sealed = string;

export interface GroupRow {
  id: string;
  name: string;
  agreement: string;
  /** {weekday, time, timeZone, durationMinutes} */
  cadence: Json<unknown>;
  /** The default agenda: phases with optional theme and prompts. */
  agenda: Json<unknown>;
  feedback_k: number;
  member_cap: number;
  retention_months: number;
  created_at: Time;
  closed_at: Time | null;
}

export interface MemberRow {
  id: string;
  group_id: string;
  name: string;
  /** SHA-256 of the personal link's secret; null once revoked. */
  link_hash: string | null;
  link_issued_at: Time | null;
  added_at: Time;
  left_at: Time | null;
  emergency_contact: Sealed | null;
}

export interface SessionRow {
  id: string;
  group_id: string;
  number: number;
  started_at: Time;
  ended_at: Time | null;
  /** The agenda this session ran: phases, themes and prompts. */
  agenda: Json<unknown>;
  /** Round outcomes and other summary facts, sealed. */
  summary: Sealed | null;
}

export interface AttendanceRow {
  session_id: string;
  member_id: string;
  status: string;
}

export interface RatingRow {
  session_id: string;
  member_id: string;
  rating: Sealed;
}

export interface NoteRow {
  id: string;
  group_id: string;
  session_id: string | null;
  member_id: string | null;
  text: Sealed;
  created_at: Time;
  updated_at: Time;
}

export interface GoalRow {
  id: string;
  member_id: string;
  text: Sealed;
  visible_to_group: boolean;
  created_at: Time;
  updated_at: Time;
}

export interface ProgressRow {
  id: string;
  goal_id: string;
  note: Sealed;
  created_at: Time;
}

export interface LocationRow {
  session_id: string;
  member_id: string;
  location: Sealed;
}

/** Released anonymous feedback: the prompt and its answers, never who wrote which. */
export interface FeedbackRow {
  id: string;
  session_id: string;
  position: number;
  prompt: Sealed;
  items: Sealed;
}

export interface RecordsDatabase {
  groups: GroupRow;
  members: MemberRow;
  sessions: SessionRow;
  attendance: AttendanceRow;
  ratings: RatingRow;
  notes: NoteRow;
  goals: GoalRow;
  goal_progress: ProgressRow;
  locations: LocationRow;
  released_feedback: FeedbackRow;
}
