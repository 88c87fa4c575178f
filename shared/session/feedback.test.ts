import { describe, expect, it } from 'vitest';
import type { CommandOf } from '../protocol/commands.js';
import type { ErrorCode } from '../protocol/errors.js';
import { expectPublished, expectRefused, groupRoom, table, type TestRoom } from './fixtures.test-support.js';
import { testAnonymiser } from './fixtures.test-support.js';
import { facilitatorView, groupView, memberView } from './projection.js';

type Open = Omit<CommandOf<'feedback.open'>, 'id' | 'type'>;
type Answer = Omit<CommandOf<'feedback.submit'>, 'id' | 'type' | 'promptId'>;

const question = (overrides: Partial<Open> = {}): Open => ({ question: 'What did you notice in yourself today?', answer: 'text', audience: 'group', k: 3, ...overrides });

const promptId = (room: TestRoom) => groupView(room.state).feedback.open!.id;
const answer = (room: TestRoom, member: string, body: Answer) => room.act(member, 'feedback.submit', { promptId: promptId(room), ...body });

/** Every view anyone could be sent, as text. */
const everyView = (room: TestRoom) =>
  JSON.stringify([groupView(room.state), facilitatorView(room.state), ...room.members.map((id) => memberView(room.state, id, testAnonymiser))]);

const roomWithPrompt = (members: number, prompt: Partial<Open> = {}, seed = 1) => {
  const room = groupRoom({ members, seed });
  room.lead('feedback.open', question(prompt));
  return room;
};

describe('opening a feedback prompt', () => {
  it('everyone sees the open prompt', () => {
    const room = groupRoom({ members: 4 });
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'feedback.open', question({ answer: 'both', k: 4 })), before);
    expect(groupView(room.state).feedback.open).toMatchObject({ question: 'What did you notice in yourself today?', answer: 'both', about: null, audience: 'group', k: 4 });
  });

  it('feedback about a member or about the scene says so', () => {
    const room = groupRoom({ members: 4 });
    room.lead('feedback.open', question({ about: { memberId: room.m(0) } }));
    expect(groupView(room.state).feedback.open?.about).toEqual({ memberId: room.m(0) });
    room.lead('feedback.close');
    room.lead('feedback.open', question({ about: { scene: true } }));
    expect(groupView(room.state).feedback.open?.about).toEqual({ scene: true });
  });

  it.each(table<{ name: string; members: number; code: ErrorCode; prompt: (room: TestRoom) => Partial<Open> }>([
    { name: 'with fewer members than k: TOO_FEW_MEMBERS', members: 3, code: 'TOO_FEW_MEMBERS', prompt: () => ({ k: 4 }) },
    { name: 'for a member alone, who can never be anonymous: TOO_FEW_MEMBERS', members: 1, code: 'TOO_FEW_MEMBERS', prompt: () => ({ k: 3 }) },
    {
      name: 'about a member, leaving too few to answer once they are left out: TOO_FEW_MEMBERS',
      members: 3,
      code: 'TOO_FEW_MEMBERS',
      prompt: (room) => ({ k: 3, about: { memberId: room.m(1) } }),
    },
    { name: 'about someone not in the group: NOT_FOUND', members: 4, code: 'NOT_FOUND', prompt: () => ({ about: { memberId: 'member-unknown' } }) },
    { name: 'about the facilitator: NOT_FOUND', members: 4, code: 'NOT_FOUND', prompt: (room) => ({ about: { memberId: room.facilitator } }) },
    {
      name: 'while another prompt is open: FEEDBACK_OPEN',
      members: 4,
      code: 'FEEDBACK_OPEN',
      prompt: (room) => (room.lead('feedback.open', question()), {}),
    },
  ]))('opening a prompt %s', (_, { members, prompt, code }) => {
    const room = groupRoom({ members });
    const body = question(prompt(room));
    expectRefused(room, room.facilitator, room.command('feedback.open', body), code);
  });
});

