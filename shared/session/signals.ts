import type { CommandOf } from '../protocol/commands.js';
import { accept, acceptSealed, refuse, type RuleContext, type Step } from './rules.js';
import type { Participant, RoomState } from './state.js';

/** "I need a moment": the facilitator is told privately; the group sees "stepped away" only if asked. */
export function needMoment(state: RoomState, memberId: string, command: CommandOf<'moment.need'>, ctx: RuleContext): Step {
  const person = state.participants[memberId]!;
  const steppedAway: Participant['steppedAway'] = command.tellGroup ? 'group' : 'private';
  const alerts = state.alerts.some((alert) => alert.memberId === memberId) ? state.alerts : [...state.alerts, { memberId, at: ctx.now }];
  if (person.steppedAway === steppedAway && alerts === state.alerts) return accept(state);
  const next: RoomState = { ...state, alerts, participants: { ...state.participants, [memberId]: { ...person, steppedAway } } };
  // Unless the member asked the group to be told, not even a version bump may give them away.
  const groupSees = steppedAway === 'group' || person.steppedAway === 'group';
  return groupSees ? accept(next) : acceptSealed(next);
}

export function back(state: RoomState, memberId: string): Step {
  const person = state.participants[memberId]!;
  if (person.steppedAway === null) return accept(state);
  const next: RoomState = {
    ...state,
    alerts: state.alerts.filter((alert) => alert.memberId !== memberId),
    participants: { ...state.participants, [memberId]: { ...person, steppedAway: null } },
  };
  return person.steppedAway === 'group' ? accept(next) : acceptSealed(next);
}

export function acknowledge(state: RoomState, command: CommandOf<'alert.ack'>): Step {
  if (!state.alerts.some((alert) => alert.memberId === command.memberId)) return refuse('NOT_FOUND');
  return acceptSealed({ ...state, alerts: state.alerts.filter((alert) => alert.memberId !== command.memberId) });
}
