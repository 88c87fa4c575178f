import { groupView } from './projection.js';
import { expect } from 'vitest';
import type { ClientCommand, CommandOf, CommandType, FacilitatorCommandType, SystemCommand } from '../protocol/commands.js';
import type { ErrorCode } from '../protocol/errors.js';
import { createRoom, reduce, type Outcome } from './room.js';
import type { Actor, RuleContext } from './rules.js';
import type { RoomSettings, RoomState } from './state.js';

/** Test support for the session model: never imported by the product, never collected as a test. */

export const FACILITATOR = 'facilitator-1';
/** The co-facilitator a test adds with `TestRoom.addFacilitator`. */
export const CO_FACILITATOR = 'facilitator-2';
export const START = Date.UTC(2025, 0, 6, 18, 0, 0);

/** mulberry32: small, seeded, good enough to stand in for the server's cryptographic source. */
export function seededRandomInt(seed: number): (maxExclusive: number) => number {
  let a = seed >>> 0;
  return (maxExclusive) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.floor(unit * maxExclusive);
  };
}

type Body<T extends CommandType> = Omit<CommandOf<T>, 'id' | 'type'>;
type BodyArgs<T extends CommandType> = {} extends Body<T> ? [body?: Body<T>] : [body: Body<T>];

export interface RoomOptions {
  /** Admitted members, all online, seated in join order. */
  members?: number;
  /** Members still in the waiting room. */
  waiting?: number;
  seed?: number;
  settings?: Partial<RoomSettings>;
}

/**
 * A live room driven only through `reduce`: time is a number we move by hand, ids come from a
 * counter, randomness from a seed.
 */
export class TestRoom {
  state: RoomState;
  now = START;
  readonly facilitator = FACILITATOR;
  /** Admitted members, in the order they were let in. */
  readonly members: string[] = [];
  /** Members still waiting, in the order they joined. */
  readonly waiting: string[] = [];
  private ids = 0;
  private commands = 0;
  private joined = 0;
  private readonly randomInt: (maxExclusive: number) => number;

  constructor(options: RoomOptions = {}) {
    this.randomInt = seededRandomInt(options.seed ?? 1);
    this.state = createRoom({
      id: 'room-test-1',
      title: 'Tuesday group',
      facilitatorId: FACILITATOR,
      facilitatorName: 'Dana',
      now: this.now,
      ...(options.settings ? { settings: options.settings } : {}),
    });
    this.must(this.system({ type: 'presence', participantId: FACILITATOR, online: true }));
    for (let i = 0; i < (options.members ?? 0); i++) this.admitNew();
    for (let i = 0; i < (options.waiting ?? 0); i++) this.waiting.push(this.join());
  }

  get ctx(): RuleContext {
    return { now: this.now, newId: () => `generated-${++this.ids}`, randomInt: this.randomInt, anonymise: testAnonymiser };
  }

  /** The i-th admitted member's id. */
  m(index: number): string {
    const id = this.members[index];
    if (id === undefined) throw new Error(`no member ${index}`);
    return id;
  }

  nextCommandId(): string {
    return `command-${++this.commands}`;
  }

  command<T extends CommandType>(type: T, ...[body]: BodyArgs<T>): CommandOf<T> {
    return { id: this.nextCommandId(), type, ...(body ?? {}) } as CommandOf<T>;
  }

  /** Send a command as a participant; an accepted outcome becomes the room's state. */
  send(actorId: string, command: ClientCommand): Outcome {
    const actor: Actor = { role: this.state.participants[actorId]?.role ?? 'member', id: actorId };
    return this.commit(reduce(this.state, actor, command, this.ctx));
  }

  act<T extends CommandType>(actorId: string, type: T, ...body: BodyArgs<T>): Outcome {
    return this.send(actorId, this.command(type, ...body));
  }

  /** The facilitator does something that must succeed (building a scenario). */
  lead<T extends CommandType>(type: T, ...body: BodyArgs<T>): RoomState {
    return this.must(this.act(this.facilitator, type, ...body));
  }

  system(command: SystemCommand): Outcome {
    return this.commit(reduce(this.state, { role: 'system' }, command, this.ctx));
  }

  /** Let time pass, then let the server's timer fire. */
  tickAt(time: number): Outcome {
    this.now = time;
    return this.system({ type: 'tick' });
  }

  after(ms: number): this {
    this.now += ms;
    return this;
  }

  /** Someone joins through the invite and their socket opens, as a browser does. */
  join(name = `Member ${this.joined + 1}`): string {
    const id = `member-${++this.joined}`;
    this.must(this.system({ type: 'join', memberId: id, name }));
    // Their browser connects, as it does right after joining.
    this.must(this.reconnect(id));
    return id;
  }

  /** A second facilitator enters the live room (as the server's seam does), and their socket opens. */
  addFacilitator(id: string = CO_FACILITATOR, name = 'Sam'): string {
    this.must(this.system({ type: 'join.facilitator', facilitatorId: id, name }));
    this.must(this.reconnect(id));
    return id;
  }

  admitNew(name?: string): string {
    const id = this.join(name);
    this.lead('admit', { memberId: id });
    this.members.push(id);
    return id;
  }

  drop(id: string): Outcome {
    return this.system({ type: 'presence', participantId: id, online: false });
  }

  reconnect(id: string): Outcome {
    return this.system({ type: 'presence', participantId: id, online: true });
  }

