import { describe, expect, it } from 'vitest';
import type { ClientCommand } from '../protocol/commands.js';
import type { ErrorCode } from '../protocol/errors.js';
import { expectPublished, expectRefused, expectSealed, groupRoom, roundSettings, table, testAnonymiser, type TestRoom } from './fixtures.test-support.js';
import { facilitatorView, groupView, memberView } from './projection.js';
import { mayBeHeard } from './speech.js';

/** m0 brings a problem; the others help. */
const exercise = (members = 5, anonymous = false) => {
  const room = groupRoom({ members });
  room.lead('problem.start', { memberId: room.m(0), anonymous, k: 3 });
  return room;
};
const stated = (members = 5, anonymous = false) => {
  const room = exercise(members, anonymous);
  room.must(room.act(room.m(0), 'problem.define', { text: 'I freeze when my boss criticises me' }));
  return room;
};
const view = (room: TestRoom) => groupView(room.state).problem;
const heard = (room: TestRoom, id: string) => mayBeHeard(room.state, id).allowed;

describe('a problem-solving exercise from define to plan', () => {
  it('the facilitator picks the member; they hold the floor while they state the problem, the others listen', () => {
    const room = groupRoom({ members: 4 });
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'problem.start', { memberId: room.m(0), anonymous: false, k: 3 }), before);
    expect(view(room)).toMatchObject({ memberId: room.m(0), step: 'define', problem: null, anonymous: false, options: [], plan: null });
    expect(groupView(room.state).floor).toMatchObject({ heldBy: 'problem', turn: { holder: room.m(0) } });
    expect(heard(room, room.m(0))).toBe(true);
    expect(mayBeHeard(room.state, room.m(1))).toEqual({ allowed: false, reason: 'EXERCISE' });
    expect(heard(room, room.facilitator)).toBe(true);
    room.must(room.act(room.m(0), 'problem.define', { text: 'I freeze when my boss criticises me' }));
    expect(view(room)?.problem).toBe('I freeze when my boss criticises me');
  });

  it('options: the floor opens, the others offer named ideas, the member waits', () => {
    const room = stated();
    room.lead('problem.next');
    expect(view(room)?.step).toBe('options');
    expect(groupView(room.state).floor).toMatchObject({ heldBy: null, turn: null });
    expect(heard(room, room.m(1))).toBe(true);
    room.must(room.act(room.m(1), 'problem.option', { text: 'Ask for a moment to think' }));
    room.must(room.act(room.m(2), 'problem.option', { text: 'Write down what was said' }));
    expect(view(room)?.options).toEqual([
      { id: expect.any(String), text: 'Ask for a moment to think', by: room.m(1), fits: null },
      { id: expect.any(String), text: 'Write down what was said', by: room.m(2), fits: null },
    ]);
  });

  it('weigh and plan: the floor goes back to the member, who marks what fits and writes a next step', () => {
    const room = stated();
    room.lead('problem.next');
    room.act(room.m(1), 'problem.option', { text: 'Ask for a moment to think' });
    room.act(room.m(2), 'problem.option', { text: 'Quit on the spot' });
    room.lead('problem.next');
    expect(view(room)?.step).toBe('weigh');
    expect(groupView(room.state).floor.turn?.holder).toBe(room.m(0));
    const [first, second] = view(room)!.options;
    room.must(room.act(room.m(0), 'problem.weigh', { optionId: first!.id, fits: true }));
    room.must(room.act(room.m(0), 'problem.weigh', { optionId: second!.id, fits: false }));
    expect(view(room)?.options.map((option) => option.fits)).toEqual([true, false]);
    room.lead('problem.next');
    expect(view(room)?.step).toBe('plan');
    room.must(room.act(room.m(0), 'problem.plan', { text: 'Next time I will say: let me think about that' }));
    expect(view(room)?.plan).toBe('Next time I will say: let me think about that');
    expect(groupView(room.state).floor.turn?.holder).toBe(room.m(0));
  });

  it('the facilitator ends it at any step; the floor goes back to nobody and the outcome is kept without option authors', () => {
    const room = stated();
    room.lead('problem.next');
    room.act(room.m(1), 'problem.option', { text: 'Ask for a moment to think' });
    room.lead('problem.next');
    room.act(room.m(0), 'problem.weigh', { optionId: view(room)!.options[0]!.id, fits: true });
    room.lead('problem.next');
    room.act(room.m(0), 'problem.plan', { text: 'Say: let me think' });
    room.lead('problem.end');
    expect(view(room)).toBeNull();
    expect(groupView(room.state).floor).toMatchObject({ heldBy: null, turn: null });
    expect(room.state.problemSolving.past).toEqual([
      { memberId: room.m(0), problem: 'I freeze when my boss criticises me', options: [{ text: 'Ask for a moment to think', fits: true }], plan: 'Say: let me think' },
    ]);
  });
});

