import { describe, expect, it } from 'vitest';
import { announce, type Seen } from '../../client/src/session/announcements.js';
import { setLanguage } from '../../client/src/i18n/index.js';
import { floorModeName, listOfNames, roundTitle, silenceForMe } from '../../client/src/session/room-view.js';
import type { FacilitatorView, GroupView, MemberView, ProblemView, SeatView } from '../../shared/session/projection.js';

const seat = (id: string, name: string, extra: Partial<SeatView> = {}): SeatView => ({
  id,
  name,
  role: id === 'fac' ? 'facilitator' : 'member',
  presence: 'online',
  steppedAway: false,
  muted: false,
  silenced: null,
  ...extra,
});

const group = (change: Partial<GroupView> = {}): GroupView => ({
  roomId: 'room-1',
  title: 'Tuesday group',
  version: 2,
  agenda: { phases: [{ name: 'Arrival', prompts: [] }, { name: 'Check-in', prompts: [] }], current: 0 },
  seats: [seat('fac', 'Dr. Rivera'), seat('ana', 'Ana'), seat('ben', 'Ben')],
  floor: { mode: 'open', heldBy: null, stick: false, turn: null, queue: [], meToo: 0 },
  round: null,
  scene: null,
  feedback: { open: null, results: [] },
  problem: null,
  ended: false,
  mediaEncryption: true,
  groupSession: null,
  screenShare: null,
  handout: null,
  ...change,
});

const ana: MemberView = { role: 'member', roomTitle: 'Tuesday group', you: { id: 'ana', name: 'Ana', status: 'admitted' }, steppedAway: null, feedback: null, myRating: null, group: null };
const facilitator: FacilitatorView = { role: 'facilitator', you: { id: 'fac', name: 'Dr. Rivera' }, waiting: [], airtime: {}, round: null, alerts: [], feedbackResults: [], group: null };

const turn = (holder: string) => ({ holder, startedAt: 0, endsAt: null, warnAt: null });
const round = (current: string | null, next: string | null, closed = false) => ({
  id: 'r1',
  purpose: 'check-in' as const,
  label: null,
  prompt: 'How are you arriving?',
  order: 'seats' as const,
  timeBoxMs: null,
  moodScale: false,
  speakers: ['ana', 'ben'],
  current,
  next,
  done: [],
  closed,
});
const scene = (cast: { role: string; memberId: string }[], frozenAt: number | null = null) => ({
  id: 's1',
  title: 'Telling my sister',
  setting: null,
  cast: cast.map((part, i) => ({ ...part, kind: i === 0 ? ('protagonist' as const) : ('other' as const) })),
  startedAt: 0,
  endsAt: null,
  frozenAt,
});

const withDouble = (memberId: string) => ({
  ...scene([{ role: 'A', memberId: 'ben' }]),
  cast: [...scene([{ role: 'A', memberId: 'ben' }]).cast, { role: 'A', kind: 'double' as const, memberId, behind: 0 }],
});
const problem = (step: 'define' | 'options' | 'weigh' | 'plan', extra: Partial<ProblemView> = {}): ProblemView => ({
  id: 'p1',
  memberId: 'ben',
  step,
  problem: step === 'define' ? null : 'I freeze when criticised',
  anonymous: false,
  k: 3,
  promptId: null,
  eligibleCount: null,
  options: [],
  withheld: false,
  plan: null,
  ...extra,
});

const texts = (before: Seen, after: Seen) => announce(before, after).map((a) => (a.urgent ? `!${a.text}` : a.text));

