import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { seatedRoom, until, type SeatedRoom } from '../support/holdspace.js';
import { recordFrames } from './support/frame-recorder.js';
import { MarkerBook, searchLog, type Finding } from './support/marker-search.js';
import { startHoldspaceProcess, type HoldspaceProcess } from './support/holdspace-process.js';

const EXERCISES = 14;
const MEMBERS = 6;
const K = 3;

/**
 * The anonymity canary (anonymity.test.ts) for problem-solving's anonymous options: a member brings
 * a problem again and again, the others offer ideas anonymously, and every frame any client gets and
 * every line the server logs at the production level is searched for an idea next to its author.
 */
describe('anonymity canary, problem-solving options', () => {
  let server: HoldspaceProcess;
  let room: SeatedRoom;
  const book = new MarkerBook();
  const findings: Finding[] = [];
  const violations: string[] = [];
  /** While ideas are coming in nothing may reach anyone but the sender: not a version, not the facilitator's view. */
  let collecting = false;
  const seenAt = new Map<string, number>();
  const frames = { count: 0, duringCollection: 0 };

  beforeAll(async () => {
    server = await startHoldspaceProcess({ env: { LOG_LEVEL: 'info', EVENTS_PER_SECOND: '1000', EVENT_BURST: '5000', ENTRY_PER_MINUTE: '100000' } });
    room = await seatedRoom(server, Array.from({ length: MEMBERS }, (_, i) => `zq-author-${i + 1}`), 'Problem-solving canary');
    for (const member of room.members) {
      book.author(member.name, member.name);
      book.author(member.name, member.id);
    }
    const clients: [string, RoomConnection][] = [['facilitator', room.facilitator], ...room.members.map((m): [string, RoomConnection] => [m.name, m.connection])];
    for (const [who, connection] of clients) {
      recordFrames(
        connection.socket,
        (text, at) => {
          frames.count++;
          for (const link of book.links(text)) findings.push({ source: `frame to ${who}`, record: text.slice(0, 400), ...link });
          const event = text.match(/^\d*\["([a-z.]+)"/)?.[1];
          if (collecting && (event === 'room' || (event === 'self' && who === 'facilitator'))) {
            frames.duringCollection++;
            violations.push(`${event} frame to ${who} while ideas were coming in`);
          }
          for (const content of text.match(/zq-content-[a-z0-9]+/g) ?? []) if (!seenAt.has(content)) seenAt.set(content, at);
        },
        (ids) => {
          if (who !== 'facilitator') for (const id of ids) book.author(who, id);
        },
      );
    }
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('ideas offered anonymously reach nobody before release, are released shuffled without authors only from k on, and are logged nowhere', { timeout: 120_000 }, async () => {
    const facilitator = room.facilitator;
    const everyone = [facilitator, ...room.members.map((m) => m.connection)];
    const allHold = (version: number) => Promise.all(everyone.map((c) => until(c, (s) => (s.group?.version ?? 0) >= version, 10_000)));
    let released = 0;
    let withheld = 0;
    let inSubmissionOrder = 0;
    let byOwner = 0;
    for (let e = 0; e < EXERCISES; e++) {
      const owner = room.members[e % MEMBERS]!;
      const others = room.members.filter((m) => m !== owner);
      expect(await facilitator.send({ type: 'problem.start', memberId: owner.id, anonymous: true, k: K })).toMatchObject({ ok: true });
      expect(await owner.connection.send({ type: 'problem.define', text: `Problem ${e}` })).toMatchObject({ ok: true });
      const opened = await facilitator.send({ type: 'problem.next' });
      if (!opened.ok) throw new Error(`problem.next refused: ${opened.code}`);
      await allHold(opened.version);
      const promptId = facilitator.snapshot.group!.problem!.promptId!;
      book.eligible(promptId, others.map((m) => m.name));
      collecting = true;
      const mine = await owner.connection.send({ type: 'feedback.submit', promptId, text: `zq-content-o${randomBytes(5).toString('hex')}` });
      if (mine.ok) byOwner++;
      // Every third exercise gets fewer than k ideas: they must stay hidden for good.
      const howMany = e % 3 === 2 ? K - 1 : K + (e % (others.length - K + 1));
      const submitted: string[] = [];
      for (const member of others.slice(0, howMany)) {
        const marker = `zq-content-${randomBytes(6).toString('hex')}`;
        book.content(marker, member.name, promptId);
        const ack = await member.connection.send({ type: 'feedback.submit', promptId, text: `${marker} maybe try this` });
        if (!ack.ok) throw new Error(`idea refused: ${ack.code}`);
        submitted.push(marker);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      collecting = false;
      const releasedAt = performance.now();
      const weighed = await facilitator.send({ type: 'problem.next' });
      if (!weighed.ok) throw new Error(`problem.next refused: ${weighed.code}`);
      await allHold(weighed.version);
      for (const marker of submitted) {
        const at = seenAt.get(marker);
        if (at !== undefined && at < releasedAt) violations.push(`${marker} reached someone before release`);
      }
      const problem = facilitator.snapshot.group!.problem!;
      const shown = problem.options.map((option) => option.text.match(/zq-content-[a-z0-9]+/)?.[0]);
      if (submitted.length >= K) {
        released++;
        expect(problem.withheld).toBe(false);
        expect([...shown].sort()).toEqual([...submitted].sort());
        expect(problem.options.every((option) => option.by === null)).toBe(true);
        if (shown.every((marker, i) => marker === submitted[i])) inSubmissionOrder++;
      } else {
        withheld++;
        expect(problem).toMatchObject({ withheld: true, options: [] });
        for (const marker of submitted) if (seenAt.has(marker)) violations.push(`withheld ${marker} reached someone`);
      }
      for (const connection of everyone) expect(JSON.stringify(connection.snapshot.group?.feedback.results)).not.toMatch(/zq-content-/);
      expect(await facilitator.send({ type: 'problem.end' })).toMatchObject({ ok: true });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    findings.push(...searchLog(book, 'server stdout (pino, info)', server.stdout()), ...searchLog(book, 'server stderr', server.stderr()));
    const logLinesWithContent = (server.stdout() + server.stderr()).split('\n').filter((line) => line.includes('zq-content-')).length;

    console.log(
      `problem-solving canary: ${EXERCISES} exercises (${released} released, ${withheld} withheld), ${frames.count} frames searched, ` +
        `${frames.duringCollection} frames while ideas came in, ${inSubmissionOrder} releases in submission order, ${byOwner} ideas accepted from the owner, ` +
        `${logLinesWithContent} log lines with an idea, ${findings.length} author links`,
    );
    expect(findings).toEqual([]);
    expect(violations).toEqual([]);
    expect(byOwner).toBe(0);
    expect(logLinesWithContent).toBe(0);
    // With 3 to 5 ideas a release in submission order has odds of 1 in 6 or less; all of them in order means no shuffle.
    expect(inSubmissionOrder).toBeLessThan(released);
  });
});
