import type { FloorMode } from '../protocol/commands.js';
import { hasAnswered, mayAnswer } from './feedback.js';
import { floorOwner } from './floor.js';
import { currentSpeaker } from './round.js';
import { arrival } from './standing-group.js';
import { isFacilitator, type Anonymiser } from './rules.js';
import { mayBeHeard, type Silence } from './speech.js';
import type { Attendance } from '../protocol/groups.js';
import type { Agenda, AdmissionStatus, FeedbackItem, FeedbackPrompt, GoalView, Handout, ProblemExercise, Role, RoomState, RoundOutcome, RoundPurpose, Scene } from './state.js';

/** What every admitted participant sees: identical bytes for all, so it is encoded once. */
export interface GroupView {
  roomId: string;
  title: string;
  version: number;
  /** The session plan: each phase's floor mode, theme and prompts, and which phase the session is in. */
  agenda: Agenda;
  seats: SeatView[];
  floor: {
    mode: FloorMode;
    /** A running round, a scene or a problem-solving member holds the floor; null while conversation is free. */
    heldBy: 'round' | 'scene' | 'problem' | null;
    /** The talking stick is what passes the floor now (stick mode, nothing else holding it). */
    stick: boolean;
    turn: { holder: string; startedAt: number; endsAt: number | null; warnAt: number | null } | null;
    queue: string[];
    meToo: number;
  };
  round: RoundView | null;
  scene: Scene | null;
  feedback: { open: FeedbackPrompt | null; results: FeedbackResultView[] };
  problem: ProblemView | null;
  ended: boolean;
  /** Audio and video are sealed end to end in the browsers (the room's setting). */
  mediaEncryption: boolean;
  /** A standing group's session: its number and the goals members chose to share; null for a one-off room. */
  groupSession: GroupSessionView | null;
  /** Whose screen is on the stage now; null when nobody shares. */
  screenShare: { by: string } | null;
  /** What the facilitator shows: an image's bytes are fetched from the room by its id, never broadcast. */
  handout: HandoutView | null;
}

/** The problem-solving exercise as everyone sees it: anonymous options appear only once released, without authors. */
export type ProblemView = Omit<ProblemExercise, 'startedAt'> & {
  /** How many members may offer an anonymous option (fixed when the step opened); null for named options. */
  eligibleCount: number | null;
};
export type HandoutView =
  | { id: string; kind: 'text'; title: string | null; text: string }
  | { id: string; kind: 'image'; title: string | null; mime: string; alt: string; bytes: number };

export interface GroupSessionView {
  number: number;
  agreement: string;
  /** Goals whose members chose to let the group see them, in seat order. */
  sharedGoals: { memberId: string; goalId: string; text: string }[];
}

/** One member of a standing group as the facilitator sees them during a session. */
export interface MemberPanelView {
  memberId: string;
  name: string;
  /** Check-in ratings of the last sessions, oldest first: the trend "since the last meeting". */
  ratings: { session: number; rating: number }[];
  lastAttendance: Attendance | null;
  /** Every goal, shared or not, with its progress notes. */
  goals: GoalView[];
  /** Where they said they are at this session's check-in, or null. */
  location: string | null;
  /** Here in this session (a socket of theirs opened), and whether that was late. */
  arrived: 'on-time' | 'late' | null;
}

export interface FacilitatorGroupView {
  groupId: string;
  number: number;
  /** The group's feedback threshold: the least k any prompt of this session releases at. */
  feedbackK: number;
  members: MemberPanelView[];
}

export interface SeatView {
  id: string;
  name: string;
  role: Role;
  presence: 'online' | 'away' | 'gone';
  steppedAway: boolean;
  muted: boolean;
  /** Why this person cannot be heard now, or null when they can. */
  silenced: Silence | null;
}

export interface RoundView {
  id: string;
  purpose: RoundPurpose;
  /** A custom round's own label; null for check-in, check-out and sharing. */
  label: string | null;
  prompt: string;
  order: 'seats' | 'random' | 'volunteers';
  timeBoxMs: number | null;
  moodScale: boolean;
  speakers: string[];
  current: string | null;
  next: string | null;
  /** Who has had their turn; whether they spoke or passed is for the facilitator only. */
  done: string[];
  closed: boolean;
}

