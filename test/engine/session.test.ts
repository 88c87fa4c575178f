import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection, RoomSnapshot } from '../../client/src/session/connection.js';
import type { Ack } from '../../shared/protocol/events.js';
import type { FacilitatorView, GroupView, MemberView } from '../../shared/session/projection.js';
import { startHoldspace, until, type RunningHoldspace } from '../support/holdspace.js';

/**
 * A whole group session played by a facilitator and six members over real Socket.IO, through
 * the same connection code the browser uses. Each step asserts what every person sees and
 * what they must not see.
 */
describe('a whole session with a facilitator and six members', () => {
  let server: RunningHoldspace;
  let facilitator: RoomConnection;
  let inviteUrl: string;
  const names = ['Ana', 'Ben', 'Chloe', 'Dev', 'Eli', 'Fay'];
  const members: { name: string; id: string; connection: RoomConnection }[] = [];
  let everyone: RoomConnection[] = [];

  const ok = (ack: Ack) => {
    expect(ack, JSON.stringify(ack)).toMatchObject({ ok: true });
    return ack as Extract<Ack, { ok: true }>;
  };
  const refused = (ack: Ack, code: string) => expect(ack).toMatchObject({ ok: false, code });
  /** Wait until every connection holds at least this version, and return their snapshots. */
  const settle = async (version: number) =>
    Promise.all(everyone.map((connection) => until(connection, (s) => (s.group?.version ?? 0) >= version)));
  const group = (connection: RoomConnection) => connection.snapshot.group as GroupView;
  const facilitatorView = () => facilitator.snapshot.self as FacilitatorView;
  const member = (name: string) => members.find((m) => m.name === name)!;
  const command = async (connection: RoomConnection, intent: Parameters<RoomConnection['send']>[0]) => {
    const ack = ok(await connection.send(intent));
    await settle(ack.version);
    return ack;
  };
  /** What a member can read, all of it, as text: used to prove something is absent. */
  const visibleTo = (snapshot: RoomSnapshot) => JSON.stringify({ group: snapshot.group, self: snapshot.self });

  beforeAll(async () => {
    server = await startHoldspace({ GRACE_SECONDS: '30' });
    const room = await server.createRoom('Tuesday evening group');
    inviteUrl = room.inviteUrl;
    facilitator = server.connect(room.token);
    await until(facilitator, (s) => s.group !== null);
  });
  afterAll(async () => server?.stop());

  it('keeps arrivals in the waiting room until the facilitator admits or declines them', async () => {
    const waiting: { name: string; id: string; connection: RoomConnection }[] = [];
    for (const name of [...names, 'Gus']) {
      const joined = await server.join(inviteUrl, name);
      waiting.push({ name, id: joined.memberId, connection: server.connect(joined.token) });
    }
    await until(facilitator, (s) => (s.self as FacilitatorView).waiting.length === 7);
    expect(facilitatorView().waiting.map((w) => w.name)).toEqual([...names, 'Gus']);

    for (const person of waiting) {
      const snapshot = await until(person.connection, (s) => s.self !== null);
      // A waiting member sees only that they wait: nothing of the group or the others.
      expect(snapshot.group).toBeNull();
      expect((snapshot.self as MemberView).you.status).toBe('waiting');
      expect(visibleTo(snapshot)).not.toContain('Ana' === person.name ? 'Ben' : 'Ana');
      // A waiting member can do nothing yet.
      refused(await person.connection.send({ type: 'hand.raise' }), 'NOT_ADMITTED');
    }

    for (const person of waiting.slice(0, 6)) ok(await facilitator.send({ type: 'admit', memberId: person.id }));
    const gus = waiting[6]!;
    ok(await facilitator.send({ type: 'decline', memberId: gus.id }));
    await until(gus.connection, (s) => s.status === 'closed' && s.farewell?.code === 'DECLINED');
    expect(gus.connection.snapshot.group).toBeNull();

    members.push(...waiting.slice(0, 6));
    everyone = [facilitator, ...members.map((m) => m.connection)];
    await Promise.all(members.map((m) => until(m.connection, (s) => s.group?.seats.length === 7)));
    await settle(group(facilitator).version);

    // The circle is identical on every screen: facilitator first, then members in arrival order.
    const circle = group(facilitator).seats.map((seat) => seat.name);
    expect(circle).toEqual(['Dr. Rivera', ...names]);
    for (const connection of everyone) expect(group(connection).seats.map((s) => s.name)).toEqual(circle);
    expect(facilitatorView().waiting).toEqual([]);
    // Gus never reached the group.
    for (const connection of everyone) expect(JSON.stringify(group(connection))).not.toContain('Gus');
  });

  it('runs a check-in round in seat order with a mood rating, a pass, a timeout and a skip', async () => {
    ok(await facilitator.send({ type: 'phase.go', index: 1 }));
    const start = await command(facilitator, {
      type: 'round.start',
      round: { prompt: 'How are you arriving today?', order: 'seats', timeBoxSeconds: 10, moodScale: true },
    });
    for (const connection of everyone) {
      const view = group(connection);
      expect(view.agenda.current).toBe(1);
      expect(view.floor.mode).toBe('stick');
      expect(view.round?.current).toBe(member('Ana').id);
      expect(view.round?.next).toBe(member('Ben').id);
      expect(view.floor.turn?.endsAt).toBeGreaterThan(Date.now());
    }
    expect(start.version).toBeGreaterThan(1);
    // Only the speaker can be heard in a stick round.
    const silenced = group(facilitator).seats.filter((s) => s.silenced === 'NO_STICK').map((s) => s.name);
    expect(silenced).toEqual(names.slice(1));

    ok(await member('Ana').connection.send({ type: 'round.rate', rating: 7 }));
    refused(await member('Ben').connection.send({ type: 'turn.done' }), 'NOT_YOUR_TURN');
    await command(member('Ana').connection, { type: 'turn.done' });
    await command(member('Ben').connection, { type: 'round.pass' });
    expect(group(facilitator).round?.current).toBe(member('Chloe').id);

    // Chloe lets her 10 s time box run out: the server moves the round on by itself.
    await Promise.all(everyone.map((c) => until(c, (s) => s.group?.round?.current === member('Dev').id, 15_000)));
    await command(facilitator, { type: 'round.next' });
    await command(member('Eli').connection, { type: 'turn.done' });
    await command(member('Fay').connection, { type: 'turn.done' });

    for (const connection of everyone) {
      const round = group(connection).round!;
      expect(round.closed).toBe(true);
      expect(round.done).toEqual(members.map((m) => m.id));
      expect(group(connection).floor.turn).toBeNull();
    }
    // Ratings and who passed are the facilitator's alone.
    const summary = facilitatorView().round!;
    expect(summary.ratings).toEqual({ [member('Ana').id]: 7 });
    expect(summary.outcomes).toEqual({
      [member('Ana').id]: 'spoke',
      [member('Ben').id]: 'passed',
      [member('Chloe').id]: 'timed-out',
      [member('Dev').id]: 'skipped',
      [member('Eli').id]: 'spoke',
      [member('Fay').id]: 'spoke',
    });
    for (const m of members) {
      const seen = visibleTo(m.connection.snapshot);
      expect(seen).not.toContain('passed');
      expect(seen).not.toContain('timed-out');
      expect(seen).not.toContain('ratings');
      expect(seen).not.toContain('airtime');
    }
  });

  it('serves raised hands as a queue the facilitator can reorder, grant, skip and take back', async () => {
    await command(facilitator, { type: 'phase.go', index: 2 });
    expect(group(facilitator).floor.mode).toBe('queue');
    for (const name of ['Ben', 'Dev', 'Ana']) await command(member(name).connection, { type: 'hand.raise' });
    // A second raise is not a second place.
    ok(await member('Ben').connection.send({ type: 'hand.raise' }));
    const ids = (...who: string[]) => who.map((name) => member(name).id);
    expect(group(member('Fay').connection).floor.queue).toEqual(ids('Ben', 'Dev', 'Ana'));
    expect(member('Dev').connection.snapshot.group?.floor.queue).toContain(member('Dev').id);

    refused(await member('Chloe').connection.send({ type: 'queue.reorder', order: ids('Dev', 'Ben', 'Ana') }), 'FORBIDDEN');
    await command(facilitator, { type: 'queue.reorder', order: ids('Dev', 'Ben', 'Ana') });
    await command(facilitator, { type: 'floor.next', timeBoxSeconds: 120 });
    for (const connection of everyone) {
      expect(group(connection).floor.turn?.holder).toBe(member('Dev').id);
      expect(group(connection).floor.queue).toEqual(ids('Ben', 'Ana'));
    }
    // "Me too" is a count for the speaker, not a list of names.
    await command(member('Eli').connection, { type: 'meToo' });
    await command(member('Fay').connection, { type: 'meToo' });
    ok(await member('Fay').connection.send({ type: 'meToo' }));
    expect(group(member('Dev').connection).floor.meToo).toBe(2);
    expect(JSON.stringify(group(member('Dev').connection).floor)).not.toContain(member('Eli').id);

    refused(await member('Ana').connection.send({ type: 'turn.done' }), 'NOT_YOUR_TURN');
    await command(member('Dev').connection, { type: 'turn.done' });
    expect(group(facilitator).floor.turn).toBeNull();
    // Skip Ben: the facilitator grants Ana directly, then takes the floor back.
    await command(facilitator, { type: 'floor.grant', to: member('Ana').id });
    expect(group(member('Ben').connection).floor.turn?.holder).toBe(member('Ana').id);
    await command(facilitator, { type: 'floor.release' });
    expect(group(member('Ben').connection).floor.turn).toBeNull();
    expect(group(member('Ben').connection).floor.queue).toEqual(ids('Ben'));
    await command(member('Ben').connection, { type: 'hand.lower' });
    expect(group(facilitator).floor.queue).toEqual([]);
    // Airtime counts who held the floor, for the facilitator only.
    expect(facilitatorView().airtime[member('Dev').id]).toBeGreaterThan(0);
  });

  it('passes a talking stick round the circle', async () => {
    await command(facilitator, { type: 'floor.mode', mode: 'stick' });
    await command(facilitator, { type: 'floor.grant', to: member('Ana').id });
    refused(await member('Chloe').connection.send({ type: 'stick.pass', direction: 'next' }), 'NOT_YOUR_TURN');
    const order: string[] = [group(facilitator).floor.turn!.holder];
    for (let i = 0; i < members.length; i++) {
      const holder = members.find((m) => m.id === group(facilitator).floor.turn!.holder)!;
      // Only the holder can be heard, on every screen.
      for (const connection of everyone) {
        const heard = group(connection).seats.filter((s) => s.silenced === null).map((s) => s.id);
        expect(heard).toEqual([group(facilitator).seats[0]!.id, holder.id]);
      }
      await command(holder.connection, { type: 'stick.pass', direction: 'next' });
      order.push(group(facilitator).floor.turn!.holder);
    }
    expect(order).toEqual([...members.map((m) => m.id), member('Ana').id]);
    await command(member('Ana').connection, { type: 'stick.pass', direction: 'previous' });
    expect(group(facilitator).floor.turn?.holder).toBe(member('Fay').id);
    await command(facilitator, { type: 'floor.release' });
  });

  it('plays a role-play scene with a role reversal, then opens a sharing round for the audience', async () => {
    await command(facilitator, { type: 'phase.go', index: 3 });
    refused(
      await facilitator.send({
        type: 'scene.start',
        title: 'Telling my father',
        cast: [{ role: 'Ana', kind: 'antagonist', memberId: member('Ana').id }],
      }),
      'INVALID',
    );
    await command(facilitator, {
      type: 'scene.start',
      title: 'Telling my father',
      setting: 'The family kitchen, late evening',
      cast: [
        { role: 'Ana', kind: 'protagonist', memberId: member('Ana').id },
        { role: 'Father', kind: 'antagonist', memberId: member('Ben').id },
        { role: "Ana's double", kind: 'double', memberId: member('Chloe').id },
      ],
      durationSeconds: 600,
    });
    const onStage = [group(facilitator).seats[0]!.id, member('Ana').id, member('Ben').id, member('Chloe').id];
    for (const connection of everyone) {
      const view = group(connection);
      expect(view.scene?.cast.map((part) => part.role)).toEqual(['Ana', 'Father', "Ana's double"]);
      expect(view.seats.filter((s) => s.silenced === null).map((s) => s.id)).toEqual(onStage);
      expect(view.seats.filter((s) => s.silenced === 'AUDIENCE').map((s) => s.name)).toEqual(['Dev', 'Eli', 'Fay']);
    }
    refused(await facilitator.send({ type: 'round.start', round: { prompt: 'x', order: 'seats', moodScale: false } }), 'SCENE_RUNNING');

    await command(facilitator, { type: 'scene.reverse', roleA: 0, roleB: 1 });
    for (const connection of everyone) {
      const cast = group(connection).scene!.cast;
      expect(cast[0]).toMatchObject({ role: 'Ana', memberId: member('Ben').id });
      expect(cast[1]).toMatchObject({ role: 'Father', memberId: member('Ana').id });
    }
    await command(facilitator, { type: 'scene.freeze' });
    expect(group(member('Dev').connection).scene?.frozenAt).not.toBeNull();
    await command(facilitator, { type: 'scene.resume' });

    await command(facilitator, { type: 'scene.end', sharing: { prompt: 'What did the scene stir in you?', moodScale: false } });
    for (const connection of everyone) {
      const view = group(connection);
      expect(view.scene).toBeNull();
      expect(view.round?.purpose).toBe('sharing');
      expect(view.round?.speakers).toEqual([member('Dev').id, member('Eli').id, member('Fay').id]);
    }
    for (const name of ['Dev', 'Eli', 'Fay']) await command(member(name).connection, { type: 'turn.done' });
    expect(group(facilitator).round?.closed).toBe(true);
  });

  it('releases anonymous feedback only at close, shuffled and identical for all, when k members answered', async () => {
    await command(facilitator, { type: 'phase.go', index: 4 });
    await command(facilitator, { type: 'feedback.open', question: 'What did you notice in the group today?', answer: 'text', audience: 'group', k: 3 });
    const prompt = group(facilitator).feedback.open!;
    const versionBefore = group(facilitator).version;
    const texts = ['marker-alpha felt seen', 'marker-bravo wanted more time', 'marker-charlie noticed the silence', 'marker-delta was moved'];
    const writers = ['Ana', 'Ben', 'Chloe', 'Dev'];
    for (const [i, name] of writers.entries()) {
      const ack = ok(await member(name).connection.send({ type: 'feedback.submit', promptId: prompt.id, text: texts[i] }));
      // Submitting is sealed: no new version for anyone to notice.
      expect(ack.version).toBe(versionBefore);
    }
    refused(await member('Ana').connection.send({ type: 'feedback.submit', promptId: prompt.id, text: 'again' }), 'ALREADY_SUBMITTED');
    refused(await facilitator.send({ type: 'feedback.submit', promptId: prompt.id, text: 'padding' }), 'FORBIDDEN');
    await until(member('Ana').connection, (s) => (s.self as MemberView).feedback?.answered === true);
    expect((member('Eli').connection.snapshot.self as MemberView).feedback).toEqual({ promptId: prompt.id, mayAnswer: true, answered: false });

    // Nothing, not even a count, is visible before close.
    const sync = await facilitator.socket.emitWithAck('sync', {});
    expect(sync.ok && sync.group?.version).toBe(versionBefore);
    for (const connection of everyone) {
      const seen = visibleTo(connection.snapshot);
      for (const text of texts) expect(seen).not.toContain(text);
      expect(seen).not.toMatch(/submitters|"count"/);
    }

    await command(facilitator, { type: 'feedback.close' });
    const results = everyone.map((connection) => group(connection).feedback.results.at(-1)!);
    // The same bytes for everyone.
    for (const result of results) expect(JSON.stringify(result)).toBe(JSON.stringify(results[0]));
    expect(results[0]!.status).toBe('released');
    expect(results[0]!.items!.map((item) => item.text).sort()).toEqual([...texts].sort());
    refused(await member('Eli').connection.send({ type: 'feedback.submit', promptId: prompt.id, text: 'late' }), 'FEEDBACK_CLOSED');
  });

  it('withholds feedback when fewer than k members answered, and shows it to nobody', async () => {
    await command(facilitator, {
      type: 'feedback.open',
      question: 'Anything you could not say aloud?',
      answer: 'both',
      audience: 'facilitator',
      k: 3,
    });
    const prompt = group(facilitator).feedback.open!;
    ok(await member('Eli').connection.send({ type: 'feedback.submit', promptId: prompt.id, text: 'marker-echo unsaid', scale: 2 }));
    ok(await member('Fay').connection.send({ type: 'feedback.submit', promptId: prompt.id, scale: 4 }));
    await command(facilitator, { type: 'feedback.close' });
    for (const connection of everyone) {
      const result = group(connection).feedback.results.at(-1)!;
      expect(result).toEqual({ prompt, status: 'withheld' });
      expect(visibleTo(connection.snapshot)).not.toContain('marker-echo');
    }
    expect(facilitatorView().feedbackResults.some((r) => r.promptId === prompt.id)).toBe(false);
  });

  it('lets the members who answered one prompt answer the next one too', async () => {
    const writers = ['Ana', 'Ben', 'Chloe'];
    for (const round of [1, 2]) {
      await command(facilitator, { type: 'feedback.open', question: `Prompt ${round}: what stayed with you?`, answer: 'text', audience: 'group', k: 3 });
      const prompt = group(facilitator).feedback.open!;
      for (const name of writers) {
        // What the member's screen decides from: the open prompt, and whether they answered it.
        await until(member(name).connection, (s) => JSON.stringify((s.self as MemberView).feedback) === JSON.stringify({ promptId: prompt.id, mayAnswer: true, answered: false }));
        ok(await member(name).connection.send({ type: 'feedback.submit', promptId: prompt.id, text: `marker-round-${round} from someone` }));
        await until(member(name).connection, (s) => (s.self as MemberView).feedback?.answered === true);
      }
      await command(facilitator, { type: 'feedback.close' });
      expect(group(facilitator).feedback.results.at(-1)).toMatchObject({ status: 'released', items: writers.map(() => ({ text: `marker-round-${round} from someone` })) });
    }
  });

  it('checks out: the last phase is reached by everyone', async () => {
    await command(facilitator, { type: 'phase.go', index: 5 });
    await command(facilitator, { type: 'round.start', round: { prompt: 'One word to leave with', order: 'seats', moodScale: false } });
    for (const m of members) await command(m.connection, { type: 'turn.done' });
    for (const connection of everyone) {
      const view = group(connection);
      expect(view.agenda.phases[view.agenda.current]?.name).toBe('Check-out');
      expect(view.round?.closed).toBe(true);
    }
  });
});
