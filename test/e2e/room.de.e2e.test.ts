import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { room as de } from '../../client/src/i18n/de/room.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { until } from '../support/holdspace.js';
import { startMediaHoldspace, type MediaHoldspace } from '../support/media.js';
import { openPerson, sees, type Person } from '../support/room-people.js';
import { screenFaults } from './support/screen-check.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const worker = fileURLToPath(new URL('../../node_modules/mediasoup/worker/out/Release/mediasoup-worker', import.meta.url));

/**
 * A member's room in German, in Chromium: the circle, a check-in round on her turn, the feedback
 * form, a problem-solving step, a scene watched from the audience and her dialogs. On each, at
 * desktop and phone size, every text she can read or hear is a German catalogue message (or user
 * data), and axe finds no WCAG 2.1 A/AA fault. The facilitator and the others act over sockets.
 */
describe('a member’s room in German', () => {
  let server: MediaHoldspace;
  let browser: TestBrowser;
  let ana: Person;
  let facilitator: RoomConnection;
  const others: Record<string, { id: string; connection: RoomConnection }> = {};

  const check = (screen: string) => screenFaults(ana.page, screen, 'de');
  const facilitatorSends = async (intent: Parameters<RoomConnection['send']>[0]) => {
    const ack = await facilitator.send(intent);
    if (!ack.ok) throw new Error(`${intent.type} refused: ${ack.code}`);
  };

  beforeAll(async () => {
    await build({ configFile: `${root}vite.config.ts`, root: `${root}client`, logLevel: 'warn' });
    if (!existsSync(worker) && !process.env.MEDIASOUP_WORKER_BIN) throw new Error('The mediasoup worker is not built: run `npm install` first.');
    [server, browser] = await Promise.all([startMediaHoldspace(), launchBrowser()]);
    const room = await server.createRoom('Donnerstagsgruppe');
    facilitator = server.connect(room.token);
    await until(facilitator, (s) => s.group !== null);
    ana = await openPerson(browser, 'Ana');
    const joined = await server.join(room.inviteUrl, 'Ana');
    const saved = JSON.stringify({ roomId: room.roomId, token: joined.token, role: 'member', media: { audio: true, video: true } });
    await ana.page.addInitScript((value) => {
      sessionStorage.setItem('holdspace.session', value);
      localStorage.setItem('holdspace.language', 'de');
    }, saved);
    await ana.page.goto(`${server.url}/room/${room.roomId}`);
    await facilitatorSends({ type: 'admit', memberId: joined.memberId });
    for (const name of ['Ben', 'Cleo', 'Dev']) {
      const member = await server.join(room.inviteUrl, name);
      others[name] = { id: member.memberId, connection: server.connect(member.token) };
      await facilitatorSends({ type: 'admit', memberId: member.memberId });
    }
    await until(facilitator, (s) => s.group?.seats.length === 5 && s.group.seats.every((seat) => seat.presence === 'online'), 10_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the circle and a handout', async () => {
    await sees(ana.page.getByRole('heading', { name: 'Der Kreis, 5 Plätze' }), 'the circle in German');
    await facilitatorSends({ type: 'handout.show', handout: { kind: 'text', title: 'Atmen', text: 'Vier Sekunden ein, vier aus.' } });
    await sees(ana.page.getByRole('heading', { name: 'Handout: Atmen' }), 'the handout');
    const problems = await check('circle');
    await facilitatorSends({ type: 'handout.hide' });
    expect(problems).toEqual([]);
  });

  it('a check-in round on her turn, with the mood scale and a time box', async () => {
    await facilitatorSends({ type: 'round.start', round: { purpose: 'check-in', prompt: 'Wie kommen Sie heute an?', order: 'seats', timeBoxSeconds: 120, moodScale: true } });
    await sees(ana.page.getByText(de.round.yourTurn), 'her turn in German');
    const problems = await check('round');
    await ana.page.locator('.round').getByRole('button', { name: de.round.done }).click();
    await facilitatorSends({ type: 'round.end' });
    expect(problems).toEqual([]);
  });

  it('the anonymous feedback form', async () => {
    await facilitatorSends({ type: 'feedback.open', question: 'Was hat Ihnen heute geholfen?', answer: 'both', audience: 'group', k: 3 });
    await sees(ana.page.getByRole('button', { name: de.feedback.send }), 'the feedback form in German');
    const problems = await check('feedback');
    await facilitatorSends({ type: 'feedback.close' });
    expect(problems).toEqual([]);
  });

  it('a problem-solving step: Ben’s problem, her idea at the options step', async () => {
    await facilitatorSends({ type: 'problem.start', memberId: others.Ben!.id, anonymous: false, k: 3 });
    await sees(ana.page.getByText(de.problem.listen), 'the define step in German');
    const ack = await others.Ben!.connection.send({ type: 'problem.define', text: 'Ich erstarre, wenn mein Chef mich kritisiert.' });
    expect(ack.ok).toBe(true);
    await facilitatorSends({ type: 'problem.next' });
    await sees(ana.page.getByRole('button', { name: de.problem.offer }), 'the options step in German');
    const problems = await check('problem');
    await facilitatorSends({ type: 'problem.end' });
    expect(problems).toEqual([]);
  });

  it('a scene, watched from the audience', async () => {
    await facilitatorSends({
      type: 'scene.start',
      title: 'Das Gespräch mit der Schwester',
      cast: [
        { role: 'Ich', kind: 'protagonist', memberId: others.Ben!.id },
        { role: 'Die Schwester', kind: 'antagonist', memberId: others.Cleo!.id },
      ],
      durationSeconds: 300,
    });
    await sees(ana.page.getByText(de.stage.audienceYou), 'the stage in German');
    const problems = await check('scene');
    await facilitatorSends({ type: 'scene.end' });
    expect(problems).toEqual([]);
  });

  it('her dialogs: a moment, devices, leaving', async () => {
    const problems: string[] = [];
    for (const [button, title] of [
      [de.controls.needMoment, de.moment.title],
      [de.controls.devices, de.devices.title],
      [de.controls.leave, de.leave.title],
    ] as const) {
      await ana.page.locator('#controls').getByRole('button', { name: button }).click();
      await sees(ana.page.getByRole('heading', { name: title }), `the dialog "${title}"`);
      problems.push(...(await check(title)));
      await ana.page.keyboard.press('Escape');
    }
    expect(problems).toEqual([]);
  });
});
