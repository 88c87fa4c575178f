import type { RoundView } from '../../../shared/session/projection.js';
import { useRoom } from '../session/room-context.js';
import { nameOf, roundTitle } from '../session/room-view.js';
import { MemberHistory } from './facilitator/member-history.js';
import { RoundSteps } from './facilitator/round-steps.js';
import { LocationPrompt } from './location-prompt.js';
import { Icon } from './icons.js';

const outcomeWords = { spoke: 'spoke', passed: 'passed', 'timed-out': 'time ran out', skipped: 'skipped', absent: 'was away' } as const;

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
        {title}
        {round.closed && <span class="card__tag">finished</span>}
      </h2>
      <p class="round__prompt">{round.prompt}</p>
      {!round.closed && (
        <dl class="round__turns">
          <div>
            <dt>Now</dt>
            <dd>{round.current ? (round.current === me ? 'You' : <bdi>{nameOf(group, round.current)}</bdi>) : round.order === 'volunteers' ? 'Waiting for a volunteer' : '—'}</dd>
          </div>
          <div>
            <dt>Next</dt>
            <dd>{round.next ? (round.next === me ? 'You' : <bdi>{nameOf(group, round.next)}</bdi>) : round.order === 'volunteers' ? 'Whoever volunteers' : 'Nobody: last turn'}</dd>
          </div>
        </dl>
      )}
      <ol class="round__order" aria-label="Speaking order">
        {round.speakers.map((id) => {
          const state = round.current === id ? 'now' : round.done.includes(id) ? 'done' : 'waiting';
          const outcome = facilitatorRound?.outcomes[id];
          return (
            <li key={id} class={`round__speaker round__speaker--${state}`}>
              {state === 'done' && <Icon name="check" class="icon icon--small" />}
              <bdi>{nameOf(group, id)}</bdi>
              {id === me && ' (you)'}
              <span class="visually-hidden">{state === 'now' ? ', speaking now' : state === 'done' ? ', had their turn' : ''}</span>
              {outcome && <span class="round__outcome"> · {outcomeWords[outcome]}</span>}
              {facilitatorRound?.ratings[id] !== undefined && <span class="round__rating"> · mood {facilitatorRound.ratings[id]}/10</span>}
              {history[id] && <MemberHistory member={history[id]} />}
            </li>
          );
        })}
      </ol>

      {!round.closed && round.purpose === 'check-in' && <LocationPrompt />}

      {myTurn && (
        <div class="round__mine">
          <p class="round__your-turn">It's your turn. Speak when you are ready.</p>
          <div class="button-row">
            <button type="button" class="button button--primary" onClick={() => act({ type: 'turn.done' }, 'Thank you. Your turn is done.')}>
              I'm done
            </button>
            <button type="button" class="button" onClick={() => act({ type: 'round.pass' }, 'You passed. That is fine.')}>
              Pass
            </button>
          </div>
        </div>
      )}

      {!round.closed && !isFacilitator && round.order === 'volunteers' && !round.speakers.includes(me) && (
        <button type="button" class="button" onClick={() => act({ type: 'round.volunteer' }, 'You volunteered to speak.')}>
          Volunteer to speak
        </button>
      )}

      {!round.closed && round.moodScale && !isFacilitator && (
        <fieldset class="mood">
          <legend>How are you right now, from 1 (very low) to 10 (very good)?</legend>
          <div class="mood__scale">
            {Array.from({ length: 10 }, (_, i) => i + 1).map((rating) => (
              <button
                key={rating}
                type="button"
                class="mood__step"
                aria-pressed={myRating === rating}
                aria-label={`Mood ${rating} of 10`}
                onClick={() => act({ type: 'round.rate', rating }, `You rated your mood ${rating} of 10.`)}
              >
                {rating}
              </button>
            ))}
          </div>
          <p class="field__hint">Only the facilitator sees your number.{myRating !== null && ` You chose ${myRating}.`}</p>
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
  const average = values.length ? (values.reduce((a, b) => a + b, 0) / values.length).toFixed(1) : null;
  return (
    <p class="round__summary">
      <span class="visually-hidden">Summary for you only: </span>
      {round.done.length} of {round.speakers.length} had their turn · {passed} passed
      {average !== null && ` · mood average ${average} from ${values.length} rating${values.length === 1 ? '' : 's'}`}
      <span class="field__hint"> (only you see who passed and the moods)</span>
    </p>
  );
}
