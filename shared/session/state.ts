import type { FloorMode } from '../protocol/commands.js';
import type { Attendance, GroupAgenda } from '../protocol/groups.js';

/** The whole authoritative state of one group room. Plain JSON: it is stored as is. */
export interface RoomState {
  /** The shape this state is stored in (see migrations.ts), so a newer release can read an older one. */
  schema: number;
  id: string;
  title: string;
  /** Bumped on every change the group or facilitator can see; clients apply version + 1 only. */
  version: number;
  /** Bumped on every stored change, including ones nobody may see (a feedback item). */
  revision: number;
  createdAt: number;
  /** Who leads the room, the one who opened it first; each has the facilitator's powers and view. */
  facilitatorIds: string[];
  settings: RoomSettings;
  participants: Record<string, Participant>;
  /** The circle, in order; identical on every screen. */
  seats: string[];
  agenda: Agenda;
  floor: Floor;
  round: Round | null;
  scene: Scene | null;
  feedback: FeedbackState;
  /** The problem-solving exercise running now, and those that ended (for a standing group's record). */
  problemSolving: { current: ProblemExercise | null; past: ProblemOutcome[] };
  /** "I need a moment" signals, for the facilitator's eyes. */
  alerts: Alert[];
  /** Ids of the last commands applied per participant, so a retry is never applied twice. */
  applied: Record<string, string[]>;
  endedAt: number | null;
  /** Invite links carry the generation they were made in; replacing the link bumps it. */
  inviteGeneration: number;
  /** Set when this room is a numbered session of a standing group; null for a one-off room. */
  group: GroupSession | null;
  /** Whose screen the SFU carries now (only a facilitator's), as the server saw its producer. */
  screenShare: { by: string; since: number } | null;
  /** What the facilitator shows everyone: a short text or a small image. */
  handout: Handout | null;
}

/** An image handout keeps its bytes (base64) here; views get them from the room, not in every broadcast. */
export type Handout =
  | { id: string; kind: 'text'; title: string | null; text: string; shownAt: number }
  | { id: string; kind: 'image'; title: string | null; mime: 'image/png' | 'image/jpeg' | 'image/webp'; alt: string; data: string; bytes: number; shownAt: number };

/** A member's goal as the live room holds it (loaded from the group's records). */
export interface GoalView {
  id: string;
  text: string;
  visibleToGroup: boolean;
  progress: { note: string; at: number }[];
}

/** What the records say about one member when the session starts: the facilitator's eyes only, but for their own goals. */
export interface MemberHistory {
  name: string;
  /** Check-in ratings of the last sessions, oldest first. */
  ratings: { session: number; rating: number }[];
  /** Attendance in the session before this one, or null when they were not a member then. */
  lastAttendance: Attendance | null;
  goals: GoalView[];
  /** Whom to call in an emergency; the facilitator's eyes only, and only when it matters. */
  emergencyContact: string | null;
}

/** A round as it ended, kept for the session's record. */
export interface PastRound {
  purpose: RoundPurpose;
  prompt: string;
  outcomes: Record<string, RoundOutcome>;
  ratings: Record<string, number>;
}

/** A live session of a standing group: the room's id is the session's record id. */
export interface GroupSession {
  groupId: string;
  sessionId: string;
  /** "Session 7". */
  number: number;
  startedAt: number;
  /** Arriving this long after the start counts as late even before a check-in round. */
  lateAfterMs: number;
  /** When the first check-in round started; arriving after it counts as late. */
  checkInStartedAt: number | null;
  /** Members of the group in roster order: their seats keep this order every week. */
  roster: string[];
  members: Record<string, MemberHistory>;
  /** When each member's first socket of this session opened. */
  arrivals: Record<string, number>;
  /** Where each member said they are, at check-in, in their words. */
  locations: Record<string, string>;
  /** Rounds that ended or were replaced, oldest first; the current one is in `round`. */
  pastRounds: PastRound[];
  /** The agenda as the group planned it, with themes and prompts. */
  agenda: GroupAgenda;
  /** The group's agreement, shown to everyone in the room. */
  agreement: string;
  /** The group's feedback threshold: no prompt of this session releases below it. */
  feedbackK: number;
}

export interface RoomSettings {
  maxMembers: number;
  maxWaiting: number;
  /** How long a dropped member keeps seat and queue place. */
  graceMs: number;
  /** How long someone waiting stays on the list without a connection (joined but never connected, or dropped). */
  waitingMs: number;
  /** How long before a time box ends the speaker is warned. */
  warnBeforeMs: number;
  /** Browsers seal audio and video end to end (keys the server never holds). */
  mediaEncryption: boolean;
}

export type Role = 'facilitator' | 'member';
/** declined, removed and left are final: that session token opens nothing again. */
export type AdmissionStatus = 'waiting' | 'admitted' | 'declined' | 'removed' | 'left';

