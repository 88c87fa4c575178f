import type { RoundView } from '../../../shared/session/projection.js';
import { language, t } from '../i18n/index.js';
import { useRoom } from '../session/room-context.js';
import { nameOf, roundTitle } from '../session/room-view.js';
import { MemberHistory } from './facilitator/member-history.js';
import { RoundSteps } from './facilitator/round-steps.js';
import { LocationPrompt } from './location-prompt.js';
import { Icon } from './icons.js';

/** A go-around (check-in or the sharing after a scene): the prompt, who speaks now and next. */
export function RoundPanel({ round }: { round: RoundView }) {
  const { group, self, me, isFacilitator, act } = useRoom();
  const myTurn = round.current === me && !round.closed;
  const title = roundTitle(round);
  const facilitatorRound = self.role === 'facilitator' && self.round?.id === round.id ? self.round : null;
  // A standing group's session: what the records say about each member, for the facilitator only.
  const history = Object.fromEntries((self.role === 'facilitator' && self.group?.members ? self.group.members : []).map((member) => [member.memberId, member]));
  const myRating = self.role === 'member' ? self.myRating : null;
  return (
    <section class={`card round${myTurn ? ' round--mine' : ''}`} aria-labelledby="round-title">
      <h2 id="round-title" class="card__title">
        <span data-user-text={round.purpose === 'custom' ? '' : undefined}>{title}</span>
        {round.closed && <span class="card__tag">{t('room:round.finished')}</span>}
      </h2>
      <p class="round__prompt" data-user-text>
        {round.prompt}
      </p>
      {!round.closed && (
        <dl class="round__turns">
          <div>
            <dt>{t('room:round.now')}</dt>
            <dd>{round.current ? round.current === me ? t('room:round.you') : <bdi data-user-text>{nameOf(group, round.current)}</bdi> : round.order === 'volunteers' ? t('room:round.waitingVolunteer') : '—'}</dd>
          </div>
          <div>
            <dt>{t('room:round.next')}</dt>
            <dd>{round.next ? round.next === me ? t('room:round.you') : <bdi data-user-text>{nameOf(group, round.next)}</bdi> : round.order === 'volunteers' ? t('room:round.whoeverVolunteers') : t('room:round.lastTurn')}</dd>
          </div>
        </dl>
      )}
      <ol class="round__order" aria-label={t('room:round.order')}>
        {round.speakers.map((id) => {
          const state = round.current === id ? 'now' : round.done.includes(id) ? 'done' : 'waiting';
          const outcome = facilitatorRound?.outcomes[id];
          return (
            <li key={id} class={`round__speaker round__speaker--${state}`}>
              {state === 'done' && <Icon name="check" class="icon icon--small" />}
              <bdi data-user-text>{nameOf(group, id)}</bdi>
              {id === me && ` ${t('room:seat.you')}`}
              <span class="visually-hidden">{state === 'now' ? t('room:round.speakingNow') : state === 'done' ? t('room:round.hadTurn') : ''}</span>
              {outcome && <span class="round__outcome"> · {t(`room:round.outcome.${outcome}`)}</span>}
              {facilitatorRound?.ratings[id] !== undefined && <span class="round__rating"> · {t('room:round.mood', { rating: facilitatorRound.ratings[id] })}</span>}
              {history[id] && <MemberHistory member={history[id]} />}
            </li>
          );
        })}
      </ol>

      {!round.closed && round.purpose === 'check-in' && <LocationPrompt />}

      {myTurn && (
        <div class="round__mine">
          <p class="round__your-turn">{t('room:round.yourTurn')}</p>
          <div class="button-row">
            <button type="button" class="button button--primary" onClick={() => act({ type: 'turn.done' }, t('room:round.doneSaid'))}>
              {t('room:round.done')}
            </button>
            <button type="button" class="button" onClick={() => act({ type: 'round.pass' }, t('room:round.passSaid'))}>
              {t('room:round.pass')}
            </button>
          </div>
        </div>
      )}

      {!round.closed && !isFacilitator && round.order === 'volunteers' && !round.speakers.includes(me) && (
        <button type="button" class="button" onClick={() => act({ type: 'round.volunteer' }, t('room:round.volunteerSaid'))}>
          {t('room:round.volunteer')}
        </button>
      )}

      {!round.closed && round.moodScale && !isFacilitator && (
        <fieldset class="mood">
          <legend>{t('room:round.moodQuestion')}</legend>
          <div class="mood__scale">
            {Array.from({ length: 10 }, (_, i) => i + 1).map((rating) => (
              <button
                key={rating}
                type="button"
                class="mood__step"
                aria-pressed={myRating === rating}
                aria-label={t('room:round.moodStep', { rating })}
                onClick={() => act({ type: 'round.rate', rating }, t('room:round.moodSaid', { rating }))}
              >
                {rating}
              </button>
            ))}
          </div>
          <p class="field__hint">
            {t('room:round.moodPrivate')}
            {myRating !== null && ` ${t('room:round.moodChosen', { rating: myRating })}`}
          </p>
        </fieldset>
      )}

      {isFacilitator && !round.closed && (
        <RoundSteps class="button-row facilitator-only" />
      )}
      {isFacilitator && facilitatorRound && <RoundSummary round={round} ratings={facilitatorRound.ratings} outcomes={facilitatorRound.outcomes} />}
    </section>
  );
}

function RoundSummary({ round, ratings, outcomes }: { round: RoundView; ratings: Record<string, number>; outcomes: Record<string, string> }) {
  const values = Object.values(ratings);
  const passed = Object.values(outcomes).filter((outcome) => outcome === 'passed').length;
  const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
  const average = mean === null ? null : new Intl.NumberFormat(language(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(mean);
  // A list of figures, each its own message, separated by dots.
  return (
    <p class="round__summary">
      <span class="visually-hidden">{t('room:round.summaryForYou')} </span>
      <span>{t('room:round.summaryTurns', { done: round.done.length, total: round.speakers.length })}</span>
      {' · '}
      <span>{t('room:round.summaryPassed', { count: passed })}</span>
      {average !== null && (
        <>
          {' · '}
          <span>{t('room:round.summaryMood', { average, count: values.length })}</span>
        </>
      )}
      <span class="field__hint"> {t('room:round.summaryPrivate')}</span>
    </p>
  );
}
