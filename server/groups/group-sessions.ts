import type { ErrorCode } from '../../shared/protocol/errors.js';
import type { MemberSession, StartedSession } from '../../shared/protocol/groups.js';
import type { GroupSessionPlan } from '../../shared/session/group-room.js';
import { sessionOutcome } from '../../shared/session/standing-group.js';
import type { GoalView, MemberHistory, RoomState } from '../../shared/session/state.js';
import type { TokenSigner } from '../access/tokens.js';
import { leadSeat } from '../accounts/facilitator-seat.js';
import type { Logger } from '../logger.js';
import type { Goal, GroupRecords, MemberIdentity } from '../records/group-records.js';
import { RecordsRefusal } from '../records/group-records.js';
import type { RoomActor } from '../rooms/room-actor.js';
import type { RoomDirectory, RoomHandle } from '../rooms/room-directory.js';
import { Leads } from '../rooms/leads.js';

/** How many past sessions' ratings the facilitator sees beside each member. */
export const RATING_TREND = 5;

/** No session of the group is running: the member is told when the next one is. */
export class NoSessionRunning extends Error {
  constructor(readonly nextSessionAt: Date | null) {
    super('NO_SESSION_RUNNING');
  }
}

/** The room refused a member's entry (e.g. REMOVED after their link was revoked, ROOM_FULL). */
export class EntryRefused extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
  ) {
    super(code);
  }
}

export interface GroupSessionsDeps {
  records: GroupRecords;
  rooms: RoomDirectory;
  signer: TokenSigner;
  logger: Logger;
  sessionTtlMs: number;
  nextSessionAt(groupId: string): Promise<Date | null>;
}

const goalView = (goal: Goal): GoalView => ({
  id: goal.id,
  text: goal.text,
  visibleToGroup: goal.visibleToGroup,
  progress: goal.progress.map((entry) => ({ note: entry.note, at: entry.createdAt.getTime() })),
});

/**
 * Standing groups meeting in the live room: a session opens a room built from the group's records,
 * personal links lead into it as the same member every week, and its end writes the record. The
 * records are read and written here, at those boundaries, never while a live command is applied.
 */
export class GroupSessions {
  readonly #deps: GroupSessionsDeps;
  readonly #writing = new Set<Promise<void>>();
  readonly #leads: Leads;

