import type { MemberPanelView } from '../../../../shared/session/projection.js';
import { t } from '../../i18n/index.js';

/** Beside a member in the check-in, for the facilitator: ratings since the last meetings, last attendance, goals, where they are. */
export function MemberHistory({ member }: { member: MemberPanelView }) {
  const trend = member.ratings.map((r) => r.rating).join(' → ');
  return (
    <span class="member-history" data-history={member.name}>
      {trend && <span title={t('facilitator:history.moods')}> · {t('facilitator:history.before', { trend })}</span>}
      {member.lastAttendance && <span> · {t(`facilitator:history.attendance.${member.lastAttendance}`)}</span>}
      {member.location && <span> · {t('facilitator:history.at', { place: member.location })}</span>}
      {member.goals.length > 0 && (
        <details class="member-history__goals">
          <summary>{t('facilitator:history.goals', { count: member.goals.length })}</summary>
          <ul>
            {member.goals.map((goal) => (
              <li key={goal.id}>
                <span data-user-text>{goal.text}</span> {goal.visibleToGroup ? t('facilitator:history.shared') : t('facilitator:history.private')}
                {goal.progress.length > 0 && (
                  <>
                    {' · '}
                    {t('facilitator:history.latest', { note: goal.progress[goal.progress.length - 1]!.note })}
                  </>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
    </span>
  );
}