  must(outcome: Outcome): RoomState {
    if (!outcome.ok) throw new Error(`refused: ${outcome.code}${outcome.detail ? ` (${outcome.detail})` : ''}`);
    return outcome.state;
  }

  private commit(outcome: Outcome): Outcome {
    if (outcome.ok) this.state = outcome.state;
    return outcome;
  }
}

export const groupRoom = (options: RoomOptions = {}): TestRoom => new TestRoom(options);

/** The command was refused with `code` and the room is exactly as it was. */
export function expectRefused(room: TestRoom, actorId: string, command: ClientCommand, code: ErrorCode): void {
  const before = room.state;
  const outcome = room.send(actorId, command);
  expect(outcome).toMatchObject({ ok: false, code });
  expect(room.state).toBe(before);
}

/** The command was accepted and published exactly one new version. */
export function expectPublished(outcome: Outcome, before: RoomState): RoomState {
  expect(outcome).toMatchObject({ ok: true, published: true, duplicate: false });
  if (!outcome.ok) throw new Error('unreachable');
  expect(outcome.state.version).toBe(before.version + 1);
  return outcome.state;
}

/**
 * The command was accepted and stored, but sealed: no new version and not one byte of the group
 * view changed, so nobody but its author and the facilitator's private view can tell.
 */
export function expectSealed(outcome: Outcome, before: RoomState): RoomState {
  expect(outcome).toMatchObject({ ok: true, published: false, stored: true, duplicate: false });
  if (!outcome.ok) throw new Error('unreachable');
  expect(outcome.state.version).toBe(before.version);
  expect(outcome.state.revision).toBe(before.revision + 1);
  expect(JSON.stringify(groupView(outcome.state))).toBe(JSON.stringify(groupView(before)));
  return outcome.state;
}

type FacilitatorBodies = { [T in FacilitatorCommandType]: (room: TestRoom) => Omit<CommandOf<T>, 'id' | 'type'> };

/** One well-formed example of every facilitator command (for a room of 3 members, 1 waiting, m(2)'s hand up, m(0) needing a moment). */
export const facilitatorExamples: FacilitatorBodies = {
  admit: (room) => ({ memberId: room.waiting[0]! }),
  'admit.all': (room) => ({ memberIds: [...room.waiting] }),
  decline: (room) => ({ memberId: room.waiting[0]! }),
  remove: (room) => ({ memberId: room.m(1) }),
  'seats.reorder': (room) => ({ order: [...room.state.seats].reverse() }),
  'agenda.set': () => ({ phases: [{ name: 'Only phase', floorMode: 'queue' }] }),
  'phase.go': () => ({ index: 1 }),
  'phase.add': () => ({ phase: { name: 'Closing', floorMode: 'open', theme: 'Endings', prompts: ['What do you take home?'] } }),
  'phase.edit': () => ({ index: 2, phase: { name: 'Work', theme: 'Trust' } }),
  'phase.move': () => ({ index: 4, to: 3 }),
  'phase.remove': () => ({ index: 3 }),
  'floor.mode': () => ({ mode: 'stick' }),
  'floor.grant': (room) => ({ to: room.m(1) }),
  'floor.next': () => ({}),
  'floor.release': () => ({}),
  'queue.reorder': (room) => ({ order: [...room.state.floor.queue] }),
  'queue.remove': (room) => ({ memberId: room.m(2) }),
  'member.mute': (room) => ({ memberId: room.m(1), muted: true }),
  'round.start': () => ({ round: roundSettings() }),
  'round.next': () => ({}),
  'round.end': () => ({}),
  'scene.start': (room) => ({ title: 'Talking to my father', cast: [{ role: 'Me', kind: 'protagonist', memberId: room.m(1) }] }),
  'scene.reverse': () => ({ roleA: 0, roleB: 1 }),
  'scene.freeze': () => ({}),
  'scene.resume': () => ({}),
  'scene.end': () => ({}),
  'scene.double': (room) => ({ part: 0, memberId: room.m(0) }),
  'scene.swap': (room) => ({ part: 0, memberId: room.m(0) }),
  'scene.undouble': () => ({ part: 1 }),
  'problem.start': (room) => ({ memberId: room.m(0), anonymous: false, k: 3 }),
  'problem.next': () => ({}),
  'problem.end': () => ({}),
  'feedback.open': () => ({ question: 'What stayed with you?', answer: 'text', audience: 'group', k: 3 }),
  'feedback.close': () => ({}),
  'alert.ack': (room) => ({ memberId: room.m(0) }),
  'encryption.set': () => ({ on: false }),
  'handout.show': () => ({ handout: { kind: 'text', text: 'The window of tolerance' } }),
  'handout.hide': () => ({}),
  'session.end': () => ({}),
};

/** Round settings with the defaults the schema would fill in. */
export const roundSettings = (
  settings: Partial<CommandOf<'round.start'>['round']> = {},
): CommandOf<'round.start'>['round'] => ({ prompt: 'How are you arriving today?', order: 'seats', moodScale: false, ...settings });

/** Table rows as [title, row] pairs, so vitest prints each case's whole title, unquoted. */
export const table = <const T extends { name: string }>(rows: readonly T[]): [string, T][] => rows.map((row) => [row.name, row]);

/** A keyed-hash stand-in for the server's HMAC: deterministic, and it never contains the member id. */
export const testAnonymiser = (memberId: string, promptId: string): string => {
  let hash = 0x811c9dc5;
  for (const char of `${promptId}:${memberId}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return `tag-${hash.toString(36)}`;
};
