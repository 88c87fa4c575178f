import { describe, expect, it } from 'vitest';
import { expectPublished, expectSealed, FACILITATOR, START, table, TestRoom, testAnonymiser } from './fixtures.test-support.js';
import { groupRoom as standingGroupRoom } from './group-room.js';
import { migrateRoom, STATE_SCHEMA } from './migrations.js';
import { facilitatorView, groupView, memberView } from './projection.js';
import { LATE_AFTER_MS, sessionOutcome } from './standing-group.js';
import type { GoalView, MemberHistory } from './state.js';

const history = (name: string, extra: Partial<MemberHistory> = {}): MemberHistory => ({ name, ratings: [], lastAttendance: null, goals: [], emergencyContact: null, ...extra });

/** A TestRoom holding Session 3 of a group whose roster is Ana, Ben, Chloe (in that order). */
function sessionRoom(memberCap = 12, feedbackK = 3): TestRoom {
  const room = new TestRoom();
  room.state = standingGroupRoom({
    sessionId: 'session-3',
    groupId: 'group-1',
    number: 3,
    title: 'Tuesday group',
    facilitatorId: FACILITATOR,
    facilitatorName: 'Dana',
    now: room.now,
    agenda: [{ name: 'Check-in', floorMode: 'stick', prompts: ['How do you arrive?'] }, { name: 'Work', floorMode: 'queue', theme: 'Trust', prompts: [] }],
    memberCap,
    agreement: 'What is said here stays here.',
    feedbackK,
    members: [
      { id: 'ana-1', history: history('Ana', { ratings: [{ session: 2, rating: 6 }], lastAttendance: 'late', emergencyContact: 'Marta, +49 30 1' }) },
      { id: 'ben-1', history: history('Ben') },
      { id: 'chloe-1', history: history('Chloe', { emergencyContact: 'Dr. Okafor' }) },
    ],
  });
  room.must(room.reconnect(FACILITATOR));
  return room;
}

/** The member comes in through their personal link and their socket opens. */
const arrive = (room: TestRoom, id: string) => {
  room.must(room.system({ type: 'join.member', memberId: id }));
  room.must(room.reconnect(id));
};

