import { commandRules, type ClientCommand, type SystemCommand } from '../protocol/commands.js';
import type { Rejection } from '../protocol/errors.js';
import type { GroupAgenda } from '../protocol/groups.js';
import * as admission from './admission.js';
import { WAITING_MS } from './admission.js';
import * as agenda from './agenda.js';
import * as floor from './floor.js';
import { STATE_SCHEMA } from './migrations.js';
import * as round from './round.js';
import { screenShared } from './screen-share.js';
import { accept, refuse, type Actor, type CommandRule, type RuleContext, type Step } from './rules.js';
import * as scene from './scene.js';
import * as standingGroup from './standing-group.js';
import type { RoomSettings, RoomState } from './state.js';

export const defaultSettings: RoomSettings = { maxMembers: 12, maxWaiting: 20, graceMs: 60_000, waitingMs: WAITING_MS, warnBeforeMs: 30_000, mediaEncryption: true };

/** How many command ids per participant are remembered for de-duplication. */
export const APPLIED_MEMORY = 64;

/** Each command's rule, by type; a command's type always selects the rule made for it. */
const rulesByType: ReadonlyMap<string, CommandRule> = new Map(commandRules.map((rule) => [rule.type, rule]));

/** A new room; with `agenda`, it starts with those phases instead of the default ones. */
export function createRoom(init: { id: string; title: string; facilitatorId: string; facilitatorName: string; now: number; settings?: Partial<RoomSettings>; agenda?: GroupAgenda }): RoomState {
  return {
    schema: STATE_SCHEMA,
    id: init.id,
    title: init.title,
    version: 1,
    revision: 1,
    createdAt: init.now,
    facilitatorIds: [init.facilitatorId],
    settings: { ...defaultSettings, ...init.settings },
    participants: {
      [init.facilitatorId]: {
        id: init.facilitatorId,
        name: init.facilitatorName,
        role: 'facilitator',
        status: 'admitted',
        presence: 'gone',
        awayUntil: null,
        muted: false,
        steppedAway: null,
      },
    },
    seats: [init.facilitatorId],
    agenda: { phases: init.agenda ? init.agenda.map(agenda.agendaPhase) : agenda.defaultAgenda.phases.map((phase) => ({ ...phase })), current: 0 },
    floor: { mode: 'open', turn: null, queue: [], airtime: {}, meToo: { count: 0, by: [] } },
    round: null,
    scene: null,
    feedback: { open: null, eligible: [], submitters: [], items: [], receipts: [], results: [] },
    problemSolving: { current: null, past: [] },
    alerts: [],
    applied: {},
    endedAt: null,
    inviteGeneration: 0,
    group: null,
    screenShare: null,
    handout: null,
  };
}

export type Outcome =
  | {
      ok: true;
      state: RoomState;
      /** Something anyone may see changed: version was bumped, projections must go out. */
      published: boolean;
      /** Anything at all changed: the state must be stored. */
      stored: boolean;
      duplicate: boolean;
    }
  | Rejection;

/** Apply one command, from a participant or from the server itself. Pure. */
export function reduce(state: RoomState, actor: Actor, command: ClientCommand | SystemCommand, ctx: RuleContext): Outcome {
  if (actor.role === 'system') return settle(state, systemStep(state, command as SystemCommand, ctx), null, ctx);
  const clientCommand = command as ClientCommand;
  const person = state.participants[actor.id];
  if (!person) return refuse('UNAUTHENTICATED');
  const shut = admission.shutOut(person.status);
  if (shut) return refuse(shut);
  const rule = rulesByType.get(clientCommand.type);
  if (!rule) return refuse('INVALID', 'unknown command');
  // Who may send what is decided from the rule table alone: here by admission, below by role.
  if (!rule.statuses.some((status) => status === person.status)) return refuse('NOT_ADMITTED');
  if (state.endedAt !== null) return refuse('SESSION_ENDED');
  // A feedback answer is remembered by its command id alone, never next to who sent it.
  const anonymous = clientCommand.type === 'feedback.submit';
  const seen = anonymous ? state.feedback.receipts : state.applied[actor.id];
  if (seen?.includes(clientCommand.id)) {
    return { ok: true, state, published: false, stored: false, duplicate: true };
  }
  const isFacilitator = person.role === 'facilitator';
  if (rule.sender === 'facilitator' && !isFacilitator) return refuse('FORBIDDEN');
  if (rule.sender === 'member' && isFacilitator) return refuse('FORBIDDEN', 'this is for members');
  const record = anonymous ? null : { participantId: person.id, commandId: clientCommand.id };
  const step = rule.apply(state, clientCommand, { ...ctx, actor: { id: person.id, role: person.role } });
  return settle(state, step, record, ctx);
}

function settle(before: RoomState, applied: Step, record: { participantId: string; commandId: string } | null, ctx: RuleContext): Outcome {
  if (!applied.ok) return applied;
  // A standing group's session keeps what its record needs (arrivals, rounds) beside every change.
  const step = { ...applied, state: standingGroup.observe(before, applied.state, ctx) };
  const changed = step.state !== before;
  if (!changed && !record) return { ok: true, state: before, published: false, stored: false, duplicate: false };
  let state = step.state;
  if (record) {
    const seen = state.applied[record.participantId] ?? [];
    state = { ...state, applied: { ...state.applied, [record.participantId]: [...seen.slice(-(APPLIED_MEMORY - 1)), record.commandId] } };
  }
  const published = changed && !step.sealed;
  return {
    ok: true,
    state: { ...state, revision: before.revision + 1, version: published ? before.version + 1 : before.version },
    published,
    stored: true,
    duplicate: false,
  };
}

function systemStep(state: RoomState, command: SystemCommand, ctx: RuleContext): Step {
  if (state.endedAt !== null && (command.type === 'join' || command.type === 'join.member' || command.type === 'join.facilitator')) return refuse('SESSION_ENDED');
  switch (command.type) {
    case 'join':
      return admission.join(state, command.memberId, command.name, command.invite ?? 0, ctx);
    case 'join.member':
      return admission.joinMember(state, command.memberId, ctx);
    case 'join.facilitator':
      return admission.joinFacilitator(state, command.facilitatorId, command.name);
    case 'member.revoke':
      return admission.revokeMember(state, command.memberId, ctx);
    case 'member.goals':
      return standingGroup.replaceGoals(state, command.memberId, command.goals);
    case 'invite.replace':
      return admission.replaceInvite(state);
    case 'presence':
      return admission.presence(state, command.participantId, command.online, ctx);
    case 'screen.shared':
      return screenShared(state, command.participantId, command.on, ctx);
    case 'tick':
      return accept(expire(state, ctx));
  }
}

/** Everything whose deadline has passed: absences, time boxes, scene timer. */
function expire(state: RoomState, ctx: RuleContext): RoomState {
  let next = admission.expireAbsences(state, ctx);
  next = round.expire(next, ctx);
  next = floor.expireTurn(next, ctx);
  return scene.expire(next, ctx);
}

/** The earliest moment at which a tick would change something, or null. */
export function nextDeadline(state: RoomState): number | null {
  if (state.endedAt !== null) return null;
  const times: number[] = [];
  if (state.floor.turn?.endsAt != null) times.push(state.floor.turn.endsAt);
  if (state.scene?.endsAt != null && state.scene.frozenAt === null) times.push(state.scene.endsAt);
  for (const person of Object.values(state.participants)) if (person.awayUntil !== null) times.push(person.awayUntil);
  return times.length === 0 ? null : Math.min(...times);
}
