import { t } from '../i18n/index.js';
import { useRoom } from '../session/room-context.js';
import { nameOf } from '../session/room-view.js';

/** In a standing group's session: the goals members chose to share, so the group can name each other's progress. */
export function SharedGoals() {
  const { group } = useRoom();
  const goals = group.groupSession?.sharedGoals ?? [];
  if (goals.length === 0) return null;
  return (
    <details class="card card--folded">
      <summary>{t('room:activity.goals', { count: goals.length })}</summary>
      <ul class="shared-goals">
        {goals.map((goal) => (
          <li key={goal.goalId} data-shared-goal={goal.memberId}>
            <bdi data-user-text>{nameOf(group, goal.memberId)}</bdi>: <span data-user-text>{goal.text}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