describe('answering', () => {
  it('an answer is stored sealed: nobody is told, the version stays, only the sender sees they answered', () => {
    const room = roomWithPrompt(4);
    const before = room.state;
    const views = [groupView(before), facilitatorView(before), memberView(before, room.m(1), testAnonymiser)];
    const outcome = answer(room, room.m(0), { text: 'I felt less alone' });
    expect(outcome).toMatchObject({ ok: true, published: false, stored: true, duplicate: false });
    expect(room.state.version).toBe(before.version);
    expect(room.state.revision).toBe(before.revision + 1);
    expect([groupView(room.state), facilitatorView(room.state), memberView(room.state, room.m(1), testAnonymiser)]).toEqual(views);
    expect(memberView(room.state, room.m(0), testAnonymiser).feedback?.answered).toBe(true);
  });

  it('no view shows how many have answered, or what, before the prompt closes', () => {
    const room = roomWithPrompt(4);
    const group = groupView(room.state);
    const facilitator = facilitatorView(room.state);
    answer(room, room.m(0), { text: 'first secret' });
    answer(room, room.m(1), { text: 'second secret' });
    answer(room, room.m(2), { text: 'third secret' });
    expect([groupView(room.state), facilitatorView(room.state)]).toEqual([group, facilitator]);
    expect(everyView(room)).not.toMatch(/secret/);
    expect(room.state.version).toBe(group.version);
  });

  it('the next published change moves the version on by one from where it was before the answers', () => {
    const room = roomWithPrompt(4);
    const version = room.state.version;
    answer(room, room.m(0), { text: 'something' });
    room.act(room.m(1), 'hand.raise');
    expect(room.state.version).toBe(version + 1);
  });

  it.each(table<{ name: string; prompt: Partial<Open>; body: Answer; item: object }>([
    { name: 'a text prompt takes a text', prompt: { answer: 'text' }, body: { text: 'Thank you' }, item: { text: 'Thank you' } },
    { name: 'a scale prompt takes a number', prompt: { answer: 'scale' }, body: { scale: 4 }, item: { scale: 4 } },
    { name: 'a both prompt takes a text alone', prompt: { answer: 'both' }, body: { text: 'Thank you' }, item: { text: 'Thank you' } },
    { name: 'a both prompt takes a number alone', prompt: { answer: 'both' }, body: { scale: 2 }, item: { scale: 2 } },
    { name: 'a both prompt takes both', prompt: { answer: 'both' }, body: { text: 'Thank you', scale: 5 }, item: { text: 'Thank you', scale: 5 } },
  ]))('%s', (_, { prompt, body, item }) => {
    const room = roomWithPrompt(3, { ...prompt, k: 3 });
    for (const member of room.members) answer(room, member, body);
    room.lead('feedback.close');
    expect(groupView(room.state).feedback.results[0]?.items).toEqual([item, item, item]);
  });

  it.each(table<{ name: string; prompt: Partial<Open>; body: Answer }>([
    { name: 'a number to a text prompt', prompt: { answer: 'text' }, body: { scale: 3 } },
    { name: 'a text and a number to a text prompt', prompt: { answer: 'text' }, body: { text: 'Hi', scale: 3 } },
    { name: 'a text to a scale prompt', prompt: { answer: 'scale' }, body: { text: 'Hi' } },
    { name: 'nothing at all to a text prompt', prompt: { answer: 'text' }, body: {} },
    { name: 'nothing at all to a both prompt', prompt: { answer: 'both' }, body: {} },
  ]))('answering with %s is refused as INVALID', (_, { prompt, body }) => {
    const room = roomWithPrompt(3, prompt);
    expectRefused(room, room.m(0), room.command('feedback.submit', { promptId: promptId(room), ...body }), 'INVALID');
  });

  it.each(table<{ name: string; code: ErrorCode; sender: (room: TestRoom) => string; prompt?: (room: TestRoom) => Partial<Open>; setup?: (room: TestRoom) => void }>([
    { name: 'the facilitator answers: FORBIDDEN', code: 'FORBIDDEN', sender: (room) => room.facilitator },
    { name: 'the member it is about answers: FORBIDDEN', code: 'FORBIDDEN', sender: (room) => room.m(0), prompt: (room) => ({ about: { memberId: room.m(0) } }) },
    { name: 'a member answers twice: ALREADY_SUBMITTED', code: 'ALREADY_SUBMITTED', sender: (room) => room.m(1), setup: (room) => void answer(room, room.m(1), { text: 'Once' }) },
  ]))('an answer is refused when %s', (_, { sender, code, prompt, setup }) => {
    const room = groupRoom({ members: 4 });
    room.lead('feedback.open', question(prompt?.(room)));
    setup?.(room);
    expectRefused(room, sender(room), room.command('feedback.submit', { promptId: promptId(room), text: 'Twice' }), code);
  });

  it.each(table<{ name: string; code: ErrorCode; setup: (room: TestRoom) => string }>([
    { name: 'no prompt was ever opened: NO_FEEDBACK_PROMPT', code: 'NO_FEEDBACK_PROMPT', setup: () => 'prompt-made-up' },
    { name: 'the prompt id is not the open one: NO_FEEDBACK_PROMPT', code: 'NO_FEEDBACK_PROMPT', setup: (room) => (room.lead('feedback.open', question()), 'prompt-made-up') },
    {
      name: 'the prompt has closed: FEEDBACK_CLOSED',
      code: 'FEEDBACK_CLOSED',
      setup: (room) => {
        room.lead('feedback.open', question());
        const id = promptId(room);
        room.lead('feedback.close');
        return id;
      },
    },
    {
      name: 'the prompt has closed and another is open: FEEDBACK_CLOSED',
      code: 'FEEDBACK_CLOSED',
      setup: (room) => {
        room.lead('feedback.open', question());
        const id = promptId(room);
        room.lead('feedback.close');
        room.lead('feedback.open', question({ question: 'And now?' }));
        return id;
      },
    },
  ]))('an answer is refused when %s', (_, { setup, code }) => {
    const room = groupRoom({ members: 4 });
    const id = setup(room);
    expectRefused(room, room.m(0), room.command('feedback.submit', { promptId: id, text: 'Late' }), code);
  });

  it('a retried answer (same command id) is not counted twice', () => {
    const room = roomWithPrompt(3, { k: 3 });
    const command = room.command('feedback.submit', { promptId: promptId(room), text: 'Only once' });
    room.send(room.m(0), command);
    expect(room.send(room.m(0), command)).toMatchObject({ ok: true, duplicate: true });
    answer(room, room.m(1), { text: 'Another' });
    room.lead('feedback.close');
    expect(groupView(room.state).feedback.results[0]?.status).toBe('withheld');
  });
});

