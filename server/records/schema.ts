import type { ColumnType, Generated } from 'kysely';

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
  accounts: AccountRow;
  credentials: CredentialRow;
  sign_ins: SignInRow;
  account_invitations: InvitationRow;
  recovery_codes: RecoveryCodeRow;
  passkey_challenges: ChallengeRow;
  group_leads: GroupLeadRow;
  room_owners: RoomOwnerRow;
  audit: AuditRow;
}

/** A facilitator: 'admin' manages accounts; every account sees only the groups it leads. */
export interface AccountRow {
  id: string;
  name: string;
  role: string;
  created_at: Time;
  removed_at: Time | null;
}

/** A passkey: its credential id and public key (base64url), the signature counter. */
export interface CredentialRow {
  id: string;
  account_id: string;
  public_key: string;
  counter: ColumnType<string, number, number>;
  transports: Json<unknown>;
  created_at: Time;
  last_used_at: Time | null;
}

export interface SignInRow {
  /** SHA-256 of the cookie's secret. */
  id_hash: string;
  account_id: string;
  created_at: Time;
  last_seen_at: Time;
  expires_at: Time;
  ended_at: Time | null;
}

export interface InvitationRow {
  token_hash: string;
  role: string;
  created_by: string | null;
  created_at: Time;
  expires_at: Time;
  used_at: Time | null;
}

export interface RecoveryCodeRow {
  code_hash: string;
  account_id: string;
  used_at: Time | null;
}

export interface ChallengeRow {
  challenge: string;
  purpose: string;
  subject: string | null;
  expires_at: Time;
}

export interface GroupLeadRow {
  group_id: string;
  account_id: string;
  added_at: Time;
}

export interface RoomOwnerRow {
  room_id: string;
  account_id: string;
  created_at: Time;
}

export interface AuditRow {
  id: Generated<string>;
  at: Time;
  action: string;
  actor: string | null;
  group_id: string | null;
  subject: string | null;
  address: string | null;
}