describe('what a screen reader is told when the room changes', () => {
  const cases: { name: string; before: Seen; after: Seen; told: string[] }[] = [
    { name: 'being let in', before: { group: null, self: { ...ana, you: { ...ana.you, status: 'waiting' } } }, after: { group: group(), self: ana }, told: ["You're in. Welcome to Tuesday group."] },
    { name: 'the first view on a reload is not news', before: { group: null, self: null }, after: { group: group(), self: ana }, told: [] },
    { name: 'nothing changed', before: { group: group(), self: ana }, after: { group: group({ version: 3 }), self: ana }, told: [] },
    { name: 'my turn, urgently', before: { group: group(), self: ana }, after: { group: group({ floor: { mode: 'queue', heldBy: null, stick: false, turn: turn('ana'), queue: [], meToo: 0 } }), self: ana }, told: ['The floor is now: Raised hands.', "!It's your turn. You have the floor."] },
    { name: "someone else's turn", before: { group: group(), self: ana }, after: { group: group({ floor: { mode: 'open', heldBy: null, stick: false, turn: turn('ben'), queue: [], meToo: 0 } }), self: ana }, told: ['Ben has the floor.'] },
    {
      name: 'a round starts with me first',
      before: { group: group(), self: ana },
      after: { group: group({ round: round('ana', 'ben'), floor: { mode: 'open', heldBy: 'round', stick: false, turn: turn('ana'), queue: [], meToo: 0 } }), self: ana },
      told: ['Check-in round started: How are you arriving?', "!It's your turn. Press “I'm done” when you have finished, or “Pass”."],
    },
    {
      name: 'I am next in the round',
      before: { group: group({ round: round('ben', null), floor: { mode: 'open', heldBy: 'round', stick: false, turn: turn('ben'), queue: [], meToo: 0 } }), self: ana },
      after: { group: group({ round: { ...round('ben', 'ana'), speakers: ['ben', 'ana'] }, floor: { mode: 'open', heldBy: 'round', stick: false, turn: turn('ben'), queue: [], meToo: 0 } }), self: ana },
      told: ["You're next."],
    },
    { name: 'the round ends', before: { group: group({ round: round('ben', null) }), self: ana }, after: { group: group({ round: round(null, null, true) }), self: ana }, told: ['The round has ended.'] },
    { name: 'a new phase', before: { group: group(), self: ana }, after: { group: group({ agenda: { phases: [{ name: 'Arrival', prompts: [] }, { name: 'Check-in', prompts: [] }], current: 1 } }), self: ana }, told: ['Now: Check-in, part 2 of 2.'] },
    {
      name: 'a scene with me in the cast',
      before: { group: group(), self: ana },
      after: { group: group({ scene: scene([{ role: 'The one who stayed', memberId: 'ana' }, { role: 'The one who left', memberId: 'ben' }]) }), self: ana },
      told: ['Role-play started: Telling my sister. You play The one who stayed.'],
    },
    {
      name: 'my role reversed, urgently',
      before: { group: group({ scene: scene([{ role: 'The one who stayed', memberId: 'ana' }, { role: 'The one who left', memberId: 'ben' }]) }), self: ana },
      after: { group: group({ scene: scene([{ role: 'The one who stayed', memberId: 'ben' }, { role: 'The one who left', memberId: 'ana' }]) }), self: ana },
      told: ['!Roles reversed: you now play The one who left.'],
    },
    {
      name: 'a freeze',
      before: { group: group({ scene: scene([{ role: 'A', memberId: 'ben' }]) }), self: ana },
      after: { group: group({ scene: scene([{ role: 'A', memberId: 'ben' }], 5) }), self: ana },
      told: ['The scene is frozen.'],
    },
    {
      name: 'I step in as a double, urgently',
      before: { group: group({ scene: scene([{ role: 'A', memberId: 'ben' }]) }), self: ana },
      after: { group: group({ scene: withDouble('ana') }), self: ana },
      told: ['!You step in as the double of A: you can be heard now.'],
    },
    {
      name: 'someone else steps in as a double',
      before: { group: group({ scene: scene([{ role: 'A', memberId: 'ben' }]) }), self: ana },
      after: { group: group({ scene: withDouble('cleo'), seats: [...group().seats, seat('cleo', 'Cleo')] }), self: ana },
      told: ['Cleo steps in as the double of A.'],
    },
    {
      name: 'a double steps out',
      before: { group: group({ scene: withDouble('ana') }), self: ana },
      after: { group: group({ scene: scene([{ role: 'A', memberId: 'ben' }]) }), self: ana },
      told: ['!You step back into the audience.'],
    },
    {
      name: 'I am swapped into a part, urgently',
      before: { group: group({ scene: scene([{ role: 'A', memberId: 'ben' }]) }), self: ana },
      after: { group: group({ scene: scene([{ role: 'A', memberId: 'ana' }]) }), self: ana },
      told: ['!You now play A: you can be heard now.', 'Ben steps back into the audience.'],
    },
    {
      name: 'a problem-solving exercise starts for someone else',
      before: { group: group(), self: ana },
      after: { group: group({ problem: problem('define') }), self: ana },
      told: ['Problem-solving: Ben brings a problem and states it. Please listen.'],
    },
    {
      name: 'the options step',
      before: { group: group({ problem: problem('define', { problem: 'I freeze when criticised' }) }), self: ana },
      after: { group: group({ problem: problem('options') }), self: ana },
      told: ['Problem-solving, options: offer your ideas.'],
    },
    {
      name: 'the exercise ends',
      before: { group: group({ problem: problem('plan') }), self: ana },
      after: { group: group(), self: ana },
      told: ['The problem-solving exercise has ended.'],
    },
    {
      name: 'my microphone paused by the facilitator',
      before: { group: group(), self: ana },
      after: { group: group({ seats: [seat('fac', 'Dr. Rivera'), seat('ana', 'Ana', { muted: true, silenced: 'MUTED_BY_FACILITATOR' }), seat('ben', 'Ben')] }), self: ana },
      told: ['!The facilitator paused your microphone.'],
    },
    { name: 'the session ends', before: { group: group({ floor: { mode: 'open', heldBy: null, stick: false, turn: turn('ben'), queue: [], meToo: 0 } }), self: ana }, after: { group: group({ ended: true }), self: ana }, told: ['The session has ended. Thank you for being here.'] },
    {
      name: 'the facilitator hears who waits and who needs a moment',
      before: { group: group(), self: facilitator },
      after: { group: group(), self: { ...facilitator, waiting: [{ id: 'cleo', name: 'Cleo', presence: 'online' }], alerts: [{ memberId: 'ben', name: 'Ben', at: 1, toldGroup: false, dropped: null }] } },
      told: ['Cleo is waiting to join.', '!Ben needs a moment.'],
    },
  ];

  it.each(cases)('$name', ({ before, after, told }) => {
    expect(texts(before, after)).toEqual(told);
  });

  it('a member is never told about anyone else waiting or needing a moment', () => {
    const withAlerts = { group: group(), self: { ...facilitator, alerts: [{ memberId: 'ben', name: 'Ben', at: 1, toldGroup: false, dropped: null }] } };
    expect(texts({ group: group(), self: ana }, { group: group(), self: ana })).toEqual([]);
    expect(texts(withAlerts, withAlerts)).toEqual([]);
  });
});

