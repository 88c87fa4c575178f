import { useState } from 'preact/hooks';
import { limits } from '../../../../shared/protocol/commands.js';
import { useRoom } from '../../session/room-context.js';
import { MemberOptions } from './member-options.js';
import { TextField } from '../text-field.js';
import { PhasePrompts } from './phase-prompts.js';

const answerNames = { both: 'Words and a 1-5 scale', text: 'Words', scale: 'A 1-5 scale' } as const;

/** Open an anonymous feedback prompt; close it to release (or withhold) the answers. */
export function FeedbackControls() {
  const { group, act } = useRoom();
  const [question, setQuestion] = useState('What helped you most in today\u2019s session?');
  const [answer, setAnswer] = useState<'text' | 'scale' | 'both'>('both');
  const [about, setAbout] = useState('');
  const [audience, setAudience] = useState<'group' | 'facilitator'>('group');
  const [k, setK] = useState(3);
  const open = group.feedback.open;

  if (open) {
    return (
      <div class="stack">
        <p>
          Open: <strong>{open.question}</strong>
        </p>
        <p class="field__hint">There is no count while it is open, so nobody can tell who has answered. {open.eligibleCount} members were here when it opened and may answer. Close it to release the answers if at least {open.k} of them answered.</p>
        <button type="button" class="button button--primary" onClick={() => act({ type: 'feedback.close' }, 'The feedback prompt is closed.')}>
          Close and release
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
        void act({ type: 'feedback.open', question, answer, audience, k, ...(aboutWhat ? { about: aboutWhat } : {}) }, 'The feedback prompt is open.');
      }}
    >
      <TextField label="Question" required maxLength={limits.promptLength} value={question} onValue={setQuestion} />
      <PhasePrompts what="question" onUse={setQuestion} />
      <button type="submit" class="button button--primary">
        Open anonymous feedback
      </button>
      <details class="options">
        <summary>
          Options <span class="field__hint">· {answerNames[answer]} · {audience === 'group' ? 'shared with the group' : 'for you only'} · at least {k} answers</span>
        </summary>
        <div class="stack">
          <label class="field field--inline">
            <span class="field__label">Answer with</span>
            <select value={answer} onChange={(e) => setAnswer(e.currentTarget.value as typeof answer)}>
              {(Object.keys(answerNames) as (keyof typeof answerNames)[]).map((key) => (
                <option key={key} value={key}>
                  {answerNames[key]}
                </option>
              ))}
            </select>
          </label>
          <label class="field field--inline">
            <span class="field__label">About</span>
            <select value={about} onChange={(e) => setAbout(e.currentTarget.value)}>
              <option value="">The session</option>
              <option value="scene">The last scene</option>
              <MemberOptions group={group} />
            </select>
          </label>
          <label class="field field--inline">
            <span class="field__label">Shared with</span>
            <select value={audience} onChange={(e) => setAudience(e.currentTarget.value as typeof audience)}>
              <option value="group">The whole group</option>
              <option value="facilitator">Only me</option>
            </select>
          </label>
          <label class="field field--inline">
            <span class="field__label">Release only if at least</span>
            <input
              type="number"
              min={limits.feedbackMinK}
              max={12}
              value={k}
              onInput={(e) => setK(Math.max(limits.feedbackMinK, Math.min(12, Number(e.currentTarget.value) || limits.feedbackMinK)))}
            />
            <span class="field__hint">members answered (of those here when it opens)</span>
          </label>
        </div>
      </details>
    </form>
  );
}
