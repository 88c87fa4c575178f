import { useState } from 'preact/hooks';
import { limits } from '../../../../shared/protocol/commands.js';
import type { ProblemStep } from '../../../../shared/session/state.js';
import { useRoom } from '../../session/room-context.js';
import { members, nameOf } from '../../session/room-view.js';

const nextLabel: Record<ProblemStep, string | null> = {
  define: 'Move on to options',
  options: 'Move on to weigh',
  weigh: 'Move on to plan',
  plan: null,
};

/** Start a problem-solving exercise for a member who agreed to bring one, move it step by step, end it. */
export function ProblemControls() {
  const { group, act } = useRoom();
  const people = members(group);
  const [memberId, setMemberId] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [k, setK] = useState<number>(limits.feedbackMinK);
  const problem = group.problem;

  if (problem) {
    const next = nextLabel[problem.step];
    return (
      <div class="stack">
        <p>
          <bdi>{nameOf(group, problem.memberId)}</bdi>’s problem: step <strong>{problem.step}</strong>.{' '}
          {problem.step === 'options' ? 'The floor is free: steer it as usual.' : 'They hold the floor; the others listen.'}
        </p>
        <div class="button-row">
          {next && (
            <button type="button" class="button button--primary" disabled={problem.step === 'define' && problem.problem === null} onClick={() => void act({ type: 'problem.next' }, `${next.replace('Move on to', 'Now:')}.`)}>
              {next}
            </button>
          )}
          <button type="button" class="button" onClick={() => void act({ type: 'problem.end' }, 'The exercise has ended.')}>
            End the exercise
          </button>
        </div>
        {problem.step === 'define' && problem.problem === null && <p class="quiet">Waiting for them to write the problem down.</p>}
      </div>
    );
  }
  return (
    <form
      class="stack"
      onSubmit={(event) => {
        event.preventDefault();
        if (memberId) void act({ type: 'problem.start', memberId, anonymous, k }, 'The problem-solving exercise has started.');
      }}
    >
      <p class="quiet">Ask first who wants to bring a problem; then choose them here. They hold the floor while they define, weigh and plan.</p>
      <label class="field field--inline">
        <span class="field__label">Who brings a problem</span>
        <select value={memberId} onChange={(e) => setMemberId(e.currentTarget.value)}>
          <option value="">Choose</option>
          {people.map((seat) => (
            <option key={seat.id} value={seat.id} dir="auto">
              {seat.name}
            </option>
          ))}
        </select>
      </label>
      <label class="check">
        <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.currentTarget.checked)} />
        <span>Ideas are anonymous (one each, shown only if enough people offer one)</span>
      </label>
      {anonymous && (
        <label class="field field--inline">
          <span class="field__label">Show ideas only from</span>
          <select value={k} onChange={(e) => setK(Number(e.currentTarget.value))}>
            {[3, 4, 5, 6].map((n) => (
              <option key={n} value={n}>
                {n} ideas
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" class="button button--primary" disabled={!memberId}>
        Start problem-solving
      </button>
    </form>
  );
}
