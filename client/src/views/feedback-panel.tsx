import { useState } from 'preact/hooks';
import { limits } from '../../../shared/protocol/commands.js';
import type { FeedbackResultView } from '../../../shared/session/projection.js';
import type { FeedbackItem, FeedbackPrompt } from '../../../shared/session/state.js';
import { useRoom } from '../session/room-context.js';
import { nameOf } from '../session/room-view.js';

/** Anonymous feedback: writing an answer, then the released answers. There is no live count. */
export function FeedbackPanel() {
  const { group } = useRoom();
  const open = group.feedback.open && group.feedback.open.id !== group.problem?.promptId ? group.feedback.open : null;
  const results = group.feedback.results.slice(-2).reverse();
  return (
    <section class="card feedback" aria-labelledby="feedback-title">
      <h2 id="feedback-title" class="card__title">
        Anonymous feedback
      </h2>
      {open && <OpenPrompt key={open.id} prompt={open} />}
      {results.map((result) => (
        <Result key={result.prompt.id} result={result} />
      ))}
    </section>
  );
}

/** How many may answer, to be matched against the faces in the circle: an answerer the circle does not show would stand out. */
export const answerersSentence = (count: number) =>
  `${count} ${count === 1 ? 'person' : 'people'} can answer this prompt: the members who were here when it opened. If you see fewer people in the circle, not everyone answering is who you think.`;

export const anonymitySentence = (k: number) =>
  `Your name is never stored with your answer, and answers are shown only after the prompt closes, shuffled, and only if at least ${k} people answered; but your words themselves can still give you away.`;

function OpenPrompt({ prompt }: { prompt: FeedbackPrompt }) {
  const { group, self, me, act } = useRoom();
  const [text, setText] = useState('');
  const [scale, setScale] = useState<number | null>(null);
  const [sending, setSending] = useState(false);
  const about = prompt.about && 'memberId' in prompt.about ? prompt.about.memberId : null;
  const aboutWords = about ? <>About {about === me ? 'you' : <bdi>{nameOf(group, about)}</bdi>}.</> : prompt.about ? 'About the scene.' : null;
  const audienceWords = prompt.audience === 'group' ? 'The answers will be shared with the whole group.' : 'The answers go to the facilitator only.';

  if (self.role === 'facilitator') {
    return (
      <div class="feedback__open">
        <p class="feedback__question">{prompt.question}</p>
        <p class="quiet">
          {aboutWords} {audienceWords} The prompt is open to the {prompt.eligibleCount} members who were here when it opened. Answers stay hidden, and uncounted,
          until you close it; they are released only if at least {prompt.k} of them answered.
        </p>
      </div>
    );
  }
  if (about === me) {
    return (
      <div class="feedback__open">
        <p class="feedback__question">{prompt.question}</p>
        <p class="quiet">This prompt is about you, so you do not answer it. {audienceWords}</p>
      </div>
    );
  }
  const mine = self.feedback?.promptId === prompt.id ? self.feedback : null;
  // The group view can arrive a moment before this member's own view of the new prompt.
  if (!mine) return <p class="feedback__question">{prompt.question}</p>;
  if (!mine.mayAnswer) {
    return (
      <div class="feedback__open">
        <p class="feedback__question">{prompt.question}</p>
        <p class="quiet">This prompt opened before you were here, so you do not answer it; you can answer the next one. {audienceWords}</p>
      </div>
    );
  }
  if (mine.answered) {
    return (
      <div class="feedback__open">
        <p class="feedback__question">{prompt.question}</p>
        <p class="callout callout--calm" role="status">
          Your answer is in. Nothing is shown to anyone until the facilitator closes the prompt.
        </p>
      </div>
    );
  }
  const wantsText = prompt.answer !== 'scale';
  const wantsScale = prompt.answer !== 'text';
  const trimmed = text.trim();
  const ready = (wantsText && trimmed.length > 0) || (wantsScale && scale !== null);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!ready || sending) return;
    setSending(true);
    const sent = await act(
      {
        type: 'feedback.submit',
        promptId: prompt.id,
        ...(wantsText && trimmed ? { text: trimmed } : {}),
        ...(wantsScale && scale !== null ? { scale } : {}),
      },
      'Your anonymous answer is in.',
    );
    setSending(false);
    if (sent) {
      setText('');
      setScale(null);
    }
  };
  return (
    <form class="feedback__form" onSubmit={submit}>
      <p class="feedback__question" id="feedback-question">
        {prompt.question}
      </p>
      {(aboutWords || audienceWords) && (
        <p class="quiet">
          {aboutWords} {audienceWords}
        </p>
      )}
      <p class="feedback__anonymity" id="feedback-anonymity">
        {anonymitySentence(prompt.k)}
      </p>
      <p class="quiet" id="feedback-answerers">
        {answerersSentence(prompt.eligibleCount)}
      </p>
      {wantsText && (
        <label class="field">
          <span class="field__label">Your answer{wantsScale ? ' (optional if you give a number)' : ''}</span>
          <textarea
            rows={4}
            maxLength={limits.feedbackTextLength}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            aria-describedby="feedback-anonymity feedback-answerers feedback-left"
          />
          <span class="field__hint" id="feedback-left">
            {limits.feedbackTextLength - text.length} characters left
          </span>
        </label>
      )}
      {wantsScale && (
        <fieldset class="scale">
          <legend>From 1 (not at all) to 5 (very much)</legend>
          <div class="scale__steps">
            {[1, 2, 3, 4, 5].map((value) => (
              <label key={value} class="scale__step">
                <input type="radio" name={`scale-${prompt.id}`} value={value} checked={scale === value} onChange={() => setScale(value)} />
                <span>{value}</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <button type="submit" class="button button--primary" disabled={!ready || sending}>
        Send anonymously
      </button>
    </form>
  );
}

function Result({ result }: { result: FeedbackResultView }) {
  const { self } = useRoom();
  const { prompt } = result;
  const items: FeedbackItem[] | undefined =
    result.items ?? (self.role === 'facilitator' ? self.feedbackResults.find((released) => released.promptId === prompt.id)?.items : undefined);
  return (
    <div class="feedback__result" data-feedback-result={result.status}>
      <h3 class="feedback__question">{prompt.question}</h3>
      {result.status === 'withheld' ? (
        <p class="quiet">Fewer than {prompt.k} people answered, so the answers stay hidden and were not kept. This protects who said what.</p>
      ) : items ? (
        <>
          <p class="field__hint">
            {items.length} anonymous answer{items.length === 1 ? '' : 's'}, in shuffled order{prompt.audience === 'facilitator' ? ', for your eyes only' : ''}.
          </p>
          <ul class="feedback__items">
            {items.map((item, i) => (
              <li key={i} class="feedback__item">
                {item.scale !== undefined && <span class="feedback__scale">{item.scale} of 5</span>}
                {item.text !== undefined && <span class="feedback__text">{item.text}</span>}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p class="quiet">The answers went to the facilitator only.</p>
      )}
    </div>
  );
}