export interface FeedbackResultView {
  prompt: FeedbackPrompt;
  status: 'released' | 'withheld';
  /** Present only where this audience may read them. */
  items?: FeedbackItem[];
}

/**
 * What only the facilitator sees, on top of the group view. Self views carry no version: they
 * are sent only when they change, so a change elsewhere must not touch them.
 */
export interface FacilitatorView {
  role: 'facilitator';
  you: { id: string; name: string };
  /** online: connected now; away: not connected, and leaves the list unless they connect soon. */
  waiting: { id: string; name: string; presence: 'online' | 'away' }[];
  airtime: Record<string, number>;
  round: { id: string; outcomes: Record<string, RoundOutcome>; ratings: Record<string, number> } | null;
  alerts: AlertView[];
  feedbackResults: { promptId: string; items: FeedbackItem[] }[];
  /** A standing group's session: the roster with history, goals and locations; null for a one-off room. */
  group: FacilitatorGroupView | null;
}

export interface AlertView {
  memberId: string;
  name: string;
  at: number;
  toldGroup: boolean;
  /**
   * The member is not connected any more: where they said they are and whom to call (a standing
   * group's member only; null otherwise, or while they are connected).
   */
  dropped: { location: string | null; emergencyContact: string | null } | null;
}

/** What one member privately sees about themselves. */
export interface MemberView {
  role: 'member';
  roomTitle: string;
  you: { id: string; name: string; status: AdmissionStatus };
  steppedAway: 'private' | 'group' | null;
  /**
   * The open prompt as it concerns this member, or null. It names the prompt, so it changes, and
   * is sent, whenever a prompt opens or closes, even though an answer itself sends nothing.
   */
  feedback: { promptId: string; mayAnswer: boolean; answered: boolean } | null;
  myRating: number | null;
  /** In a standing group's session: this member's own goals, and the location they confirmed (null until then). */
  group: { goals: GoalView[]; location: string | null } | null;
}

export type SelfView = FacilitatorView | MemberView;

function handoutView(handout: Handout | null): HandoutView | null {
  if (!handout) return null;
  if (handout.kind === 'text') return { id: handout.id, kind: 'text', title: handout.title, text: handout.text };
  return { id: handout.id, kind: 'image', title: handout.title, mime: handout.mime, alt: handout.alt, bytes: handout.bytes };
}

export function groupView(state: RoomState): GroupView {
  const round = state.round;
  const turn = state.floor.turn;
  return {
    roomId: state.id,
    title: state.title,
    version: state.version,
    agenda: state.agenda,
    seats: state.seats.map((id) => {
      const person = state.participants[id]!;
      const heard = mayBeHeard(state, id);
      return {
        id,
        name: person.name,
        role: person.role,
        presence: person.presence,
        steppedAway: person.steppedAway === 'group',
        muted: person.muted,
        silenced: heard.allowed ? null : heard.reason,
      };
    }),
    floor: {
      mode: state.floor.mode,
      heldBy: floorOwner(state),
      stick: state.floor.mode === 'stick' && floorOwner(state) === null,
      turn: turn && { holder: turn.holder, startedAt: turn.startedAt, endsAt: turn.endsAt, warnAt: turn.warnAt },
      queue: state.floor.queue,
      meToo: state.floor.meToo.count,
    },
    round: round && {
      id: round.id,
      purpose: round.purpose,
      label: round.label,
      prompt: round.prompt,
      order: round.order,
      timeBoxMs: round.timeBoxMs,
      moodScale: round.moodScale,
      speakers: round.speakers,
      current: currentSpeaker(round),
      next: round.closed ? null : (round.speakers[round.position + 1] ?? null),
      done: round.speakers.filter((id) => round.outcomes[id] !== undefined),
      closed: round.closed,
    },
    scene: state.scene,
    feedback: {
      open: state.feedback.open,
      results: state.feedback.results.map((result) => {
        const status = result.items ? 'released' : 'withheld';
        return result.items && result.prompt.audience === 'group' ? { prompt: result.prompt, status, items: result.items } : { prompt: result.prompt, status };
      }),
    },
    problem: problemView(state),
    ended: state.endedAt !== null,
    mediaEncryption: state.settings.mediaEncryption,
    screenShare: state.screenShare && { by: state.screenShare.by },
    handout: handoutView(state.handout),
    groupSession: state.group && {
      number: state.group.number,
      agreement: state.group.agreement,
      sharedGoals: state.seats.flatMap((id) =>
        (state.group!.members[id]?.goals ?? []).filter((goal) => goal.visibleToGroup).map((goal) => ({ memberId: id, goalId: goal.id, text: goal.text })),
      ),
    },
  };
}