describe('refusals', () => {
  it.each(table<{ name: string; code: ErrorCode; actor: (room: TestRoom) => string; command: (room: TestRoom) => ClientCommand }>([
    { name: 'another member states the problem: NOT_YOUR_TURN', code: 'NOT_YOUR_TURN', actor: (r) => r.m(1), command: (r) => r.command('problem.define', { text: 'Mine instead' }) },
    { name: 'moving on before the problem is stated: PROBLEM_NOT_STATED', code: 'PROBLEM_NOT_STATED', actor: (r) => r.facilitator, command: (r) => r.command('problem.next') },
    { name: 'an option during define: WRONG_STEP', code: 'WRONG_STEP', actor: (r) => r.m(1), command: (r) => r.command('problem.option', { text: 'Too early' }) },
    { name: 'a plan during define: WRONG_STEP', code: 'WRONG_STEP', actor: (r) => r.m(0), command: (r) => r.command('problem.plan', { text: 'Too early' }) },
    { name: 'a second exercise: EXERCISE_RUNNING', code: 'EXERCISE_RUNNING', actor: (r) => r.facilitator, command: (r) => r.command('problem.start', { memberId: r.m(1), anonymous: false, k: 3 }) },
    { name: 'a round meanwhile: EXERCISE_RUNNING', code: 'EXERCISE_RUNNING', actor: (r) => r.facilitator, command: (r) => r.command('round.start', { round: roundSettings() }) },
    {
      name: 'a scene meanwhile: EXERCISE_RUNNING',
      code: 'EXERCISE_RUNNING',
      actor: (r) => r.facilitator,
      command: (r) => r.command('scene.start', { title: 'Scene', cast: [{ role: 'Me', kind: 'protagonist', memberId: r.m(1) }] }),
    },
    { name: 'granting the floor while the member holds it: EXERCISE_RUNNING', code: 'EXERCISE_RUNNING', actor: (r) => r.facilitator, command: (r) => r.command('floor.grant', { to: r.m(1) }) },
    { name: 'a member moves the exercise on: FORBIDDEN', code: 'FORBIDDEN', actor: (r) => r.m(0), command: (r) => r.command('problem.next') },
  ]))('during define, %s', (_, { actor, command, code }) => {
    const room = exercise();
    expectRefused(room, actor(room), command(room), code);
  });

  it.each(table<{ name: string; code: ErrorCode; actor: (room: TestRoom) => string; command: (room: TestRoom) => ClientCommand }>([
    { name: 'the member offers an idea to themselves: FORBIDDEN', code: 'FORBIDDEN', actor: (r) => r.m(0), command: (r) => r.command('problem.option', { text: 'My own idea' }) },
    { name: 'weighing before the weigh step: WRONG_STEP', code: 'WRONG_STEP', actor: (r) => r.m(0), command: (r) => r.command('problem.weigh', { optionId: 'option-1', fits: true }) },
    { name: 'restating the problem: WRONG_STEP', code: 'WRONG_STEP', actor: (r) => r.m(0), command: (r) => r.command('problem.define', { text: 'Something else' }) },
  ]))('during options, %s', (_, { actor, command, code }) => {
    const room = stated();
    room.lead('problem.next');
    expectRefused(room, actor(room), command(room), code);
  });

  it.each(table<{ name: string; code: ErrorCode; actor: (room: TestRoom) => string; command: (room: TestRoom) => ClientCommand }>([
    { name: 'another member marks an option: NOT_YOUR_TURN', code: 'NOT_YOUR_TURN', actor: (r) => r.m(1), command: (r) => r.command('problem.weigh', { optionId: view(r)!.options[0]!.id, fits: true }) },
    { name: 'an option nobody offered: NOT_FOUND', code: 'NOT_FOUND', actor: (r) => r.m(0), command: (r) => r.command('problem.weigh', { optionId: 'option-unknown', fits: true }) },
    { name: 'a late option: WRONG_STEP', code: 'WRONG_STEP', actor: (r) => r.m(1), command: (r) => r.command('problem.option', { text: 'One more' }) },
  ]))('during weigh, %s', (_, { actor, command, code }) => {
    const room = stated();
    room.lead('problem.next');
    room.act(room.m(1), 'problem.option', { text: 'Ask for a moment' });
    room.lead('problem.next');
    expectRefused(room, actor(room), command(room), code);
  });

  it('plan is the last step: moving on from it is refused with WRONG_STEP', () => {
    const room = stated();
    room.lead('problem.next');
    room.lead('problem.next');
    room.lead('problem.next');
    expectRefused(room, room.facilitator, room.command('problem.next'), 'WRONG_STEP');
  });

  it.each(table<{ name: string; code: ErrorCode; setup: (room: TestRoom) => void }>([
    { name: 'a round is running: ROUND_RUNNING', code: 'ROUND_RUNNING', setup: (r) => r.lead('round.start', { round: roundSettings() }) },
    {
      name: 'a scene is running: SCENE_RUNNING',
      code: 'SCENE_RUNNING',
      setup: (r) => r.lead('scene.start', { title: 'Scene', cast: [{ role: 'Me', kind: 'protagonist', memberId: r.m(1) }] }),
    },
  ]))('starting an exercise is refused when %s', (_, { setup, code }) => {
    const room = groupRoom({ members: 4 });
    setup(room);
    expectRefused(room, room.facilitator, room.command('problem.start', { memberId: room.m(0), anonymous: false, k: 3 }), code);
  });

  it.each(table<{ name: string; code: ErrorCode; memberId: (room: TestRoom) => string }>([
    { name: 'the facilitator: NOT_FOUND', code: 'NOT_FOUND', memberId: (r) => r.facilitator },
    { name: 'someone still waiting: NOT_FOUND', code: 'NOT_FOUND', memberId: (r) => r.waiting[0]! },
  ]))('an exercise for %s is refused', (_, { memberId, code }) => {
    const room = groupRoom({ members: 4, waiting: 1 });
    expectRefused(room, room.facilitator, room.command('problem.start', { memberId: memberId(room), anonymous: false, k: 3 }), code);
  });

  it.each(table([{ name: 'problem.next' }, { name: 'problem.end' }] as const))('%s with no exercise is refused with NO_EXERCISE', (_, { name }) => {
    const room = groupRoom({ members: 3 });
    expectRefused(room, room.facilitator, room.command(name), 'NO_EXERCISE');
  });
});