export interface Participant {
  id: string;
  name: string;
  role: Role;
  status: AdmissionStatus;
  /** away: dropped, seat and queue place kept until awayUntil; gone: the grace period passed. */
  presence: 'online' | 'away' | 'gone';
  awayUntil: number | null;
  muted: boolean;
  steppedAway: 'private' | 'group' | null;
}

/** One phase of the session plan: moving to it sets its floor mode; its theme and prompts are offered to rounds and feedback. */
export interface AgendaPhase {
  name: string;
  floorMode?: FloorMode;
  theme?: string;
  prompts: string[];
}

export interface Agenda {
  phases: AgendaPhase[];
  current: number;
}

export interface Turn {
  holder: string;
  startedAt: number;
  endsAt: number | null;
  warnAt: number | null;
  /** Length of the time box, so the stick can carry it on to the next seat. */
  timeBoxMs: number | null;
}

export interface Floor {
  mode: FloorMode;
  turn: Turn | null;
  /** Raised hands in the order the queue should be served. */
  queue: string[];
  /** Milliseconds each participant held the floor; the facilitator's eyes only. */
  airtime: Record<string, number>;
  /** Anonymous "me too" for the current turn: who is kept only to allow one each. */
  meToo: { count: number; by: string[] };
}

export type RoundPurpose = 'check-in' | 'check-out' | 'sharing' | 'custom';
export type RoundOutcome = 'spoke' | 'passed' | 'timed-out' | 'skipped' | 'absent';

export interface Round {
  id: string;
  purpose: RoundPurpose;
  /** What a custom round is called ("Appreciations"); null for the other purposes. */
  label: string | null;
  prompt: string;
  order: 'seats' | 'random' | 'volunteers';
  timeBoxMs: number | null;
  moodScale: boolean;
  /** Who speaks, in order; with volunteers it grows as people volunteer. */
  speakers: string[];
  /** Index into speakers of the current speaker; speakers.length when everyone is through. */
  position: number;
  outcomes: Record<string, RoundOutcome>;
  ratings: Record<string, number>;
  closed: boolean;
  /** The floor mode before the round put the room in stick mode, restored when it closes; null when it was stick already. */
  restoreMode: FloorMode | null;
}

export type CastKind = 'protagonist' | 'antagonist' | 'double' | 'other';

export interface CastPart {
  role: string;
  kind: CastKind;
  memberId: string;
  /** A double who stepped in mid-scene: the index in the cast of the part they stand behind. */
  behind?: number;
}

export interface Scene {
  id: string;
  title: string;
  setting: string | null;
  cast: CastPart[];
  startedAt: number;
  endsAt: number | null;
  frozenAt: number | null;
}

export type FeedbackAnswer = 'text' | 'scale' | 'both';
export type FeedbackAbout = { memberId: string } | { scene: true } | null;

export interface FeedbackPrompt {
  id: string;
  question: string;
  answer: FeedbackAnswer;
  about: FeedbackAbout;
  audience: 'facilitator' | 'group';
  k: number;
  /** How many members may answer (here when it opened, not the one it is about): a count anyone can match against the faces in the circle. */
  eligibleCount: number;
}

export interface FeedbackItem {
  text?: string;
  scale?: number;
}

export interface FeedbackState {
  open: FeedbackPrompt | null;
  /** Who may answer the open prompt, fixed when it opened; only these count toward k. Forgotten at close. */
  eligible: string[];
  /**
   * Who answered, as keyed tags (see Anonymiser), kept apart from the items and sorted, so
   * neither identity, order nor time of submission can be read from the store. Forgotten at close.
   */
  submitters: string[];
  /** Each item is inserted at a random position: storage order says nothing of arrival order. */
  items: FeedbackItem[];
  /**
   * Command ids of the answers, sorted, so a retried answer is recognised without recording who
   * sent it. Forgotten at close with the rest.
   */
  receipts: string[];
  results: FeedbackResult[];
}

export interface FeedbackResult {
  prompt: FeedbackPrompt;
  /** Released items, shuffled; null when fewer than k members answered. */
  items: FeedbackItem[] | null;
}

export type ProblemStep = 'define' | 'options' | 'weigh' | 'plan';

export interface ProblemOption {
  id: string;
  text: string;
  /** Who offered it aloud; null when the options were anonymous. */
  by: string | null;
  /** The member's mark at the weigh step; null until they mark it. */
  fits: boolean | null;
}

export interface ProblemExercise {
  id: string;
  /** The member who brings the problem. */
  memberId: string;
  step: ProblemStep;
  problem: string | null;
  /** Options come in as anonymous feedback answers to `promptId`, released at weigh only if k answered. */
  anonymous: boolean;
  k: number;
  promptId: string | null;
  options: ProblemOption[];
  /** Anonymous options were withheld: fewer than k members offered one. */
  withheld: boolean;
  plan: string | null;
  startedAt: number;
}

/** What a standing group's record keeps of an exercise: never who offered which option. */
export interface ProblemOutcome {
  memberId: string;
  problem: string | null;
  options: { text: string; fits: boolean | null }[];
  plan: string | null;
}

export interface Alert {
  memberId: string;
  at: number;
}
