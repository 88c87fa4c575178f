import { z } from 'zod';
import { idSchema } from '../protocol/fields.js';
import { accept, acceptSealed, refuse, rule, type Fields, type RuleContext, type Step } from './rules.js';
import type { Participant, RoomState } from './state.js';

const needShape = { tellGroup: z.boolean() };
const ackShape = { memberId: idSchema };

/** "I need a moment": the facilitator is told privately; the group sees "stepped away" only if asked. */
export function needMoment(state: RoomState, memberId: string, command: Fields<typeof needShape>, ctx: RuleContext): Step {
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

export function acknowledge(state: RoomState, command: Fields<typeof ackShape>): Step {
  if (!state.alerts.some((alert) => alert.memberId === command.memberId)) return refuse('NOT_FOUND');
  return acceptSealed({ ...state, alerts: state.alerts.filter((alert) => alert.memberId !== command.memberId) });
}

export const signalCommands = [
  rule('alert.ack', 'facilitator', ackShape, acknowledge),
  rule('moment.need', 'member', needShape, (state, command, ctx) => needMoment(state, ctx.actor.id, command, ctx)),
  rule('moment.back', 'member', {}, (state, _command, ctx) => back(state, ctx.actor.id)),
];
