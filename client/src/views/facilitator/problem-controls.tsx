import { useState } from 'preact/hooks';
import { limits } from '../../../../shared/protocol/commands.js';
import type { ProblemStep } from '../../../../shared/session/state.js';
import { t } from '../../i18n/index.js';
import { MemberOptions } from './member-options.js';
import { useRoom } from '../../session/room-context.js';
import { members, nameOf } from '../../session/room-view.js';

/** The step each step leads to; the plan is the last. */
const nextStep: Record<ProblemStep, Exclude<ProblemStep, 'define'> | null> = { define: 'options', options: 'weigh', weigh: 'plan', plan: null };

/** Start a problem-solving exercise for a member who agreed to bring one, move it step by step, end it. */
export function ProblemControls() {
  const { group, act } = useRoom();
  const people = members(group);
  const [memberId, setMemberId] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [k, setK] = useState<number>(limits.feedbackMinK);
  const problem = group.problem;

  if (problem) {
    const next = nextStep[problem.step];
    const step = problem.step;
    return (
      <div class="stack">
        <p>
          {t('facilitator:problem.whose', { name: `\u2068${nameOf(group, problem.memberId)}\u2069`, step: t(`facilitator:problem.step.${step}`) })}{' '}
          {step === 'options' ? t('facilitator:problem.floorFree') : t('facilitator:problem.theyHold')}
        </p>
        <div class="button-row">
          {next && step !== 'plan' && (
            <button type="button" class="button button--primary" disabled={step === 'define' && problem.problem === null} onClick={() => void act({ type: 'problem.next' }, t(`facilitator:problem.now.${next}`))}>
              {t(`facilitator:problem.next.${step}`)}
            </button>
          )}
          <button type="button" class="button" onClick={() => void act({ type: 'problem.end' }, t('facilitator:problem.ended'))}>
            {t('facilitator:problem.end')}
          </button>
        </div>
        {problem.step === 'define' && problem.problem === null && <p class="quiet">{t('facilitator:problem.waitingForProblem')}</p>}
      </div>
    );
  }
  return (
    <form
      class="stack"
      onSubmit={(event) => {
        event.preventDefault();
        if (memberId) void act({ type: 'problem.start', memberId, anonymous, k }, t('facilitator:problem.started'));
      }}
    >
      <p class="quiet">{t('facilitator:problem.intro')}</p>
      <label class="field field--inline">
        <span class="field__label">{t('facilitator:problem.who')}</span>
        <select value={memberId} onChange={(e) => setMemberId(e.currentTarget.value)}>
          <option value="">{t('facilitator:problem.choose')}</option>
          <MemberOptions seats={people} />
        </select>
      </label>
      <label class="check">
        <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.currentTarget.checked)} />
        <span>{t('facilitator:problem.anonymous')}</span>
      </label>
      {anonymous && (
        <label class="field field--inline">
          <span class="field__label">{t('facilitator:problem.showFrom')}</span>
          <select value={k} onChange={(e) => setK(Number(e.currentTarget.value))}>
            {[3, 4, 5, 6].map((n) => (
              <option key={n} value={n}>
                {t('facilitator:problem.ideas', { count: n })}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" class="button button--primary" disabled={!memberId}>
        {t('facilitator:problem.start')}
      </button>
    </form>
  );
}