describe('a member of a standing group comes in through their personal link', () => {
  it('sits at once, with no waiting room, in the roster order whatever the order of arrival', () => {
    const room = sessionRoom();
    arrive(room, 'chloe-1');
    arrive(room, 'ana-1');
    expect(room.state.seats).toEqual([FACILITATOR, 'ana-1', 'chloe-1']);
    expect(room.state.participants['ana-1']).toMatchObject({ name: 'Ana', status: 'admitted', presence: 'online' });
    expect(facilitatorView(room.state).waiting).toEqual([]);
    arrive(room, 'ben-1');
    expect(room.state.seats).toEqual([FACILITATOR, 'ana-1', 'ben-1', 'chloe-1']);
  });

  it.each(table([
    { name: 'someone not on the roster', setup: (_room: TestRoom) => undefined, memberId: 'stranger-1', code: 'NOT_FOUND' },
    { name: 'a member whose link was revoked in this session', setup: (room: TestRoom) => void room.must(room.system({ type: 'member.revoke', memberId: 'ana-1' })), memberId: 'ana-1', code: 'REMOVED' },
    { name: 'a member when the room is at the group’s cap', setup: (room: TestRoom) => ['ben-1', 'chloe-1'].forEach((id) => arrive(room, id)), memberId: 'ana-1', code: 'ROOM_FULL', cap: 2 },
  ] as const))('refused: %s', (_, row) => {
    const room = sessionRoom('cap' in row ? row.cap : 12);
    if (row.name.includes('revoked')) arrive(room, 'ana-1');
    row.setup(room);
    const before = room.state;
    expect(room.system({ type: 'join.member', memberId: row.memberId })).toMatchObject({ ok: false, code: row.code });
    expect(room.state).toBe(before);
  });

  it('is refused in a one-off room, where only invite links lead in', () => {
    const room = new TestRoom();
    expect(room.system({ type: 'join.member', memberId: 'ana-1' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('the same member on another device changes nothing; one who left may come back to their seat', () => {
    const room = sessionRoom();
    arrive(room, 'ana-1');
    arrive(room, 'ben-1');
    const before = room.state;
    expect(room.system({ type: 'join.member', memberId: 'ana-1' })).toMatchObject({ ok: true, stored: false });
    expect(room.state).toBe(before);
    room.must(room.act('ana-1', 'leave'));
    expect(room.state.seats).toEqual([FACILITATOR, 'ben-1']);
    arrive(room, 'ana-1');
    expect(room.state.seats).toEqual([FACILITATOR, 'ana-1', 'ben-1']);
  });

  it('revoking takes the member out of everything at once; revoking someone not here changes nothing', () => {
    const room = sessionRoom();
    arrive(room, 'ana-1');
    room.must(room.act('ana-1', 'hand.raise'));
    room.must(room.system({ type: 'member.revoke', memberId: 'ana-1' }));
    expect(room.state.participants['ana-1']!.status).toBe('removed');
    expect(room.state.seats).toEqual([FACILITATOR]);
    expect(room.state.floor.queue).toEqual([]);
    const before = room.state;
    expect(room.system({ type: 'member.revoke', memberId: 'ben-1' })).toMatchObject({ ok: true, stored: false });
    expect(room.state).toBe(before);
  });
});

describe('location at check-in', () => {
  it('is sealed: only the facilitator and the member themselves see it', () => {
    const room = sessionRoom();
    arrive(room, 'ana-1');
    arrive(room, 'ben-1');
    const before = room.state;
    expectSealed(room.act('ana-1', 'location.confirm', { location: 'at home in Leipzig' }), before);
    expect(facilitatorView(room.state).group!.members.find((m) => m.memberId === 'ana-1')!.location).toBe('at home in Leipzig');
    expect(memberView(room.state, 'ana-1', testAnonymiser).group).toEqual({ goals: [], location: 'at home in Leipzig' });
    expect(JSON.stringify(memberView(room.state, 'ben-1', testAnonymiser))).not.toContain('Leipzig');
    expect(JSON.stringify(groupView(room.state))).not.toContain('Leipzig');
  });

  it('is refused in a one-off room and from the facilitator', () => {
    const room = new TestRoom({ members: 1 });
    expect(room.act(room.m(0), 'location.confirm', { location: 'home' })).toMatchObject({ ok: false, code: 'NOT_A_GROUP_SESSION' });
    const session = sessionRoom();
    expect(session.act(FACILITATOR, 'location.confirm', { location: 'office' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});

describe('the facilitator’s panel and the safety alert', () => {
  it('shows each member’s last ratings and attendance from the records, the emergency contact only when a member in a moment drops', () => {
    const room = sessionRoom();
    arrive(room, 'ana-1');
    arrive(room, 'ben-1');
    expect(facilitatorView(room.state).group!.members[0]).toMatchObject({ name: 'Ana', ratings: [{ session: 2, rating: 6 }], lastAttendance: 'late', arrived: 'on-time' });
    room.must(room.act('ana-1', 'location.confirm', { location: 'in the car' }));
    room.must(room.act('ana-1', 'moment.need', { tellGroup: false }));
    expect(facilitatorView(room.state).alerts[0]!.dropped).toBeNull();
    room.must(room.drop('ana-1'));
    expect(facilitatorView(room.state).alerts[0]!.dropped).toEqual({ location: 'in the car', emergencyContact: 'Marta, +49 30 1' });
    for (const id of ['ana-1', 'ben-1']) expect(JSON.stringify(memberView(room.state, id, testAnonymiser))).not.toContain('Marta');
    expect(JSON.stringify(groupView(room.state))).not.toContain('Marta');
  });

  it('goals written during the session: a shared one changes the group view, a private one is sealed', () => {
    const room = sessionRoom();
    arrive(room, 'ana-1');
    const goal = (id: string, visibleToGroup: boolean): GoalView => ({ id, text: `goal ${id}`, visibleToGroup, progress: [] });
    let before = room.state;
    expectSealed(room.system({ type: 'member.goals', memberId: 'ana-1', goals: [goal('g1', false)] }), before);
    before = room.state;
    expectPublished(room.system({ type: 'member.goals', memberId: 'ana-1', goals: [goal('g1', false), goal('g2', true)] }), before);
    expect(groupView(room.state).groupSession!.sharedGoals).toEqual([{ memberId: 'ana-1', goalId: 'g2', text: 'goal g2' }]);
    expect(facilitatorView(room.state).group!.members[0]!.goals).toHaveLength(2);
    expect(memberView(room.state, 'ana-1', testAnonymiser).group!.goals).toHaveLength(2);
  });
});

describe('what the session’s record holds', () => {
  it('attendance: present, late (after check-in started or after the grace minutes), absent, left early', () => {
    const room = sessionRoom();
    arrive(room, 'ana-1');
    room.lead('round.start', { round: { prompt: 'How do you arrive?', order: 'seats', moodScale: true } });
    room.after(60_000);
    arrive(room, 'ben-1');
    room.must(room.act('ana-1', 'round.rate', { rating: 8 }));
    room.must(room.act('ben-1', 'round.rate', { rating: 3 }));
    room.must(room.act('ben-1', 'leave'));
    room.lead('session.end');
    const outcome = sessionOutcome(room.state)!;
    expect(outcome.attendance).toEqual({ 'ana-1': 'present', 'ben-1': 'left_early', 'chloe-1': 'absent' });
    expect(outcome.ratings).toEqual({ 'ana-1': 8, 'ben-1': 3 });
    expect(outcome.rounds).toEqual([{ purpose: 'check-in', prompt: 'How do you arrive?', outcomes: expect.any(Object) }]);

    const late = sessionRoom();
    late.after(LATE_AFTER_MS + 1);
    arrive(late, 'chloe-1');
    late.lead('session.end');
    expect(sessionOutcome(late.state)!.attendance['chloe-1']).toBe('late');
  });

  it('released feedback carries the prompt and its items only, and a replaced round is kept', () => {
    const room = sessionRoom();
    ['ana-1', 'ben-1', 'chloe-1'].forEach((id) => arrive(room, id));
    room.lead('round.start', { round: { prompt: 'First', order: 'seats', moodScale: false } });
    room.lead('round.end');
    room.lead('round.start', { round: { prompt: 'Second', order: 'seats', moodScale: false } });
    room.lead('feedback.open', { question: 'What helped?', answer: 'text', audience: 'group', k: 3 });
    const promptId = room.state.feedback.open!.id;
    for (const id of ['ana-1', 'ben-1', 'chloe-1']) room.must(room.act(id, 'feedback.submit', { promptId, text: `from someone ${id.length}` }));
    room.lead('session.end');
    const outcome = sessionOutcome(room.state)!;
    expect(outcome.rounds.map((round) => round.prompt)).toEqual(['First', 'Second']);
    expect(outcome.feedback).toEqual([{ prompt: 'What helped?', items: expect.any(Array) }]);
    expect(JSON.stringify(outcome.feedback)).not.toMatch(/ana|ben|chloe/);
  });

  it('a problem-solving exercise: the problem, the options with their marks and the plan, never who offered an option', () => {
    const room = sessionRoom();
    ['ana-1', 'ben-1', 'chloe-1'].forEach((id) => arrive(room, id));
    room.lead('problem.start', { memberId: 'ana-1', anonymous: false, k: 3 });
    room.must(room.act('ana-1', 'problem.define', { text: 'I freeze when criticised' }));
    room.lead('problem.next');
    room.must(room.act('ben-1', 'problem.option', { text: 'Ask for a moment' }));
    room.lead('problem.next');
    room.must(room.act('ana-1', 'problem.weigh', { optionId: groupView(room.state).problem!.options[0]!.id, fits: true }));
    room.lead('problem.next');
    room.must(room.act('ana-1', 'problem.plan', { text: 'Say: let me think' }));
    // The session ends with the exercise still open: it is recorded as it stood.
    room.lead('session.end');
    const outcome = sessionOutcome(room.state)!;
    expect(outcome.problems).toEqual([{ memberId: 'ana-1', problem: 'I freeze when criticised', options: [{ text: 'Ask for a moment', fits: true }], plan: 'Say: let me think' }]);
    expect(JSON.stringify(outcome.problems)).not.toContain('ben-1');
  });

  it('no prompt of the session goes below the group’s k, whatever the facilitator asks', () => {
    const room = sessionRoom(12, 4);
    ['ana-1', 'ben-1', 'chloe-1'].forEach((id) => arrive(room, id));
    expect(room.act(FACILITATOR, 'feedback.open', { question: 'What helped?', answer: 'text', audience: 'group', k: 3 })).toMatchObject({ ok: false, code: 'TOO_FEW_MEMBERS' });
    expect(groupView(room.state).groupSession!.agreement).toBe('What is said here stays here.');
    // The facilitator's form starts from the group's k, so it offers what the room will apply.
    expect(facilitatorView(room.state).group!.feedbackK).toBe(4);
  });

  it('the group’s default agenda reaches the room with its themes and prompts; the record keeps the agenda as run', () => {
    const room = sessionRoom();
    expect(groupView(room.state).agenda.phases).toEqual([
      { name: 'Check-in', floorMode: 'stick', prompts: ['How do you arrive?'] },
      { name: 'Work', floorMode: 'queue', theme: 'Trust', prompts: [] },
    ]);
    room.lead('phase.edit', { index: 1, phase: { name: 'Work', floorMode: 'queue', theme: 'Conflict', prompts: ['What do you avoid saying?'] } });
    room.lead('session.end');
    expect(sessionOutcome(room.state)!.agenda[1]).toEqual({ name: 'Work', floorMode: 'queue', theme: 'Conflict', prompts: ['What do you avoid saying?'] });
  });

  it('is null for a one-off room', () => {
    expect(sessionOutcome(new TestRoom().state)).toBeNull();
  });
});

describe('stored rooms of schema 2', () => {
  it('become one-off rooms (no group session) in this schema', () => {
    const { group: _group, facilitatorIds, ...stored } = { ...new TestRoom({ members: 2 }).state, schema: 2 };
    const migrated = migrateRoom({ ...stored, facilitatorId: facilitatorIds[0] });
    expect(migrated.schema).toBe(STATE_SCHEMA);
    expect(migrated.group).toBeNull();
    expect(migrated.createdAt).toBe(START);
  });
});