describe('closing a prompt', () => {
  it('with at least k members answering, the group sees every answer, shuffled, and nobody’s name on them', () => {
    const room = roomWithPrompt(5, { k: 3 });
    const texts = ['You were brave', 'I recognised myself', 'Thank you for the honesty', 'It moved me'];
    texts.forEach((text, index) => answer(room, room.m(index), { text }));
    const before = room.state;
    expectPublished(room.act(room.facilitator, 'feedback.close'), before);
    const [result] = groupView(room.state).feedback.results;
    expect(result?.status).toBe('released');
    expect(result?.items?.map((item) => item.text).sort()).toEqual([...texts].sort());
    expect(groupView(room.state).feedback.open).toBeNull();
    expect(JSON.stringify(result)).not.toMatch(/member-/);
  });

  it('with fewer than k members answering, the answers are withheld from everyone, the facilitator included', () => {
    const room = roomWithPrompt(5, { k: 3 });
    answer(room, room.m(0), { text: 'only me' });
    answer(room, room.m(1), { text: 'and me' });
    room.lead('feedback.close');
    expect(groupView(room.state).feedback.results).toEqual([{ prompt: expect.objectContaining({ k: 3 }), status: 'withheld' }]);
    expect(facilitatorView(room.state).feedbackResults).toEqual([]);
    expect(everyView(room)).not.toMatch(/only me|and me/);
    expect(JSON.stringify(room.state)).not.toMatch(/only me|and me/);
  });

  it('a prompt nobody answered is withheld', () => {
    const room = roomWithPrompt(3, { k: 3 });
    room.lead('feedback.close');
    expect(groupView(room.state).feedback.results[0]).toMatchObject({ status: 'withheld' });
  });

  it('answers meant for the facilitator reach only the facilitator', () => {
    const room = roomWithPrompt(4, { k: 3, audience: 'facilitator', answer: 'scale' });
    for (const member of room.members.slice(0, 3)) answer(room, member, { scale: 2 });
    room.lead('feedback.close');
    const prompt = room.state.feedback.results[0]!.prompt;
    expect(groupView(room.state).feedback.results).toEqual([{ prompt, status: 'released' }]);
    expect(facilitatorView(room.state).feedbackResults).toEqual([{ promptId: prompt.id, items: [{ scale: 2 }, { scale: 2 }, { scale: 2 }] }]);
    for (const id of room.members) expect(JSON.stringify(memberView(room.state, id, testAnonymiser))).not.toMatch(/scale|items/);
  });

  it('answers meant for the group are not repeated in the facilitator’s private view (they see the group view)', () => {
    const room = roomWithPrompt(3, { k: 3 });
    for (const [i, member] of room.members.entries()) answer(room, member, { text: `answer ${i}` });
    room.lead('feedback.close');
    expect(groupView(room.state).feedback.results[0]?.status).toBe('released');
    expect(facilitatorView(room.state).feedbackResults).toEqual([]);
  });

  it('after closing, who answered is forgotten everywhere', () => {
    const room = roomWithPrompt(4, { k: 3 });
    answer(room, room.m(0), { text: 'a' });
    answer(room, room.m(2), { text: 'b' });
    room.lead('feedback.close');
    for (const id of room.members) expect(memberView(room.state, id, testAnonymiser).feedback).toBeNull();
    expect(JSON.stringify(room.state.feedback)).not.toMatch(/member-/);
  });

  it('results of earlier prompts stay, in the order the prompts were closed', () => {
    const room = roomWithPrompt(3, { k: 3, question: 'First?' });
    room.lead('feedback.close');
    room.lead('feedback.open', question({ k: 3, question: 'Second?' }));
    room.lead('feedback.close');
    expect(groupView(room.state).feedback.results.map((result) => result.prompt.question)).toEqual(['First?', 'Second?']);
  });

  it('closing when no prompt is open is refused with NO_FEEDBACK_PROMPT', () => {
    const room = groupRoom({ members: 3 });
    expectRefused(room, room.facilitator, room.command('feedback.close'), 'NO_FEEDBACK_PROMPT');
  });
});

