import { useState } from 'preact/hooks';
import { limits } from '../../../shared/protocol/commands.js';
import type { ProblemView } from '../../../shared/session/projection.js';
import type { ProblemStep } from '../../../shared/session/state.js';
import { useRoom } from '../session/room-context.js';
import { nameOf } from '../session/room-view.js';
import { answerersSentence, anonymitySentence } from './feedback-panel.js';

const steps: { step: ProblemStep; name: string }[] = [
  { step: 'define', name: 'Define' },
  { step: 'options', name: 'Options' },
  { step: 'weigh', name: 'Weigh' },
  { step: 'plan', name: 'Plan' },
];

/** Problem-solving: a member's problem, the group's ideas, the member's marks and next step. */
export function ProblemPanel({ problem }: { problem: ProblemView }) {
  const { group, me } = useRoom();
  const mine = problem.memberId === me;
  return (
    <section class={`card problem${mine ? ' problem--mine' : ''}`} aria-labelledby="problem-title">
      <h2 id="problem-title" class="card__title">
        Problem-solving
      </h2>
      <ol class="problem__steps" aria-label="Steps">
        {steps.map(({ step, name }) => (
          <li key={step} class={`problem__step${step === problem.step ? ' problem__step--now' : ''}`} aria-current={step === problem.step ? 'step' : undefined}>
            {name}
          </li>
        ))}
      </ol>
      <p>{mine ? 'You bring a problem to the group.' : <><bdi>{nameOf(group, problem.memberId)}</bdi> brings a problem to the group.</>}</p>
      {problem.problem && (
        <blockquote class="problem__statement" dir="auto">
          {problem.problem}
        </blockquote>
      )}
      {problem.step === 'define' && (mine ? <Writing key="define" type="problem.define" label="Your problem, in a sentence" button="Share my problem" initial={problem.problem ?? ''} /> : <p class="quiet">Listen while they say what the problem is.</p>)}
      {problem.step === 'options' && <Options problem={problem} mine={mine} />}
      {/* Named ideas show as they come; anonymous ones only once released at weigh. */}
      {problem.step !== 'define' && !(problem.step === 'options' && problem.anonymous) && <OptionList problem={problem} mine={mine} />}
      {problem.step === 'plan' && mine && <Writing key="plan" type="problem.plan" label="My next step" button="Save my next step" initial={problem.plan ?? ''} />}
      {problem.plan && (
        <p class="problem__plan">
          <strong>Next step:</strong> <span dir="auto">{problem.plan}</span>
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
        if (text.trim()) void act({ type, text: text.trim() }, 'Saved: the group sees it now.');
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
  if (mine) return <p class="quiet">The others offer ideas now. Listen; you weigh them next.</p>;
  if (self.role === 'facilitator') {
    return (
      <p class="quiet">
        {problem.anonymous
          ? `Ideas come in anonymously from the ${problem.eligibleCount ?? 0} members who were here when this step opened. They stay hidden, and uncounted, until you move on to weigh; they are shown only if at least ${problem.k} offered one.`
          : 'Members offer ideas aloud and write them down; each shows with their name.'}
      </p>
    );
  }
  const feedback = self.feedback?.promptId === problem.promptId ? self.feedback : null;
  if (problem.anonymous && !feedback?.mayAnswer) return <p class="quiet">This step opened before you were here, so you do not offer an idea this time.</p>;
  if (problem.anonymous && feedback?.answered) return <p class="callout callout--calm" role="status">Your idea is in. Nothing is shown until the facilitator moves on.</p>;
  const submit = async (event: Event) => {
    event.preventDefault();
    const idea = text.trim();
    if (!idea) return;
    const sent = problem.anonymous
      ? await act({ type: 'feedback.submit', promptId: problem.promptId!, text: idea }, 'Your anonymous idea is in.')
      : await act({ type: 'problem.option', text: idea }, 'Your idea is on the list.');
    if (sent) setText('');
  };
  return (
    <form class="stack" onSubmit={submit}>
      {problem.anonymous && (
        <>
          <p class="feedback__anonymity">{anonymitySentence(problem.k)} One idea each.</p>
          <p class="quiet">{answerersSentence(problem.eligibleCount ?? 0)}</p>
        </>
      )}
      <label class="field">
        <span class="field__label">{problem.anonymous ? 'Your idea (anonymous)' : 'Your idea'}</span>
        <input type="text" required maxLength={problem.anonymous ? limits.feedbackTextLength : limits.optionLength} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <button type="submit" class="button button--primary" disabled={!text.trim()}>
        Offer this idea
      </button>
    </form>
  );
}

/** The ideas, marked by the member as fitting or not; the member marks them at the weigh step. */
function OptionList({ problem, mine }: { problem: ProblemView; mine: boolean }) {
  const { group, act } = useRoom();
  if (problem.withheld) return <p class="quiet">Fewer than {problem.k} members offered an idea, so the ideas stay hidden.</p>;
  if (problem.options.length === 0) return problem.step === 'options' ? null : <p class="quiet">No ideas were offered.</p>;
  const weighing = mine && problem.step === 'weigh';
  return (
    <ul class="problem__options" aria-label="Ideas">
      {problem.options.map((option) => (
        <li key={option.id} class={`problem__option${option.fits === true ? ' problem__option--fits' : ''}`}>
          {weighing ? (
            <label class="check">
              <input type="checkbox" checked={option.fits === true} onChange={(e) => void act({ type: 'problem.weigh', optionId: option.id, fits: e.currentTarget.checked })} />
              <span dir="auto">{option.text}</span>
            </label>
          ) : (
            <span dir="auto">{option.text}</span>
          )}
          {option.by && (
            <span class="quiet">
              {' '}
              · <bdi>{nameOf(group, option.by)}</bdi>
            </span>
          )}
          {!weighing && option.fits !== null && <span class="problem__mark"> · {option.fits ? 'fits' : 'does not fit'}</span>}
        </li>
      ))}
    </ul>
  );
}
