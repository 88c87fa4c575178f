import { describe, expect, it } from 'vitest';
import { groupRoom, roundSettings, START, table } from './fixtures.test-support.js';
import { testAnonymiser } from './fixtures.test-support.js';
import { facilitatorView, groupView, memberView, selfView } from './projection.js';

/** A session in full swing, with something private in every corner. */
const busyRoom = () => {
  const room = groupRoom({ members: 4 });
  room.join('Wendy Waiting');
  room.act(room.m(3), 'hand.raise');
  room.act(room.m(2), 'moment.need', { tellGroup: false });
  room.lead('floor.grant', { to: room.m(0) });
  room.after(30_000).lead('floor.release');
  room.lead('round.start', { round: roundSettings({ moodScale: true }) });
  room.act(room.m(0), 'round.rate', { rating: 2 });
  room.act(room.m(0), 'round.pass');
  room.lead('feedback.open', { question: 'One word for today?', answer: 'text', audience: 'facilitator', k: 3 });
  room.act(room.m(1), 'feedback.submit', { promptId: groupView(room.state).feedback.open!.id, text: 'Relief' });
  return room;
};

describe('the group view', () => {
  it('shows the room, the circle, the floor, the round and the open prompt', () => {
    const room = busyRoom();
    const view = groupView(room.state);
    expect(view).toMatchObject({ roomId: 'room-test-1', title: 'Tuesday group', version: room.state.version, ended: false });
    expect(view.seats.map((seat) => [seat.name, seat.role, seat.presence])).toEqual([
      ['Dana', 'facilitator', 'online'],
      ['Member 1', 'member', 'online'],
      ['Member 2', 'member', 'online'],
      ['Member 3', 'member', 'online'],
      ['Member 4', 'member', 'online'],
    ]);
    expect(view.round).toMatchObject({ current: room.m(1), next: room.m(2), done: [room.m(0)], moodScale: true });
    expect(view.feedback.open?.question).toBe('One word for today?');
  });

  it('keeps out everything private: waiting names, airtime, private alerts, ratings, outcomes, answers', () => {
    const room = busyRoom();
    const text = JSON.stringify(groupView(room.state));
    for (const secret of ['Wendy', 'airtime', 'alert', 'rating', 'passed', 'outcome', 'Relief', 'submitted', 'applied', 'revision']) {
      expect(text).not.toContain(secret);
    }
    expect(groupView(room.state).seats.find((seat) => seat.id === room.m(2))?.steppedAway).toBe(false);
  });
});

describe('the facilitator view', () => {
  it('adds the waiting room, airtime, private alerts, round outcomes and ratings', () => {
    const room = busyRoom();
    const view = facilitatorView(room.state);
    expect(view).toMatchObject({
      role: 'facilitator',
      you: { id: room.facilitator, name: 'Dana' },
      waiting: [{ id: 'member-5', name: 'Wendy Waiting', presence: 'online' }],
      airtime: { [room.m(0)]: 30_000 },
      round: { outcomes: { [room.m(0)]: 'passed' }, ratings: { [room.m(0)]: 2 } },
      alerts: [{ memberId: room.m(2), name: 'Member 3', at: START, toldGroup: false }],
      feedbackResults: [],
    });
  });

  it('still shows no feedback answers while the prompt is open', () => {
    expect(JSON.stringify(facilitatorView(busyRoom().state))).not.toContain('Relief');
  });
});

describe('a member’s own view', () => {
  it.each(table([
    { name: 'the one who passed and rated', index: 0, expected: { steppedAway: null, feedback: { promptId: 'generated-2', mayAnswer: true, answered: false }, myRating: 2 } },
    { name: 'the one who answered the prompt', index: 1, expected: { steppedAway: null, feedback: { promptId: 'generated-2', mayAnswer: true, answered: true }, myRating: null } },
    { name: 'the one who needs a moment', index: 2, expected: { steppedAway: 'private', feedback: { promptId: 'generated-2', mayAnswer: true, answered: false }, myRating: null } },
    { name: 'the one with a raised hand (cleared by the round)', index: 3, expected: { steppedAway: null, feedback: { promptId: 'generated-2', mayAnswer: true, answered: false }, myRating: null } },
  ]))('%s sees only their own state', (_, { index, expected }) => {
    const room = busyRoom();
    const view = memberView(room.state, room.m(index), testAnonymiser);
    expect(view).toEqual({
      role: 'member',
      roomTitle: 'Tuesday group',
      you: { id: room.m(index), name: `Member ${index + 1}`, status: 'admitted' },
      group: null,
      ...expected,
    });
  });

  it('someone waiting sees their own status and the room title', () => {
    const room = busyRoom();
    expect(memberView(room.state, 'member-5', testAnonymiser)).toMatchObject({ roomTitle: 'Tuesday group', you: { name: 'Wendy Waiting', status: 'waiting' } });
  });

  it('a raised hand shows in the group view’s queue, once, not again in its owner’s own view', () => {
    const room = groupRoom({ members: 2 });
    room.act(room.m(1), 'hand.raise');
    expect(groupView(room.state).floor.queue).toEqual([room.m(1)]);
    expect(memberView(room.state, room.m(1), testAnonymiser)).not.toHaveProperty('handRaised');
  });
});

describe('selfView', () => {
  it('gives the facilitator their view and a member theirs', () => {
    const room = busyRoom();
    expect(selfView(room.state, room.facilitator, testAnonymiser)).toEqual(facilitatorView(room.state));
    expect(selfView(room.state, room.m(1), testAnonymiser)).toEqual(memberView(room.state, room.m(1), testAnonymiser));
  });
});

describe('facts the views render instead of deriving them', () => {
  const cases: { name: string; setUp: (room: ReturnType<typeof groupRoom>) => void; heldBy: 'round' | 'scene' | null; stick: boolean }[] = [
    { name: 'free conversation', setUp: () => {}, heldBy: null, stick: false },
    { name: 'the stick with nothing else running', setUp: (room) => room.lead('floor.mode', { mode: 'stick' }), heldBy: null, stick: true },
    {
      name: 'a round in stick mode (the round passes the floor, not the stick)',
      setUp: (room) => {
        room.lead('floor.mode', { mode: 'stick' });
        room.lead('round.start', { round: roundSettings() });
      },
      heldBy: 'round',
      stick: false,
    },
    {
      name: 'a round that has ended',
      setUp: (room) => {
        room.lead('round.start', { round: roundSettings() });
        room.lead('round.end');
      },
      heldBy: null,
      stick: false,
    },
    {
      name: 'a scene',
      setUp: (room) => room.lead('scene.start', { title: 'At the door', cast: [{ role: 'Me', kind: 'protagonist', memberId: room.m(0) }] }),
      heldBy: 'scene',
      stick: false,
    },
  ];
  it.each(cases)('$name', ({ setUp, heldBy, stick }) => {
    const room = groupRoom({ members: 3 });
    setUp(room);
    expect(groupView(room.state).floor).toMatchObject({ heldBy, stick });
  });
});
