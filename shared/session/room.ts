import { facilitatorCommandTypes, type ClientCommand, type SystemCommand } from '../protocol/commands.js';
import type { Rejection } from '../protocol/errors.js';
import * as admission from './admission.js';
import * as agenda from './agenda.js';
import * as feedback from './feedback.js';
import * as floor from './floor.js';
import { STATE_SCHEMA } from './migrations.js';
import * as round from './round.js';
import { accept, refuse, type Actor, type RuleContext, type Step } from './rules.js';
import * as scene from './scene.js';
import * as signals from './signals.js';
import type { RoomSettings, RoomState } from './state.js';

export const defaultSettings: RoomSettings = { maxMembers: 12, maxWaiting: 20, graceMs: 60_000, warnBeforeMs: 30_000 };

/** How many command ids per participant are remembered for de-duplication. */
export const APPLIED_MEMORY = 64;

export function createRoom(init: { id: string; title: string; facilitatorId: string; facilitatorName: string; now: number; settings?: Partial<RoomSettings> }): RoomState {
  return {
    schema: STATE_SCHEMA,
    id: init.id,
    title: init.title,
    version: 1,
    revision: 1,
    createdAt: init.now,
    facilitatorId: init.facilitatorId,
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
    agenda: { phases: agenda.defaultAgenda.phases.map((phase) => ({ ...phase })), current: 0 },
    floor: { mode: 'open', turn: null, queue: [], airtime: {}, meToo: { count: 0, by: [] } },
    round: null,
    scene: null,
    feedback: { open: null, submitters: [], items: [], receipts: [], results: [] },
    alerts: [],
    applied: {},
    endedAt: null,
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
  if (actor.role === 'system') return settle(state, systemStep(state, command as SystemCommand, ctx), null);
  const clientCommand = command as ClientCommand;
  const person = state.participants[actor.id];
  if (!person) return refuse('UNAUTHENTICATED');
  if (person.status === 'removed') return refuse('REMOVED');
  if (person.status === 'declined') return refuse('DECLINED');
  if (person.status === 'waiting') return refuse('NOT_ADMITTED');
  if (state.endedAt !== null) return refuse('SESSION_ENDED');
  // A feedback answer is remembered by its command id alone, never next to who sent it.
  const anonymous = clientCommand.type === 'feedback.submit';
  const seen = anonymous ? state.feedback.receipts : state.applied[actor.id];
  if (seen?.includes(clientCommand.id)) {
    return { ok: true, state, published: false, stored: false, duplicate: true };
  }
  const isFacilitator = person.role === 'facilitator';
  if (facilitatorCommandTypes.has(clientCommand.type) && !isFacilitator) return refuse('FORBIDDEN');
  const record = anonymous ? null : { participantId: person.id, commandId: clientCommand.id };
  return settle(state, commandStep(state, person.id, isFacilitator, clientCommand, ctx), record);
}

function settle(before: RoomState, step: Step, record: { participantId: string; commandId: string } | null): Outcome {
  if (!step.ok) return step;
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
  if (state.endedAt !== null && command.type === 'join') return refuse('SESSION_ENDED');
  switch (command.type) {
    case 'join':
      return admission.join(state, command.memberId, command.name);
    case 'presence':
      return admission.presence(state, command.participantId, command.online, ctx);
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

/**
 * The facilitator closes the session: an open feedback prompt closes by its own rule (released
 * only if k answered), everything live stops, and nothing more is accepted.
 */
function endSession(state: RoomState, ctx: RuleContext): Step {
  let next = state;
  if (next.feedback.open) {
    const closed = feedback.close(next, ctx);
    if (closed.ok) next = closed.state;
  }
  next = floor.handFloor(next, null, ctx, null);
  return accept({
    ...next,
    round: next.round && { ...next.round, closed: true },
    scene: null,
    alerts: [],
    floor: { ...next.floor, queue: [], meToo: { count: 0, by: [] } },
    endedAt: ctx.now,
  });
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

function commandStep(state: RoomState, actorId: string, isFacilitator: boolean, command: ClientCommand, ctx: RuleContext): Step {
  const self = { role: isFacilitator ? ('facilitator' as const) : ('member' as const), id: actorId };
  const membersOnly = (step: () => Step): Step => (isFacilitator ? refuse('FORBIDDEN', 'this is for members') : step());
  switch (command.type) {
    case 'admit':
      return admission.admit(state, command);
    case 'decline':
      return admission.decline(state, command);
    case 'remove':
      return admission.remove(state, command, ctx);
    case 'seats.reorder':
      return admission.reorderSeats(state, command);
    case 'agenda.set':
      return agenda.setAgenda(state, command);
    case 'phase.go':
      return agenda.goToPhase(state, command);
    case 'floor.mode':
      return floor.setMode(state, command);
    case 'floor.grant':
      return floor.grant(state, command, ctx);
    case 'floor.next':
      return floor.next(state, command, ctx);
    case 'floor.release':
      return floor.release(state, ctx);
    case 'queue.reorder':
      return floor.reorderQueue(state, command);
    case 'queue.remove':
      return floor.removeFromQueue(state, command);
    case 'member.mute':
      return floor.mute(state, command);
    case 'round.start':
      return round.start(state, command, ctx);
    case 'round.next':
      return round.skip(state, ctx);
    case 'round.end':
      return round.end(state, ctx);
    case 'scene.start':
      return scene.start(state, command, ctx);
    case 'scene.reverse':
      return scene.reverse(state, command);
    case 'scene.freeze':
      return scene.freeze(state, ctx);
    case 'scene.resume':
      return scene.resume(state, ctx);
    case 'scene.end':
      return scene.end(state, command, ctx);
    case 'feedback.open':
      return feedback.open(state, command, ctx);
    case 'feedback.close':
      return feedback.close(state, ctx);
    case 'alert.ack':
      return signals.acknowledge(state, command);
    case 'session.end':
      return endSession(state, ctx);
    case 'hand.raise':
      return membersOnly(() => floor.raiseHand(state, self));
    case 'hand.lower':
      return floor.lowerHand(state, actorId);
    case 'stick.pass':
      return floor.passStick(state, command, self, ctx);
    case 'turn.done':
      return state.round && !state.round.closed ? round.done(state, actorId, 'spoke', ctx) : floor.finishTurn(state, self, ctx);
    case 'round.pass':
      return round.done(state, actorId, 'passed', ctx);
    case 'round.volunteer':
      return membersOnly(() => round.volunteer(state, actorId, ctx));
    case 'round.rate':
      return membersOnly(() => round.rate(state, actorId, command));
    case 'feedback.submit':
      return membersOnly(() => feedback.submit(state, actorId, command, ctx));
    case 'moment.need':
      return membersOnly(() => signals.needMoment(state, actorId, command, ctx));
    case 'moment.back':
      return membersOnly(() => signals.back(state, actorId));
    case 'meToo':
      return membersOnly(() => floor.meToo(state, self));
    case 'leave':
      return admission.leave(state, actorId, ctx);
  }
}