function problemView(state: RoomState): ProblemView | null {
  const exercise = state.problemSolving.current;
  if (!exercise) return null;
  const prompt = state.feedback.open?.id === exercise.promptId ? state.feedback.open : null;
  const { startedAt: _private, ...seen } = exercise;
  return { ...seen, eligibleCount: prompt?.eligibleCount ?? null };
}

function facilitatorGroupView(state: RoomState): FacilitatorGroupView | null {
  const group = state.group;
  if (!group) return null;
  return {
    groupId: group.groupId,
    number: group.number,
    feedbackK: group.feedbackK,
    members: group.roster.map((memberId) => {
      const history = group.members[memberId]!;
      return {
        memberId,
        name: history.name,
        ratings: history.ratings,
        lastAttendance: history.lastAttendance,
        goals: history.goals,
        location: group.locations[memberId] ?? null,
        arrived: arrival(group, memberId),
      };
    }),
  };
}

/** What the facilitator `facilitatorId` sees; in a co-led room each lead sees the same but for `you`. */
export function facilitatorView(state: RoomState, facilitatorId: string = state.facilitatorIds[0]!): FacilitatorView {
  const me = state.participants[facilitatorId]!;
  const members = Object.values(state.participants);
  return {
    role: 'facilitator',
    you: { id: me.id, name: me.name },
    waiting: members.filter((p) => p.status === 'waiting').map((p) => ({ id: p.id, name: p.name, presence: p.presence === 'online' ? 'online' : 'away' })),
    airtime: state.floor.airtime,
    round: state.round && { id: state.round.id, outcomes: state.round.outcomes, ratings: state.round.ratings },
    alerts: state.alerts.map((alert) => {
      const person = state.participants[alert.memberId]!;
      const history = state.group?.members[alert.memberId];
      const dropped = history && person.presence !== 'online' ? { location: state.group!.locations[alert.memberId] ?? null, emergencyContact: history.emergencyContact } : null;
      return { memberId: alert.memberId, name: person.name, at: alert.at, toldGroup: person.steppedAway === 'group', dropped };
    }),
    feedbackResults: state.feedback.results
      .filter((result) => result.items && result.prompt.audience === 'facilitator')
      .map((result) => ({ promptId: result.prompt.id, items: result.items! })),
    group: facilitatorGroupView(state),
  };
}

export function memberView(state: RoomState, memberId: string, anonymise: Anonymiser): MemberView {
  const me = state.participants[memberId]!;
  const round = state.round;
  const prompt = state.feedback.open;
  return {
    role: 'member',
    roomTitle: state.title,
    you: { id: me.id, name: me.name, status: me.status },
    steppedAway: me.steppedAway,
    feedback: prompt && { promptId: prompt.id, mayAnswer: mayAnswer(state, memberId), answered: hasAnswered(state, memberId, anonymise) },
    myRating: round && !round.closed ? (round.ratings[memberId] ?? null) : null,
    group: state.group && { goals: state.group.members[memberId]?.goals ?? [], location: state.group.locations[memberId] ?? null },
  };
}

export function selfView(state: RoomState, participantId: string, anonymise: Anonymiser): SelfView {
  return isFacilitator(state, participantId) ? facilitatorView(state, participantId) : memberView(state, participantId, anonymise);
}