describe('what a screen reader is told, in German', () => {
  const inGerman = <T>(read: () => T): T => {
    setLanguage('de');
    try {
      return read();
    } finally {
      setLanguage('en');
    }
  };
  const stick = { mode: 'stick' as const, heldBy: 'round' as const, stick: true, queue: [], meToo: 0 };

  it('says a round, my turn and who is next in the formal voice', () => {
    const told = inGerman(() => texts({ group: group(), self: ana }, { group: group({ round: round('ana', 'ben'), floor: { ...stick, turn: turn('ana') } }), self: ana }));
    expect(told).toEqual(['Gesprächsform jetzt: Redestab.', 'Eingangsrunde beginnt: How are you arriving?', '!Sie sind an der Reihe. Drücken Sie „Ich bin fertig“, wenn Sie fertig sind, oder „Aussetzen“.']);
  });

  it('says who has the floor, a phase and a double with the names as typed', () => {
    expect(inGerman(() => texts({ group: group(), self: ana }, { group: group({ floor: { mode: 'open', heldBy: null, stick: false, turn: turn('ben'), queue: [], meToo: 0 } }), self: ana }))).toEqual(['Ben hat das Wort.']);
    expect(inGerman(() => texts({ group: group(), self: ana }, { group: group({ agenda: { phases: [{ name: 'Arrival', prompts: [] }, { name: 'Check-in', prompts: [] }], current: 1 } }), self: ana }))).toEqual(['Jetzt: Check-in, Teil 2 von 2.']);
    const before = { group: group({ scene: scene([{ role: 'A', memberId: 'ben' }]) }), self: ana };
    expect(inGerman(() => texts(before, { group: group({ scene: withDouble('ana') }), self: ana }))).toEqual(['!Sie treten als Doppel von A hinzu: Man kann Sie jetzt hören.']);
  });

  it('switches the shared labels with the language and back', () => {
    expect(inGerman(() => [floorModeName.queue, roundTitle({ purpose: 'check-out', label: null }), silenceForMe.NO_STICK, listOfNames(['Ana', 'Ben', 'Cleo'])])).toEqual([
      'Handzeichen',
      'Abschlussrunde',
      'Ihr Mikrofon ist stumm, bis der Redestab bei Ihnen ankommt.',
      'Ana, Ben und Cleo',
    ]);
    expect([floorModeName.queue, roundTitle({ purpose: 'check-out', label: null }), roundTitle({ purpose: 'custom', label: 'Dreams' })]).toEqual(['Raised hands', 'Check-out round', 'Dreams']);
  });
});