describe('the member who brought the problem leaves', () => {
  it('the exercise ends as it stood and the floor is free again', () => {
    const room = stated();
    room.must(room.act(room.m(0), 'leave'));
    expect(view(room)).toBeNull();
    expect(groupView(room.state).floor).toMatchObject({ heldBy: null, turn: null });
    expect(room.state.problemSolving.past).toEqual([{ memberId: room.m(0), problem: 'I freeze when my boss criticises me', options: [], plan: null }]);
  });
});

describe('anonymous options, sealed like anonymous feedback', () => {
  const toOptions = (members = 5) => {
    const room = stated(members, true);
    room.lead('problem.next');
    return room;
  };
  const promptOf = (room: TestRoom) => view(room)!.promptId!;

  it('the options step opens a prompt the member is not eligible for; each idea is sealed and nobody learns who sent it', () => {
    const room = toOptions();
    expect(view(room)).toMatchObject({ step: 'options', anonymous: true, k: 3, eligibleCount: 4 });
    expect(memberView(room.state, room.m(0), testAnonymiser).feedback).toMatchObject({ mayAnswer: false });
    expectRefused(room, room.m(1), room.command('problem.option', { text: 'Named idea' }), 'WRONG_STEP');
    for (const [index, text] of [[1, 'Breathe first'], [2, 'Ask for it in writing'], [3, 'Talk to HR']] as const) {
      const before = room.state;
      expectSealed(room.act(room.m(index), 'feedback.submit', { promptId: promptOf(room), text }), before);
    }
    expect(room.act(room.m(0), 'feedback.submit', { promptId: promptOf(room), text: 'Me' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(JSON.stringify(facilitatorView(room.state))).not.toContain('Breathe first');
    expect(JSON.stringify(groupView(room.state))).not.toContain('Breathe first');
  });

  it('at weigh the ideas are released, shuffled and without authors, once k answered', () => {
    const room = toOptions();
    for (const [index, text] of [[1, 'Breathe first'], [2, 'Ask for it in writing'], [3, 'Talk to HR']] as const) {
      room.act(room.m(index), 'feedback.submit', { promptId: promptOf(room), text });
    }
    room.lead('problem.next');
    const options = view(room)!.options;
    expect(options.map((option) => option.text).sort()).toEqual(['Ask for it in writing', 'Breathe first', 'Talk to HR']);
    expect(options.every((option) => option.by === null)).toBe(true);
    expect(view(room)?.withheld).toBe(false);
    expect(groupView(room.state).feedback.open).toBeNull();
    expect(JSON.stringify(room.state)).not.toMatch(/"by":"member-/);
  });

  it('fewer than k ideas: nothing is released, and the exercise goes on', () => {
    const room = toOptions();
    room.act(room.m(1), 'feedback.submit', { promptId: promptOf(room), text: 'Breathe first' });
    room.act(room.m(2), 'feedback.submit', { promptId: promptOf(room), text: 'Talk to HR' });
    room.lead('problem.next');
    expect(view(room)).toMatchObject({ step: 'weigh', options: [], withheld: true });
    expect(JSON.stringify(room.state)).not.toContain('Breathe first');
  });

  it('too few members here to be anonymous: moving to options is refused with TOO_FEW_MEMBERS', () => {
    const room = stated(3, true);
    expectRefused(room, room.facilitator, room.command('problem.next'), 'TOO_FEW_MEMBERS');
  });

  it('ending during the options step closes the prompt by its own rule', () => {
    const room = toOptions();
    room.lead('problem.end');
    expect(groupView(room.state).feedback.open).toBeNull();
    expect(room.state.problemSolving.past[0]).toMatchObject({ options: [], plan: null });
  });
});