  constructor(deps: GroupSessionsDeps) {
    this.#deps = deps;
    this.#leads = new Leads({ signer: deps.signer, sessionTtlMs: deps.sessionTtlMs });
    // Whichever node applies `session.end` writes the record, once: the transition is seen only there.
    deps.rooms.onActor((actor) => actor.onChange((after, before) => this.#ended(actor, after, before)));
  }

  /** Open the group's next numbered session: its record first, then the room under the record's id. */
  async start(groupId: string, facilitatorName: string, by?: string): Promise<StartedSession> {
    const { records, rooms } = this.#deps;
    const group = await records.getGroup(groupId);
    if (!group) throw new RecordsRefusal('NOT_FOUND', 'no such group');
    const plan = await this.#plan(groupId);
    await this.#closeOrphan(groupId);
    const session = await records.startSession(groupId);
    const room = await rooms.create(group.name, { name: facilitatorName, ...(by ? { id: leadSeat(by) } : {}) }, { ...plan, sessionId: session.sessionId, number: session.number, agenda: group.agenda, memberCap: group.memberCap, agreement: group.agreement, feedbackK: group.feedbackK });
    const token = this.#leads.session(room, undefined, by);
    if ('ok' in token) throw new EntryRefused(token.code, token.detail);
    return { roomId: room.id, number: session.number, token: token.token };
  }

  /** A lead of the group enters its running session as a facilitator (the lead who started it, or a co-lead). */
  async facilitate(groupId: string, lead: { accountId: string; name: string }): Promise<StartedSession> {
    const room = await this.#running(groupId);
    if (!room) throw new NoSessionRunning(await this.#deps.nextSessionAt(groupId));
    const entered = await this.#leads.admit(room, { facilitatorId: leadSeat(lead.accountId), name: lead.name, by: lead.accountId });
    if ('ok' in entered) throw new EntryRefused(entered.code, entered.detail);
    return { roomId: room.id, number: room.state.group?.number ?? 0, token: entered.token };
  }

  /** A member's personal link leads into the group's running room, as themselves: no waiting room. */
  async enter(member: MemberIdentity): Promise<MemberSession> {
    const room = await this.#running(member.groupId);
    if (!room) throw new NoSessionRunning(await this.#deps.nextSessionAt(member.groupId));
    const result = await room.dispatch({ role: 'system' }, { type: 'join.member', memberId: member.memberId });
    if (!result.ok) throw new EntryRefused(result.code, result.detail);
    const token = this.#deps.signer.session({ room: room.id, sub: member.memberId, role: 'member' }, this.#deps.sessionTtlMs);
    return { roomId: room.id, memberId: member.memberId, number: room.state.group?.number ?? 0, token };
  }

  /** The member's link stopped counting (revoked, left the group, data deleted): out of a running session at once. */
  async revoke(groupId: string, memberId: string): Promise<void> {
    const room = await this.#running(groupId);
    if (!room) return;
    const result = await room.dispatch({ role: 'system' }, { type: 'member.revoke', memberId });
    if (!result.ok) this.#deps.logger.warn({ code: result.code }, 'a revoked member could not be taken out of the running session');
  }

  /** A member's goals changed in the records: a running session shows the new list. */
  async goalsChanged(groupId: string, memberId: string): Promise<void> {
    const room = await this.#running(groupId);
    if (!room?.state.group?.members[memberId]) return;
    const goals = (await this.#deps.records.goalsOf(memberId)).map(goalView);
    const result = await room.dispatch({ role: 'system' }, { type: 'member.goals', memberId, goals });
    if (!result.ok) this.#deps.logger.warn({ code: result.code }, 'a member’s goals could not be shown in the running session');
  }

  /** The room of the group's session that has not ended, or null. */
  async #running(groupId: string): Promise<RoomHandle | null> {
    const [latest] = await this.#deps.records.sessions(groupId);
    if (!latest || latest.endedAt) return null;
    const room = await this.#deps.rooms.get(latest.id);
    return room && room.state.endedAt === null ? room : null;
  }

  /**
   * A session the records call running whose room is gone (a crash lost it) or ended without its
   * record (the write failed) would keep the group from ever meeting again: it is closed with what
   * the room still knows, or with nothing.
   */
  async #closeOrphan(groupId: string): Promise<void> {
    const [latest] = await this.#deps.records.sessions(groupId);
    if (!latest || latest.endedAt) return;
    const room = await this.#deps.rooms.get(latest.id);
    if (room && room.state.endedAt === null) return;
    const outcome = (room && sessionOutcome(room.state)) ?? { attendance: {}, ratings: {}, locations: {}, feedback: [], rounds: [] };
    this.#deps.logger.warn({ room: latest.id }, room ? 'a session ended without its record: written now' : 'a session’s room was lost: its record is closed empty');
    await this.#deps.records.endSession(latest.id, outcome, room?.state.endedAt ? new Date(room.state.endedAt) : new Date());
  }

  /** What the records say about each current member, read once as the session starts. */
  async #plan(groupId: string): Promise<Pick<GroupSessionPlan, 'groupId' | 'members'>> {
    const { records } = this.#deps;
    const [roster, ratings, attendance, goals] = await Promise.all([
      records.roster(groupId),
      records.lastRatings(groupId, RATING_TREND),
      records.lastAttendance(groupId, 1),
      records.goalsByMember(groupId),
    ]);
    const members = roster.map((member) => {
      const history: MemberHistory = {
        name: member.name,
        ratings: ratings[member.id] ?? [],
        lastAttendance: attendance[member.id]?.at(-1)?.status ?? null,
        goals: (goals[member.id] ?? []).map(goalView),
        emergencyContact: member.emergencyContact,
      };
      return { id: member.id, history };
    });
    return { groupId, members };
  }

  #ended(actor: RoomActor, after: RoomState, before: RoomState): void {
    if (!after.group || before.endedAt !== null || after.endedAt === null) return;
    const outcome = sessionOutcome(after);
    if (!outcome) return;
    const write = this.#deps.records.endSession(after.group.sessionId, outcome, new Date(after.endedAt)).catch((error: unknown) => {
      if (error instanceof RecordsRefusal && error.code === 'SESSION_ENDED') return;
      this.#deps.logger.error({ err: error, room: actor.id }, 'the session’s record could not be written');
    });
    this.#writing.add(write);
    void write.finally(() => this.#writing.delete(write));
  }

  /** Resolves once every session record being written has been (before the records close). */
  async idle(): Promise<void> {
    await Promise.all([...this.#writing]);
  }
}