describe('the order of answers says nothing about who answered first', () => {
  const members = 4;
  const run = (seed: number) => {
    const room = roomWithPrompt(members, { k: 3 }, seed);
    for (let index = 0; index < members; index++) answer(room, room.m(index), { text: `answer ${index}` });
    const stored = room.state.feedback.items.map((item) => item.text);
    room.lead('feedback.close');
    const released = groupView(room.state).feedback.results[0]!.items!.map((item) => item.text);
    return { stored, released };
  };
  const seeds = Array.from({ length: 60 }, (_, index) => index + 1);

  it('in storage, the first answer lands at every position over many seeds', () => {
    const positions = new Set(seeds.map((seed) => run(seed).stored.indexOf('answer 0')));
    expect(positions).toEqual(new Set([0, 1, 2, 3]));
  });

  it('once released, the first answer lands at every position over many seeds', () => {
    const positions = new Set(seeds.map((seed) => run(seed).released.indexOf('answer 0')));
    expect(positions).toEqual(new Set([0, 1, 2, 3]));
  });

  it('the released order is a fresh shuffle, not the stored order', () => {
    expect(seeds.some((seed) => run(seed).stored.join() !== run(seed).released.join())).toBe(true);
  });
});

describe('what the stored state keeps of who answered', () => {
  it('recognises a retried answer by its command id alone, and forgets even that at close', () => {
    const room = roomWithPrompt(4);
    const submits = [0, 1, 2].map((i) => room.command('feedback.submit', { promptId: promptId(room), text: `answer ${i}` }));
    submits.forEach((command, i) => expect(room.send(room.m(i), command)).toMatchObject({ ok: true, duplicate: false }));
    // A retry after a reconnect: the same id is a duplicate, not a second answer or an error.
    expect(room.send(room.m(1), submits[1]!)).toMatchObject({ ok: true, duplicate: true });
    // No participant's record of applied commands holds an answer's id.
    const applied = JSON.stringify(room.state.applied);
    for (const command of submits) expect(applied).not.toContain(command.id);
    room.lead('feedback.close');
    const stored = JSON.stringify(room.state);
    for (const command of submits) expect(stored).not.toContain(command.id);
    expect(room.state.feedback).toMatchObject({ submitters: [], receipts: [], items: [] });
  });
});

