import { WAITING_MS } from './admission.js';
import type { RoomState } from './state.js';

/**
 * The shape of stored room state this release writes. Bump it with every change to `RoomState`
 * that an older release would misread, and add the step from the previous shape below.
 */
export const STATE_SCHEMA = 4;

/** A stored room as JSON: any schema this release knows, possibly older than its own. */
type StoredRoom = Partial<RoomState> & Record<string, unknown>;

/** Each step turns a room of schema `n` into one of schema `n + 1`; keys are `n`. */
const steps: Record<number, (room: StoredRoom) => StoredRoom> = {
  1: fromSchema1,
  2: fromSchema2,
  3: fromSchema3,
};

/**
 * Schema 1 (rooms stored before they carried a schema) did not keep who may answer the open
 * feedback prompt. A prompt opened then was open to every admitted member but its subject; it
 * keeps that rule, so nobody loses the chance to answer across the upgrade. Closed prompts'
 * counts are not shown anywhere and stay 0. Rooms then had no invite generations and no time
 * limit on waiting without a connection: they get the first and the default.
 */
function fromSchema1(room: StoredRoom): StoredRoom {
  const feedback = room.feedback!;
  const open = feedback.open;
  const subject = open?.about && 'memberId' in open.about ? open.about.memberId : null;
  const eligible = open
    ? room.seats!.filter((id) => {
        const person = room.participants![id];
        return person?.role === 'member' && person.status === 'admitted' && id !== subject;
      })
    : [];
  return {
    ...room,
    schema: 2,
    // Invite links of schema 1 carry no generation: they are generation 0 and keep working.
    inviteGeneration: 0,
    settings: { ...room.settings!, waitingMs: WAITING_MS },
    feedback: {
      ...feedback,
      open: open && { ...open, eligibleCount: eligible.length },
      eligible,
      results: feedback.results.map((result) => ({ ...result, prompt: { ...result.prompt, eligibleCount: result.prompt.eligibleCount ?? 0 } })),
    },
  };
}

/** Schema 2 rooms were all one-off rooms: no standing group's session. */
function fromSchema2(room: StoredRoom): StoredRoom {
  return { ...room, schema: 3, group: null };
}

/**
 * Schema 3 rooms had one facilitator (now the first of its leads), no problem-solving exercise
 * (none running, none ended), no end-to-end encrypted media (a running session keeps its media as
 * it was), phases without themes or prompts, and rounds with no label that never put the room in
 * stick mode (a round running across the upgrade gives no floor mode back when it closes).
 */
function fromSchema3(room: StoredRoom): StoredRoom {
  const { facilitatorId, ...rest } = room;
  const agenda = room.agenda!;
  const round = room.round;
  return {
    ...rest,
    schema: 4,
    facilitatorIds: [String(facilitatorId)],
    problemSolving: { current: null, past: [] },
    settings: { ...room.settings!, mediaEncryption: false },
    agenda: { ...agenda, phases: agenda.phases.map((phase) => ({ ...phase, prompts: phase.prompts ?? [] })) },
    round: round ? { ...round, label: round.label ?? null, restoreMode: round.restoreMode ?? null } : null,
    screenShare: null,
    handout: null,
  };
}

/** The stored room was written by a newer release than this one: this node must not run it. */
export class StateTooNew extends Error {
  constructor(
    readonly roomId: string,
    readonly schema: number,
  ) {
    super(`room ${roomId} is stored in schema ${schema}; this release knows up to ${STATE_SCHEMA}`);
    this.name = 'StateTooNew';
  }
}

/** Bring a room read from storage up to this release's schema; a room with no schema is schema 1. */
export function migrateRoom(stored: StoredRoom): RoomState {
  const from = stored.schema ?? 1;
  if (!Number.isInteger(from) || from < 1) throw new Error(`room ${String(stored.id)} has no valid schema (${String(stored.schema)})`);
  if (from > STATE_SCHEMA) throw new StateTooNew(String(stored.id), from);
  let room = stored;
  for (let schema = from; schema < STATE_SCHEMA; schema++) room = steps[schema]!(room);
  return room as RoomState;
}
