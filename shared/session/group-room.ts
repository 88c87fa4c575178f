import type { GroupAgenda } from '../protocol/groups.js';
import { agendaPhase } from './agenda.js';
import { createRoom } from './room.js';
import { LATE_AFTER_MS } from './standing-group.js';
import type { MemberHistory, RoomSettings, RoomState } from './state.js';

/** What a group session's room is made from, beside the room's own title and facilitator. */
export type GroupSessionPlan = Omit<GroupSessionInit, 'title' | 'facilitatorId' | 'facilitatorName' | 'now' | 'settings'>;

export interface GroupSessionInit {
  /** The session's record id, which is also the room's id. */
  sessionId: string;
  groupId: string;
  number: number;
  title: string;
  facilitatorId: string;
  facilitatorName: string;
  now: number;
  agenda: GroupAgenda;
  memberCap: number;
  agreement: string;
  feedbackK: number;
  /** The current members in roster order, with what their records say. */
  members: { id: string; history: MemberHistory }[];
  settings?: Partial<RoomSettings>;
}

/** A live room for one numbered session of a standing group: the group's agenda, cap and roster. */
export function groupRoom(init: GroupSessionInit): RoomState {
  const room = createRoom({ id: init.sessionId, title: init.title, facilitatorId: init.facilitatorId, facilitatorName: init.facilitatorName, now: init.now, settings: { ...init.settings, maxMembers: init.memberCap } });
  return {
    ...room,
    agenda: { phases: init.agenda.map(agendaPhase), current: 0 },
    group: {
      groupId: init.groupId,
      sessionId: init.sessionId,
      number: init.number,
      startedAt: init.now,
      lateAfterMs: LATE_AFTER_MS,
      checkInStartedAt: null,
      roster: init.members.map((member) => member.id),
      members: Object.fromEntries(init.members.map((member) => [member.id, member.history])),
      arrivals: {},
      locations: {},
      pastRounds: [],
      agenda: init.agenda,
      agreement: init.agreement,
      feedbackK: init.feedbackK,
    },
  };
}