describe('who may answer is fixed when the prompt opens: admitted members here at that moment', () => {
  /** Members who joined through the invite and were admitted but are not here: never connected, or dropped, or left. */
  const puppetRoom = (real: number, puppets: number, how: 'never connected' | 'dropped' | 'left' = 'dropped') => {
    const room = groupRoom({ members: how === 'never connected' ? real : real + puppets });
    for (let i = real; i < real + puppets; i++) {
      if (how === 'never connected') {
        const id = `puppet-${i}`;
        room.must(room.system({ type: 'join', memberId: id, name: `Puppet ${i}` }));
        room.lead('admit', { memberId: id });
        room.members.push(id);
      } else if (how === 'dropped') room.drop(room.m(i));
      else room.act(room.m(i), 'leave');
    }
    return room;
  };

  it.each(table<{ name: string; real: number; puppets: number; how: 'never connected' | 'dropped' | 'left'; prompt?: (room: TestRoom) => Partial<Open> }>([
    { name: 'one real member and two puppets who joined and were admitted but never connected', real: 1, puppets: 2, how: 'never connected' },
    { name: 'one real member and two dropped puppets', real: 1, puppets: 2, how: 'dropped' },
    { name: 'one real member and two puppets who left', real: 1, puppets: 2, how: 'left' },
    { name: 'two real members and five dropped puppets', real: 2, puppets: 5, how: 'dropped' },
    { name: 'three members, a prompt about one of them, and puppets', real: 3, puppets: 4, how: 'dropped', prompt: (room) => ({ about: { memberId: room.m(0) } }) },
  ]))('a prompt with k = 3 is refused with TOO_FEW_MEMBERS for %s', (_, { real, puppets, how, prompt }) => {
    const room = puppetRoom(real, puppets, how);
    expectRefused(room, room.facilitator, room.command('feedback.open', question({ k: 3, ...prompt?.(room) })), 'TOO_FEW_MEMBERS');
  });

  it.each(table<{ name: string; late: (room: TestRoom) => string }>([
    { name: 'a member admitted after it opened', late: (room) => room.admitNew('Late Comer') },
    {
      name: 'a puppet that was away when it opened and connects now',
      late: (room) => {
        room.reconnect(room.m(4));
        return room.m(4);
      },
    },
  ]))('an answer is refused with NOT_ELIGIBLE from %s, and nothing changes', (_, { late }) => {
    const room = puppetRoom(4, 1);
    room.lead('feedback.open', question({ k: 3 }));
    const sender = late(room);
    expectRefused(room, sender, room.command('feedback.submit', { promptId: promptId(room), text: 'counted?' }), 'NOT_ELIGIBLE');
  });

  it('a member here when it opened who drops afterwards can still answer', () => {
    const room = roomWithPrompt(4, { k: 3 });
    room.drop(room.m(2));
    room.reconnect(room.m(2));
    expect(answer(room, room.m(2), { text: 'back again' })).toMatchObject({ ok: true, published: false });
  });

  it('everyone sees how many people may answer, so it can be matched against the faces in the circle', () => {
    const room = puppetRoom(4, 2);
    room.lead('feedback.open', question({ k: 3, about: { memberId: room.m(0) } }));
    expect(groupView(room.state).feedback.open?.eligibleCount).toBe(3);
    room.admitNew('Late Comer');
    expect(groupView(room.state).feedback.open?.eligibleCount).toBe(3);
  });

  it('answers from the puppets never count toward k: a real answer alongside them is withheld', () => {
    const room = puppetRoom(3, 2);
    room.lead('feedback.open', question({ k: 3 }));
    for (const puppet of [room.m(3), room.m(4)]) {
      room.reconnect(puppet);
      expect(answer(room, puppet, { text: 'puppet' })).toMatchObject({ ok: false, code: 'NOT_ELIGIBLE' });
    }
    answer(room, room.m(0), { text: 'the real answer' });
    room.lead('feedback.close');
    expect(groupView(room.state).feedback.results[0]?.status).toBe('withheld');
    expect(JSON.stringify(room.state)).not.toContain('the real answer');
  });

  it('the eligible set is not in any view, and is forgotten at close', () => {
    const room = roomWithPrompt(4, { k: 3 });
    expect(JSON.stringify([groupView(room.state).feedback, facilitatorView(room.state)])).not.toMatch(/member-/);
    room.lead('feedback.close');
    expect(JSON.stringify(room.state.feedback)).not.toMatch(/member-/);
  });
});

