import { useState } from 'preact/hooks';
import { limits } from '../../../shared/protocol/commands.js';
import type { ProblemView } from '../../../shared/session/projection.js';
import type { ProblemStep } from '../../../shared/session/state.js';
import { t } from '../i18n/index.js';
import { useRoom } from '../session/room-context.js';
import { nameOf } from '../session/room-view.js';
import { answerersSentence, anonymitySentence } from './feedback-panel.js';

const steps: ProblemStep[] = ['define', 'options', 'weigh', 'plan'];

/** Problem-solving: a member's problem, the group's ideas, the member's marks and next step. */
export function ProblemPanel({ problem }: { problem: ProblemView }) {
  const { group, me } = useRoom();
  const mine = problem.memberId === me;
  return (
    <section class={`card problem${mine ? ' problem--mine' : ''}`} aria-labelledby="problem-title">
      <h2 id="problem-title" class="card__title">
        {t('room:problem.title')}
      </h2>
      <ol class="problem__steps" aria-label={t('room:problem.steps')}>
        {steps.map((step) => (
          <li key={step} class={`problem__step${step === problem.step ? ' problem__step--now' : ''}`} aria-current={step === problem.step ? 'step' : undefined}>
            {t(`room:problem.step.${step}`)}
          </li>
        ))}
      </ol>
      <p>{mine ? t('room:problem.youBring') : t('room:problem.theyBring', { name: nameOf(group, problem.memberId) })}</p>
      {problem.problem && (
        <blockquote class="problem__statement" dir="auto" data-user-text>
          {problem.problem}
        </blockquote>
      )}
      {problem.step === 'define' && (mine ? <Writing key="define" type="problem.define" label={t('room:problem.yourProblem')} button={t('room:problem.share')} initial={problem.problem ?? ''} /> : <p class="quiet">{t('room:problem.listen')}</p>)}
      {problem.step === 'options' && <Options problem={problem} mine={mine} />}
      {/* Named ideas show as they come; anonymous ones only once released at weigh. */}
      {problem.step !== 'define' && !(problem.step === 'options' && problem.anonymous) && <OptionList problem={problem} mine={mine} />}
      {problem.step === 'plan' && mine && <Writing key="plan" type="problem.plan" label={t('room:problem.nextStepLabel')} button={t('room:problem.saveNextStep')} initial={problem.plan ?? ''} />}
      {problem.plan && (
        <p class="problem__plan">
          <strong>{t('room:problem.nextStep')}</strong>{' '}
          <span dir="auto" data-user-text>
            {problem.plan}
          </span>
        </p>
      )}
    </section>
  );
}

/** The member's own words: the problem, then the plan. */
function Writing({ type, label, button, initial }: { type: 'problem.define' | 'problem.plan'; label: string; button: string; initial: string }) {
  const { act } = useRoom();
  const [text, setText] = useState(initial);
  return (
    <form
      class="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim()) void act({ type, text: text.trim() }, t('room:problem.savedSaid'));
      }}
    >
      <label class="field">
        <span class="field__label">{label}</span>
        <input type="text" required maxLength={limits.problemLength} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <button type="submit" class="button button--primary" disabled={!text.trim()}>
        {button}
      </button>
    </form>
  );
}

function Options({ problem, mine }: { problem: ProblemView; mine: boolean }) {
  const { self, act } = useRoom();
  const [text, setText] = useState('');
  if (mine) return <p class="quiet">{t('room:problem.othersOffer')}</p>;
  if (self.role === 'facilitator') {
    return (
      <p class="quiet">
        {problem.anonymous ? t('room:problem.anonymousIdeas', { count: problem.eligibleCount ?? 0, k: problem.k }) : t('room:problem.namedIdeas')}
      </p>
    );
  }
  const feedback = self.feedback?.promptId === problem.promptId ? self.feedback : null;
  if (problem.anonymous && !feedback?.mayAnswer) return <p class="quiet">{t('room:problem.openedBefore')}</p>;
  if (problem.anonymous && feedback?.answered) return (
      <p class="callout callout--calm" role="status">
        {t('room:problem.ideaIn')}
      </p>
    );
  const submit = async (event: Event) => {
    event.preventDefault();
    const idea = text.trim();
    if (!idea) return;
    const sent = problem.anonymous
      ? await act({ type: 'feedback.submit', promptId: problem.promptId!, text: idea }, t('room:problem.anonymousSaid'))
      : await act({ type: 'problem.option', text: idea }, t('room:problem.namedSaid'));
    if (sent) setText('');
  };
  return (
    <form class="stack" onSubmit={submit}>
      {problem.anonymous && (
        <>
          <p class="feedback__anonymity">
            {anonymitySentence(problem.k)} {t('room:problem.oneEach')}
          </p>
          <p class="quiet">{answerersSentence(problem.eligibleCount ?? 0)}</p>
        </>
      )}
      <label class="field">
        <span class="field__label">{problem.anonymous ? t('room:problem.yourIdeaAnonymous') : t('room:problem.yourIdea')}</span>
        <input type="text" required maxLength={problem.anonymous ? limits.feedbackTextLength : limits.optionLength} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <button type="submit" class="button button--primary" disabled={!text.trim()}>
        {t('room:problem.offer')}
      </button>
    </form>
  );
}

/** The ideas, marked by the member as fitting or not; the member marks them at the weigh step. */
function OptionList({ problem, mine }: { problem: ProblemView; mine: boolean }) {
  const { group, act } = useRoom();
  if (problem.withheld) return <p class="quiet">{t('room:problem.withheld', { count: problem.k })}</p>;
  if (problem.options.length === 0) return problem.step === 'options' ? null : <p class="quiet">{t('room:problem.noIdeas')}</p>;
  const weighing = mine && problem.step === 'weigh';
  return (
    <ul class="problem__options" aria-label={t('room:problem.ideas')}>
      {problem.options.map((option) => (
        <li key={option.id} class={`problem__option${option.fits === true ? ' problem__option--fits' : ''}`}>
          {weighing ? (
            <label class="check">
              <input type="checkbox" checked={option.fits === true} onChange={(e) => void act({ type: 'problem.weigh', optionId: option.id, fits: e.currentTarget.checked })} />
              <span dir="auto" data-user-text>
                {option.text}
              </span>
            </label>
          ) : (
            <span dir="auto" data-user-text>
              {option.text}
            </span>
          )}
          {option.by && (
            <span class="quiet">
              {' '}
              · <bdi data-user-text>{nameOf(group, option.by)}</bdi>
            </span>
          )}
          {!weighing && option.fits !== null && <span class="problem__mark"> · {option.fits ? t('room:problem.fits') : t('room:problem.doesNotFit')}</span>}
        </li>
      ))}
    </ul>
  );
}
