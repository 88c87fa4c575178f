import type { Attendance } from '../../../../shared/protocol/groups.js';
import type { MemberPanelView } from '../../../../shared/session/projection.js';

const attendanceWords: Record<Attendance, string> = { present: 'came last time', late: 'came late last time', absent: 'missed last time', left_early: 'left early last time' };

/** Beside a member in the check-in, for the facilitator: ratings since the last meetings, last attendance, goals, where they are. */
export function MemberHistory({ member }: { member: MemberPanelView }) {
  const trend = member.ratings.map((r) => r.rating).join(' → ');
  return (
    <span class="member-history" data-history={member.name}>
      {trend && <span title="Check-in moods of the last sessions, oldest first"> · before: {trend}</span>}
      {member.lastAttendance && <span> · {attendanceWords[member.lastAttendance]}</span>}
      {member.location && <span> · at {member.location}</span>}
      {member.goals.length > 0 && (
        <details class="member-history__goals">
          <summary>
            {member.goals.length} goal{member.goals.length === 1 ? '' : 's'}
          </summary>
          <ul>
            {member.goals.map((goal) => (
              <li key={goal.id}>
                {goal.text}
                {goal.visibleToGroup ? ' (shared)' : ' (private)'}
                {goal.progress.length > 0 && ` · latest: ${goal.progress[goal.progress.length - 1]!.note}`}
              </li>
            ))}
          </ul>
        </details>
      )}
    </span>
  );
}