describe('k is at least 3', () => {
  it('a k below 3 that slips past the schema is raised to 3: at k = 2 each answerer would learn the other’s answer', () => {
    const room = groupRoom({ members: 3 });
    room.lead('feedback.open', question({ k: 2 }));
    expect(groupView(room.state).feedback.open?.k).toBe(3);
  });

  it('two members alone cannot be asked at all', () => {
    const room = groupRoom({ members: 2 });
    expectRefused(room, room.facilitator, room.command('feedback.open', question({ k: 2 })), 'TOO_FEW_MEMBERS');
  });
});

describe('a member’s own view of the open prompt', () => {
  it('names the prompt, whether they may answer and whether they have, so it changes when the next prompt opens', () => {
    const room = roomWithPrompt(4, { k: 3, about: { memberId: 'member-4' } });
    const first = promptId(room);
    answer(room, room.m(0), { text: 'one' });
    expect(memberView(room.state, room.m(0), testAnonymiser).feedback).toEqual({ promptId: first, mayAnswer: true, answered: true });
    expect(memberView(room.state, room.m(1), testAnonymiser).feedback).toEqual({ promptId: first, mayAnswer: true, answered: false });
    expect(memberView(room.state, room.m(3), testAnonymiser).feedback).toEqual({ promptId: first, mayAnswer: false, answered: false });
    room.lead('feedback.close');
    expect(memberView(room.state, room.m(0), testAnonymiser).feedback).toBeNull();
    room.lead('feedback.open', question({ k: 3 }));
    expect(memberView(room.state, room.m(0), testAnonymiser).feedback).toEqual({ promptId: promptId(room), mayAnswer: true, answered: false });
  });
});
