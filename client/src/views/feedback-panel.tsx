import { useState } from 'preact/hooks';
import { limits } from '../../../shared/protocol/commands.js';
import type { FeedbackResultView } from '../../../shared/session/projection.js';
import type { FeedbackItem, FeedbackPrompt } from '../../../shared/session/state.js';
import { t } from '../i18n/index.js';
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
        {t('room:feedback.title')}
      </h2>
      {open && <OpenPrompt key={open.id} prompt={open} />}
      {results.map((result) => (
        <Result key={result.prompt.id} result={result} />
      ))}
    </section>
  );
}

/** How many may answer, to be matched against the faces in the circle: an answerer the circle does not show would stand out. */
export const answerersSentence = (count: number) => t('room:feedback.answerers', { count });

export const anonymitySentence = (k: number) => t('room:feedback.anonymity', { count: k });

/** A prompt's question, typed by the facilitator. */
const Question = ({ text, id, heading = false }: { text: string; id?: string; heading?: boolean }) =>
  heading ? (
    <h3 class="feedback__question" data-user-text>
      {text}
    </h3>
  ) : (
    <p class="feedback__question" id={id} data-user-text>
      {text}
    </p>
  );

function OpenPrompt({ prompt }: { prompt: FeedbackPrompt }) {
  const { group, self, me, act } = useRoom();
  const [text, setText] = useState('');
  const [scale, setScale] = useState<number | null>(null);
  const [sending, setSending] = useState(false);
  const about = prompt.about && 'memberId' in prompt.about ? prompt.about.memberId : null;
  const aboutWords = about ? (about === me ? t('room:feedback.aboutYou') : t('room:feedback.aboutName', { name: nameOf(group, about) })) : prompt.about ? t('room:feedback.aboutScene') : null;
  const audienceWords = prompt.audience === 'group' ? t('room:feedback.toGroup') : t('room:feedback.toFacilitator');

  if (self.role === 'facilitator') {
    return (
      <div class="feedback__open">
        <Question text={prompt.question} />
        <p class="quiet">
          {aboutWords} {audienceWords} {t('room:feedback.openTo', { count: prompt.eligibleCount })} {t('room:feedback.hiddenUntil', { count: prompt.k })}
        </p>
      </div>
    );
  }
  if (about === me) {
    return (
      <div class="feedback__open">
        <Question text={prompt.question} />
        <p class="quiet">
          {t('room:feedback.aboutYouNoAnswer')} {audienceWords}
        </p>
      </div>
    );
  }
  const mine = self.feedback?.promptId === prompt.id ? self.feedback : null;
  // The group view can arrive a moment before this member's own view of the new prompt.
  if (!mine) return <Question text={prompt.question} />;
  if (!mine.mayAnswer) {
    return (
      <div class="feedback__open">
        <Question text={prompt.question} />
        <p class="quiet">
          {t('room:feedback.openedBefore')} {audienceWords}
        </p>
      </div>
    );
  }
  if (mine.answered) {
    return (
      <div class="feedback__open">
        <Question text={prompt.question} />
        <p class="callout callout--calm" role="status">
          {t('room:feedback.answerIn')}
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
      t('room:feedback.sentSaid'),
    );
    setSending(false);
    if (sent) {
      setText('');
      setScale(null);
    }
  };
  return (
    <form class="feedback__form" onSubmit={submit}>
      <Question text={prompt.question} id="feedback-question" />
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
          <span class="field__label">{wantsScale ? t('room:feedback.yourAnswerOptional') : t('room:feedback.yourAnswer')}</span>
          <textarea
            rows={4}
            maxLength={limits.feedbackTextLength}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            aria-describedby="feedback-anonymity feedback-answerers feedback-left"
          />
          <span class="field__hint" id="feedback-left">
            {t('room:feedback.charactersLeft', { count: limits.feedbackTextLength - text.length })}
          </span>
        </label>
      )}
      {wantsScale && (
        <fieldset class="scale">
          <legend>{t('room:feedback.scale')}</legend>
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
        {t('room:feedback.send')}
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
      <Question text={prompt.question} heading />
      {result.status === 'withheld' ? (
        <p class="quiet">{t('room:feedback.withheld', { count: prompt.k })}</p>
      ) : items ? (
        <>
          <p class="field__hint">{prompt.audience === 'facilitator' ? t('room:feedback.itemsPrivate', { count: items.length }) : t('room:feedback.items', { count: items.length })}</p>
          <ul class="feedback__items">
            {items.map((item, i) => (
              <li key={i} class="feedback__item">
                {item.scale !== undefined && <span class="feedback__scale">{t('room:feedback.scaleOf', { value: item.scale })}</span>}
                {item.text !== undefined && (
                  <span class="feedback__text" data-user-text>
                    {item.text}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p class="quiet">{t('room:feedback.wentToFacilitator')}</p>
      )}
    </div>
  );
}
