import { t } from '../i18n/index.js';
import { useRoom } from '../session/room-context.js';
import { nameOf } from '../session/room-view.js';
import { FeedbackPanel } from './feedback-panel.js';
import { HandoutCard } from './handout-card.js';
import { Icon } from './icons.js';
import { ProblemPanel } from './problem-panel.js';
import { RoundPanel } from './round-panel.js';
import { SharedGoals } from './shared-goals.js';

/** What is happening now, beside the circle: the round, feedback, the queue, and a standing group's shared goals. */
export function ActivityPanel() {
  const { group, self, me, isFacilitator } = useRoom();
  const round = group.round;
  const showRound = round && (!round.closed || isFacilitator);
  const queue = group.floor.queue;
  // Anonymous problem-solving ideas are a feedback prompt underneath; the problem card shows them.
  const ownPrompt = group.feedback.open !== null && group.feedback.open.id !== group.problem?.promptId;
  const hasFeedback = ownPrompt || group.feedback.results.length > 0;
  const steppedAway = self.role === 'member' ? self.steppedAway : null;
  return (
    <div class="activity">
      {steppedAway && (
        <section class="card card--calm" aria-label={t('room:activity.steppedAwayLabel')}>
          <p>
            <Icon name="pause" class="icon" /> {steppedAway === 'group' ? t('room:activity.steppedAwayGroup') : t('room:activity.steppedAway')}
          </p>
        </section>
      )}
      {group.handout && <HandoutCard handout={group.handout} />}
      {showRound &&
        (round.closed ? (
          <details class="card card--folded" open>
            <summary>{t('room:activity.lastRound')}</summary>
            <RoundPanel round={round} />
          </details>
        ) : (
          <RoundPanel round={round} />
        ))}
      {group.problem && <ProblemPanel problem={group.problem} />}
      {group.floor.mode === 'queue' && group.floor.heldBy === null && !group.scene && (
        <section class="card" aria-labelledby="queue-title">
          <h2 id="queue-title" class="card__title">
            {t('room:activity.raisedHands')}
          </h2>
          {queue.length === 0 ? (
            <p class="quiet">
              {t('room:activity.noHands')}
              {!isFacilitator && ` ${t('room:activity.noHandsHint')}`}
            </p>
          ) : (
            <ol class="queue-list">
              {queue.map((id, i) => (
                <li key={id} class={id === me ? 'queue-list__me' : undefined}>
                  <span class="queue-list__number">{i + 1}</span> <bdi data-user-text>{nameOf(group, id)}</bdi>
                  {id === me && ` ${t('room:seat.you')}`}
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
      {hasFeedback && <FeedbackPanel />}
      <SharedGoals />
    </div>
  );
}
