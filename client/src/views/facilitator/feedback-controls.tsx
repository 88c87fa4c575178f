import { useState } from 'preact/hooks';
import { limits } from '../../../../shared/protocol/commands.js';
import { t } from '../../i18n/index.js';
import { useRoom } from '../../session/room-context.js';
import { members } from '../../session/room-view.js';
import { MemberOptions } from './member-options.js';
import { TextField } from '../text-field.js';
import { PhasePrompts } from './phase-prompts.js';

const answerKinds = ['both', 'text', 'scale'] as const;

/** Open an anonymous feedback prompt; close it to release (or withhold) the answers. */
export function FeedbackControls() {
  const { group, self, act } = useRoom();
  // A standing group's k is the floor of every prompt's k: the form starts there and offers nothing below.
  const leastK = Math.max(limits.feedbackMinK, self.role === 'facilitator' ? (self.group?.feedbackK ?? 0) : 0);
  const [question, setQuestion] = useState(() => t('facilitator:feedback.defaultQuestion'));
  const [answer, setAnswer] = useState<'text' | 'scale' | 'both'>('both');
  const [about, setAbout] = useState('');
  const [audience, setAudience] = useState<'group' | 'facilitator'>('group');
  const [k, setK] = useState(leastK);
  const open = group.feedback.open;

  if (open) {
    return (
      <div class="stack">
        <p>
          {t('facilitator:feedback.open')} <strong data-user-text>{open.question}</strong>
        </p>
        <p class="field__hint">
          {t('facilitator:feedback.noCount')} {t('facilitator:feedback.eligible', { count: open.eligibleCount })} {t('facilitator:feedback.releaseIf', { k: open.k })}
        </p>
        <button type="button" class="button button--primary" onClick={() => act({ type: 'feedback.close' }, t('facilitator:feedback.closed'))}>
          {t('facilitator:feedback.close')}
        </button>
      </div>
    );
  }
  return (
    <form
      class="stack"
      onSubmit={(event) => {
        event.preventDefault();
        const aboutWhat = about === 'scene' ? { scene: true as const } : about ? { memberId: about } : undefined;
        void act({ type: 'feedback.open', question, answer, audience, k, ...(aboutWhat ? { about: aboutWhat } : {}) }, t('facilitator:feedback.opened'));
      }}
    >
      <TextField label={t('facilitator:feedback.question')} required maxLength={limits.promptLength} value={question} onValue={setQuestion} />
      <PhasePrompts what="question" onUse={setQuestion} />
      <button type="submit" class="button button--primary">
        {t('facilitator:feedback.start')}
      </button>
      <details class="options">
        <summary>
          {t('facilitator:feedback.options')}{' '}
          <span class="field__hint">
            {'· '}
            {t(`facilitator:feedback.answer.${answer}`)}
            {' · '}
            {audience === 'group' ? t('facilitator:feedback.sharedWithGroup') : t('facilitator:feedback.forYouOnly')}
            {' · '}
            {t('facilitator:feedback.atLeast', { count: k })}
          </span>
        </summary>
        <div class="stack">
          <label class="field field--inline">
            <span class="field__label">{t('facilitator:feedback.answerWith')}</span>
            <select value={answer} onChange={(e) => setAnswer(e.currentTarget.value as typeof answer)}>
              {answerKinds.map((key) => (
                <option key={key} value={key}>
                  {t(`facilitator:feedback.answer.${key}`)}
                </option>
              ))}
            </select>
          </label>
          <label class="field field--inline">
            <span class="field__label">{t('facilitator:feedback.about')}</span>
            <select value={about} onChange={(e) => setAbout(e.currentTarget.value)}>
              <option value="">{t('facilitator:feedback.aboutSession')}</option>
              <option value="scene">{t('facilitator:feedback.aboutScene')}</option>
              <MemberOptions seats={members(group)} />
            </select>
          </label>
          <label class="field field--inline">
            <span class="field__label">{t('facilitator:feedback.sharedWith')}</span>
            <select value={audience} onChange={(e) => setAudience(e.currentTarget.value as typeof audience)}>
              <option value="group">{t('facilitator:feedback.wholeGroup')}</option>
              <option value="facilitator">{t('facilitator:feedback.onlyMe')}</option>
            </select>
          </label>
          <label class="field field--inline">
            <span class="field__label">{t('facilitator:feedback.releaseOnly')}</span>
            <input
              type="number"
              min={leastK}
              max={12}
              value={k}
              onInput={(e) => setK(Math.max(leastK, Math.min(12, Number(e.currentTarget.value) || leastK)))}
            />
            <span class="field__hint">{t('facilitator:feedback.releaseHint')}</span>
          </label>
        </div>
      </details>
    </form>
  );
}
