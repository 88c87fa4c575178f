import type { Attendance, GroupAgenda } from '../protocol/groups.js';
import { groupLimits } from '../protocol/groups.js';
import { textSchema } from '../protocol/fields.js';
import { accept, acceptSealed, refuse, rule, type RuleContext, type Step } from './rules.js';
import type { FeedbackItem, GoalView, GroupSession, PastRound, ProblemOutcome, Round, RoomState } from './state.js';

/** Arriving this long after the start is late even when no check-in round has started yet. */
export const LATE_AFTER_MS = 10 * 60_000;

/** Whether a member came to this session, and whether late: after the check-in round started or `lateAfterMs` after the start. */
export function arrival(group: GroupSession, memberId: string): 'on-time' | 'late' | null {
  const at = group.arrivals[memberId];
  if (at === undefined) return null;
  const late = at > group.startedAt + group.lateAfterMs || (group.checkInStartedAt !== null && at > group.checkInStartedAt);
  return late ? 'late' : 'on-time';
}

const pastRound = (round: Round): PastRound => ({ purpose: round.purpose, prompt: round.prompt, outcomes: round.outcomes, ratings: round.ratings });

/**
 * The facts a session's record needs, read off every change the reducer made: first arrivals,
 * when check-in started, and rounds as they are replaced. Pure; a one-off room is left as it is.
 */
export function observe(before: RoomState, after: RoomState, ctx: RuleContext): RoomState {
  const group = after.group;
  if (!group || after === before) return after;
  let next = group;
  for (const id of group.roster) {
    if (next.arrivals[id] !== undefined) continue;
    const person = after.participants[id];
    if (person?.status === 'admitted' && person.presence === 'online') next = { ...next, arrivals: { ...next.arrivals, [id]: ctx.now } };
  }
  if (next.checkInStartedAt === null && after.round?.purpose === 'check-in') next = { ...next, checkInStartedAt: ctx.now };
  if (before.round && before.round.id !== after.round?.id) next = { ...next, pastRounds: [...next.pastRounds, pastRound(before.round)] };
  return next === group ? after : { ...after, group: next };
}

const locationShape = { location: textSchema(groupLimits.locationLength) };

/** A member says where they are at check-in: for the facilitator's eyes and this session's record only. */
export function confirmLocation(state: RoomState, memberId: string, location: string): Step {
  const group = state.group;
  if (!group?.members[memberId]) return refuse('NOT_A_GROUP_SESSION');
  if (group.locations[memberId] === location) return accept(state);
  // Sealed: not even a version bump tells the group someone confirmed a location.
  return acceptSealed({ ...state, group: { ...group, locations: { ...group.locations, [memberId]: location } } });
}

const sharedGoals = (goals: GoalView[]) => JSON.stringify(goals.filter((goal) => goal.visibleToGroup).map((goal) => [goal.id, goal.text]));

/** The records changed a member's goals (they wrote one between commands): the room shows the new list. */
export function replaceGoals(state: RoomState, memberId: string, goals: GoalView[]): Step {
  const group = state.group;
  const history = group?.members[memberId];
  if (!group || !history) return refuse('NOT_A_GROUP_SESSION');
  const next: RoomState = { ...state, group: { ...group, members: { ...group.members, [memberId]: { ...history, goals } } } };
  // Only a change to what the group sees bumps the group's version.
  return sharedGoals(history.goals) === sharedGoals(goals) ? acceptSealed(next) : accept(next);
}

/** What a session's record holds, read off the room as it ended; members by their group member id. */
export interface GroupSessionOutcome {
  attendance: Record<string, Attendance>;
  ratings: Record<string, number>;
  locations: Record<string, string>;
  /** Released feedback: prompt and items, never who wrote them. */
  feedback: { prompt: string; items: string[] }[];
  rounds: { purpose: string; prompt: string; outcomes: PastRound['outcomes'] }[];
  agenda: GroupAgenda;
  /** Problem-solving exercises: problem, options with the member's marks, plan; never who offered an option. */
  problems: ProblemOutcome[];
}

const itemText = (item: FeedbackItem): string =>
  item.text !== undefined && item.scale !== undefined ? `${item.scale}/5: ${item.text}` : (item.text ?? `${item.scale}/5`);

/** A member still here at the end was present (or late); one who went before the end left early; one never connected was absent. */
export function attendanceOf(state: RoomState, memberId: string): Attendance {
  const group = state.group!;
  const came = arrival(group, memberId);
  if (came === null) return 'absent';
  const person = state.participants[memberId];
  if (!person || person.status !== 'admitted' || person.presence === 'gone') return 'left_early';
  return came === 'late' ? 'late' : 'present';
}

export function sessionOutcome(state: RoomState): GroupSessionOutcome | null {
  const group = state.group;
  if (!group) return null;
  const rounds = state.round ? [...group.pastRounds, pastRound(state.round)] : group.pastRounds;
  const ratings: Record<string, number> = {};
  // A later check-in round's rating stands over an earlier one's.
  for (const round of rounds) if (round.purpose === 'check-in') for (const [id, rating] of Object.entries(round.ratings)) if (group.members[id]) ratings[id] = rating;
  return {
    attendance: Object.fromEntries(group.roster.map((id) => [id, attendanceOf(state, id)])),
    ratings,
    locations: { ...group.locations },
    feedback: state.feedback.results.flatMap((result) => (result.items ? [{ prompt: result.prompt.question, items: result.items.map(itemText) }] : [])),
    rounds: rounds.map((round) => ({ purpose: round.purpose, prompt: round.prompt, outcomes: round.outcomes })),
    // The agenda as it was run, with the facilitator's edits during the session.
    agenda: state.agenda.phases,
    problems: state.problemSolving.past.filter((problem) => group.members[problem.memberId]),
  };
}

export const standingGroupCommands = [rule('location.confirm', 'member', locationShape, (state, command, ctx) => confirmLocation(state, ctx.actor.id, command.location))];
