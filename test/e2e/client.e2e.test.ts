import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import type { RunningHoldspace } from '../support/holdspace.js';
import { startMediaHoldspace } from '../support/media.js';
import {
  announced,
  doesNotHear,
  focusRingVisible,
  hears,
  openPerson,
  seatOrder,
  sees,
  seesNo,
  seesVideoOf,
  tabTo,
  tile,
  type Person,
} from '../support/room-people.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// The README's screenshots are rewritten only when asked (UPDATE_SCREENSHOTS=1), so a test run
// leaves the checkout clean; otherwise they go to a temporary folder, still proving each screen renders.
const screenshots = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
  : join(tmpdir(), `holdspace-screenshots-${process.pid}/`);
const worker = fileURLToPath(new URL('../../node_modules/mediasoup/worker/out/Release/mediasoup-worker', import.meta.url));

const MEMBERS = ['Ana', 'Ben', 'Cleo'] as const;

/**
 * A whole group session through the UI only: a facilitator and three members, each in their own
 * browser context, from the facilitator console and the invite link to check-out.
 */
describe('a whole session in the browser', () => {
  let server: RunningHoldspace;
  let browser: TestBrowser;
  let facilitator: Person;
  const members: Record<(typeof MEMBERS)[number], Person> = {} as never;
  const everyone = () => [facilitator, ...Object.values(members)];
  const policyViolations: string[] = [];
  let invite = '';
  let broken = false;

  /** One step of the session; skipped once an earlier step failed. */
  const step = (name: string, run: () => Promise<void>, options?: { skip?: boolean }) =>
    it.skipIf(options?.skip ?? false)(name, async (context) => {
      if (broken) context.skip();
      await run();
    });

  const shot = (person: Person, name: string) => person.page.screenshot({ path: `${screenshots}${name}.png` });

  beforeAll(async () => {
    await build({ configFile: `${root}vite.config.ts`, root: `${root}client`, logLevel: 'warn' });
    await mkdir(screenshots, { recursive: true });
    if (!existsSync(worker) && !process.env.MEDIASOUP_WORKER_BIN) throw new Error('The mediasoup worker is not built: run `npm install` first.');
    [server, browser] = await Promise.all([startMediaHoldspace(), launchBrowser()]);
  }, 180_000);

  // A failed step leaves a picture of every screen behind, to see what each person saw; the steps
  // after it are skipped, since each builds on the one before.
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    broken = true;
    for (const person of [facilitator, ...Object.values(members)].filter(Boolean)) {
      const path = `${tmpdir()}/holdspace-e2e-${person.name.replace(/\W+/g, '-')}.png`;
      await person.page.screenshot({ path }).then(() => console.error(`screen of ${person.name}: ${path}`), () => undefined);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function enter(name: string): Promise<Person> {
    const person = await openPerson(browser, name);
    person.page.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) policyViolations.push(`${name}: ${message.text()}`);
    });
    return person;
  }

  const learnId = async (person: Person) => {
    person.id = (await sees(person.page.locator('article.seat--me'), `${person.name}'s own tile`).then((own) => own.getAttribute('data-seat')))!;
  };

  /** The middle of the circle, where whoever holds the floor is shown large. */
  const spotlight = (person: Person, holder: string) =>
    person.page.getByRole('figure', { name: person.name === holder ? 'You have the floor' : `${holder} has the floor` });
  const facilitatorClicks = (name: string | RegExp) => facilitator.page.getByRole('button', { name }).click();
  const tab = (name: string) => facilitator.page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
  const phase = (name: string) => facilitator.page.getByRole('navigation', { name: 'Session agenda' }).getByRole('button', { name }).click();

  step('the facilitator keeps the key, creates a room, copies its invite and opens it', async () => {
    facilitator = await enter('Dr. Rivera');
    const { page } = facilitator;
    await page.goto(`${server.url}/facilitate#key=${encodeURIComponent(server.facilitatorKey)}`);
    await sees(page.getByRole('heading', { name: 'Your groups and rooms' }), 'the facilitator console');
    expect(page.url()).not.toContain('key=');
    await page.getByLabel('Group name').fill('Tuesday evening group');
    await page.getByLabel('Your name as members will see it').fill('Dr. Rivera');
    await page.getByRole('button', { name: 'Create room' }).click();
    invite = await (await sees(page.locator('[data-invite-link]'), 'the invite link')).inputValue();
    expect(invite).toMatch(/\/join#./);

    // The key is remembered on this device: a reload still lists the room.
    await page.reload();
    await sees(page.getByRole('heading', { name: 'Tuesday evening group' }), 'the room after a reload');
    await page.getByRole('button', { name: /Copy invite link/ }).click();
    expect(await page.locator('[data-invite-link]').inputValue()).toMatch(/\/join#./);

    await page.getByRole('button', { name: /Enter room/ }).click();
    await sees(page.getByRole('heading', { name: /Get ready to facilitate/ }), 'the facilitator pre-join');
    await page.getByRole('button', { name: 'Open the room' }).click();
    await sees(page.getByRole('heading', { name: 'Facilitator panel' }), 'the facilitator panel');
    await learnId(facilitator);
  });

  step('members check camera and microphone, agree to the group agreement, and wait to be let in', async () => {
    for (const name of MEMBERS) {
      const person = (members[name] = await enter(name));
      const { page } = person;
      await page.goto(invite);
      await sees(page.getByRole('heading', { name: 'Joining Tuesday evening group' }), 'the pre-join screen');
      await sees(page.locator('.preview video'), 'the camera preview');
      await sees(page.getByText('We can hear you.'), 'the level meter hearing the microphone');
      // Device pickers fill once the browser has said which devices there are.
      await expect.poll(() => page.getByLabel('Microphone', { exact: true }).isEnabled()).toBe(true);
      await expect.poll(() => page.getByLabel('Camera', { exact: true }).isEnabled()).toBe(true);
      const join = page.getByRole('button', { name: 'Ask to join' });
      await page.getByLabel('Your name in the group').fill(name);
      expect(await join.isDisabled()).toBe(true);
      await page.getByLabel('I agree to the group agreement').check();
      if (name === 'Ana') await shot(person, 'pre-join');
      await join.click();
      await sees(page.getByRole('heading', { name: "You're in the waiting room" }), `${name} in the waiting room`);
    }
    const waiting = facilitator.page.getByRole('region', { name: /Waiting to join/ });
    for (const name of MEMBERS) await sees(waiting.getByText(name, { exact: true }), `${name} waiting, on the facilitator's panel`);
  });

  step('someone whose camera is blocked can still ask to join with audio only; the facilitator declines them', async () => {
    const dee = await enter('Dee');
    // The browser refuses the camera, as it does when a person said no to it.
    await dee.page.addInitScript(() => {
      const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = (constraints) =>
        constraints?.video ? Promise.reject(new DOMException('denied', 'NotAllowedError')) : open(constraints);
    });
    await dee.page.goto(invite);
    const blocked = await sees(dee.page.getByRole('alert').filter({ hasText: 'You can still join with audio only' }), 'the blocked-camera message');
    expect(await blocked.innerText()).toMatch(/Camera: The browser was not allowed to use your camera/);
    await sees(dee.page.getByText('We can hear you.'), "Dee's microphone still working");
    expect(await dee.page.getByLabel('Join with camera on').isDisabled()).toBe(true);
    await dee.page.getByLabel('Your name in the group').fill('Dee');
    await dee.page.getByLabel('I agree to the group agreement').check();
    await sees(dee.page.getByText('You will join audio-only.'), 'how Dee will join');
    await dee.page.getByRole('button', { name: 'Ask to join' }).click();
    await sees(dee.page.getByRole('heading', { name: "You're in the waiting room" }), 'Dee waiting');
    await facilitatorClicks('Decline Dee');
    await sees(dee.page.getByRole('heading', { name: 'You were not admitted' }), 'the decline, told to Dee');
    await sees(dee.page.getByText('The facilitator did not admit you to this session.'), "the server's words for it");
    await dee.page.context().close();
  });

  step('the facilitator admits everyone; every screen shows the same circle in the same order', async () => {
    for (const name of MEMBERS) await facilitatorClicks(`Admit ${name}`);
    for (const person of Object.values(members)) {
      await sees(person.page.getByRole('heading', { name: 'The circle, 4 seats' }), `${person.name}'s circle`);
      await sees(announced(person).getByText(/You're in\. Welcome to Tuesday evening group/), `${person.name} told they are in`);
      await learnId(person);
    }
    const order = await seatOrder(facilitator);
    expect(order).toEqual(['Dr. Rivera', 'Ana', 'Ben', 'Cleo']);
    for (const person of Object.values(members)) expect(await seatOrder(person)).toEqual(order);

    // The facilitator moves Cleo next to themself; every screen follows.
    await facilitator.page.getByRole('button', { name: 'Move Cleo one seat earlier' }).click();
    await facilitator.page.getByRole('button', { name: 'Move Cleo one seat earlier' }).click();
    const moved = ['Dr. Rivera', 'Cleo', 'Ana', 'Ben'];
    for (const person of everyone()) await expect.poll(() => seatOrder(person)).toEqual(moved);
  });

  step('video frames decode and sound arrives for everyone who should be seen and heard', async () => {
    for (const person of everyone()) {
      const others = everyone().filter((other) => other !== person);
      await seesVideoOf(person, others);
      await hears(person, others);
    }
    // Speaking indicators come from the SFU's audio levels: the fake microphones never fall silent.
    await sees(facilitator.page.locator('article.seat--speaking'), 'a speaking indicator');
  });

  step('a member switches microphone and camera in the room; the others keep seeing and hearing them', async () => {
    const ben = members.Ben;
    const { page } = ben;
    await page.getByRole('button', { name: 'Devices' }).click();
    const dialog = page.getByRole('dialog', { name: 'Microphone and camera' });
    await sees(dialog, 'the device dialog');
    // The self view shows the camera in use.
    const ownCamera = () => page.evaluate(() => (document.querySelector<HTMLVideoElement>('article.seat--me video')?.srcObject as MediaStream | null)?.getVideoTracks()[0]?.label ?? null);
    expect(await ownCamera()).not.toBe('fake_device_2');
    await dialog.getByLabel('Camera', { exact: true }).selectOption({ label: 'fake_device_2' });
    await expect.poll(ownCamera).toBe('fake_device_2');
    // The fake microphones are named after the tone file; take the last one, which is not in use.
    const microphones = dialog.getByLabel('Microphone', { exact: true });
    const another = (await microphones.locator('option').allTextContents()).at(-1)!;
    const inUse = () => microphones.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent ?? null);
    expect(await inUse()).not.toBe(another);
    await microphones.selectOption({ label: another });
    await sees(announced(ben).getByText(`Microphone switched to ${another}.`), 'the switch announced');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await seesNo(dialog, 'the device dialog after Done');
    // Opened again, the dialog reads the devices from the tracks being sent.
    await page.getByRole('button', { name: 'Devices' }).click();
    await expect.poll(inUse).toBe(another);
    await page.keyboard.press('Escape');
    await seesNo(dialog, 'the device dialog after Escape');
    for (const person of everyone().filter((other) => other !== ben)) {
      await seesVideoOf(person, [ben]);
      await hears(person, [ben]);
    }
  });

  step('a check-in round in the talking-stick phase, with a mood scale and a pass', async () => {
    await phase('Check-in');
    for (const person of everyone()) await sees(person.page.locator('.agenda__phase--now', { hasText: 'Check-in' }), `${person.name}'s agenda at check-in`);
    await tab('Round');
    await facilitator.page.getByLabel('Prompt').fill('How are you arriving today?');
    await facilitatorClicks('Start check-in round');

    const { Ana, Ben, Cleo } = members;
    // Seat order: Cleo sits first now.
    await sees(Cleo.page.getByText("It's your turn. Speak when you are ready."), "Cleo's turn");
    await sees(announced(Cleo).getByText(/It's your turn/), 'the turn announced to Cleo');
    await sees(announced(Ana).getByText("You're next."), 'Ana told she is next');
    await sees(tile(Ben, 'Cleo').locator('.ring'), "the countdown ring on Cleo's tile");
    await Cleo.page.getByRole('button', { name: 'Mood 7 of 10' }).click();
    await Ben.page.getByRole('button', { name: 'Mood 4 of 10' }).click();
    await sees(Ben.page.getByText('You chose 4.'), "Ben's own rating");
    await shot(Ana, 'check-in');
    await Cleo.page.getByRole('button', { name: "I'm done" }).click();

    await sees(Ana.page.getByText("It's your turn. Speak when you are ready."), "Ana's turn");
    await hears(facilitator, [Ana]);
    await doesNotHear(facilitator, Ben);
    await Ana.page.getByRole('button', { name: "I'm done" }).click();
    await sees(Ben.page.getByText("It's your turn. Speak when you are ready."), "Ben's turn");
    for (const member of [Ana, Ben, Cleo]) {
      await sees(tile(member, 'Cleo').getByText('done'), `Cleo's turn marked done on ${member.name}'s screen`);
      await sees(tile(member, 'Ana').getByText('done'), `Ana's turn marked done on ${member.name}'s screen`);
    }
    await Ben.page.getByRole('button', { name: 'Pass' }).click();

    // The facilitator's summary says who passed and the moods; the group only sees who had a turn.
    const summary = facilitator.page.locator('.round__summary');
    await sees(summary.getByText(/3 of 3 had their turn · 1 passed · mood average 5\.5 from 2 ratings/), "the facilitator's summary");
    await sees(facilitator.page.locator('.round__speaker', { hasText: 'Ben' }).getByText('passed'), 'who passed, for the facilitator');
    for (const member of [Ana, Ben, Cleo]) {
      await seesNo(member.page.getByRole('heading', { name: 'Check-in round' }), `the round card for ${member.name}`);
      const screen = await member.page.locator('.room__body').innerText();
      expect(screen).not.toMatch(/passed|mood average|mood \d+\/10/);
    }
  });

  step('queue turns: raised hands show their number on the tile, the floor goes to the next hand with a time box', async () => {
    await phase('Work');
    const { Ana, Ben, Cleo } = members;
    await sees(Ben.page.getByText('Raised hands', { exact: true }), "Ben's queue card");
    await Ben.page.keyboard.press('h');
    await sees(Ben.page.getByRole('button', { name: /Hand up · number 1/ }), "Ben's hand up");
    await Ana.page.getByRole('button', { name: 'Raise hand' }).click();
    for (const person of everyone()) {
      await sees(tile(person, 'Ben').locator('[data-queue-number="1"]'), `queue number 1 on Ben's tile for ${person.name}`);
      await sees(tile(person, 'Ana').locator('[data-queue-number="2"]'), `queue number 2 on Ana's tile for ${person.name}`);
    }
    await shot(Cleo, 'circle-with-queue');

    await tab('Floor');
    await facilitator.page.getByLabel('Time box for the next turn').selectOption('120');
    await facilitatorClicks('Give floor to next hand');
    for (const person of everyone()) await sees(spotlight(person, 'Ben'), `Ben spotlighted for ${person.name}`);
    await sees(announced(Ben).getByText(/It's your turn/), 'the turn announced to Ben');
    await sees(Cleo.page.locator('.spotlight').getByRole('timer'), 'the countdown ring in the spotlight');
    await sees(tile(Cleo, 'Ana').locator('[data-queue-number="1"]'), 'Ana moved up to number 1');

    await Cleo.page.getByRole('button', { name: 'Me too' }).click();
    for (const person of everyone()) await sees(person.page.locator('.spotlight__metoo', { hasText: '1 me too' }), `the me-too count for ${person.name}`);

    await Ben.page.getByRole('button', { name: "I'm done" }).click();
    await sees(Ana.page.getByText('Nobody holds the floor now.'), 'the floor open again');
    await facilitatorClicks('Give floor to next hand');
    await sees(spotlight(Ana, 'Ana'), 'Ana given the floor');
    await tab('People');
    await sees(facilitator.page.locator('.people__row', { hasText: 'Ben' }).getByText(/held the floor/), "Ben's airtime");
    await shot(facilitator, 'facilitator-panel');
    // Pausing a member's microphone: they are told why, and the room stops hearing them.
    await facilitatorClicks('Mute Ana');
    await sees(Ana.page.getByText('The facilitator has paused your microphone.'), 'Ana told her microphone is paused');
    await sees(tile(Cleo, 'Ana').getByText('muted'), "Ana's tile marked muted, in words");
    await doesNotHear(Cleo, Ana);
    await facilitatorClicks('Unmute Ana');
    await seesNo(Ana.page.getByText('The facilitator has paused your microphone.'), 'the pause note');
    await hears(Cleo, [Ana]);
    await tab('Floor');
    await facilitatorClicks('Take the floor back');
    await seesNo(spotlight(Ana, 'Ana'), 'Ana still holding the floor');
    // Airtime is for the facilitator's eyes only.
    expect(await Ana.page.getByText('held the floor').count()).toBe(0);
  });

  step('the talking stick: only the holder is heard, and it passes round the circle', async () => {
    const { Ana, Ben, Cleo } = members;
    await tab('Floor');
    await facilitator.page.getByRole('radio', { name: /Talking stick/ }).check();
    await sees(Ana.page.getByText('Talking stick', { exact: true }), 'the floor mode on the agenda');
    await facilitatorClicks('Start the stick');
    await sees(Cleo.page.getByRole('figure', { name: 'You have the floor' }), 'Cleo holding the stick first');
    await sees(Ben.page.getByText('Your microphone is paused until the talking stick reaches you.'), "Ben told why he can't be heard");
    await hears(facilitator, [Cleo]);
    await doesNotHear(facilitator, Ben);
    await Cleo.page.getByRole('button', { name: 'Pass the stick →' }).click();
    await sees(Ana.page.getByRole('figure', { name: 'You have the floor' }), 'Ana holding the stick');
    await Ana.page.getByRole('button', { name: 'Pass the stick →' }).click();
    await sees(Ben.page.getByRole('figure', { name: 'You have the floor' }), 'Ben holding the stick');
    await hears(facilitator, [Ben]);
    await doesNotHear(facilitator, Cleo);
    // A member who does not hold the stick cannot pass it: the button is not even there.
    expect(await Ana.page.getByRole('button', { name: 'Pass the stick →' }).count()).toBe(0);
    await facilitatorClicks('Take the floor back');
  });

  step('a role-play scene: the cast on stage with role labels, a role reversal, a freeze, then a sharing round', async () => {
    await phase('Role-play');
    const { Ana, Ben, Cleo } = members;
    await tab('Scene');
    const page = facilitator.page;
    await page.getByLabel('Scene title').fill('Telling my sister');
    await page.getByLabel('Setting (optional)').fill('The kitchen at home, late evening.');
    await page.getByLabel('Role 1').fill('The one who stayed');
    await page.getByLabel('Played by').nth(0).selectOption({ label: 'Ana' });
    await page.getByLabel('Role 2').fill('The one who left');
    await page.getByLabel('Played by').nth(1).selectOption({ label: 'Ben' });
    await page.getByLabel('Scene timer').selectOption('600');
    await facilitatorClicks('Start the scene');

    for (const person of everyone()) {
      const cast = person.page.getByRole('list', { name: 'Cast' });
      await sees(cast.locator('.stage__part', { hasText: 'The one who stayed' }).locator('article[data-name="Ana"]'), `Ana cast as the one who stayed, for ${person.name}`);
      await sees(cast.locator('.stage__part', { hasText: 'The one who left' }).locator('article[data-name="Ben"]'), `Ben cast as the one who left, for ${person.name}`);
    }
    await sees(Ana.page.locator('.stage__you', { hasText: 'You play The one who stayed' }), "Ana's own role");
    await sees(Cleo.page.locator('.stage__you', { hasText: 'You are in the audience' }), 'Cleo in the audience');
    await sees(Cleo.page.locator('.stage__audience article[data-name="Cleo"]'), 'Cleo small in the audience');
    await hears(Cleo, [Ana, Ben]);
    await doesNotHear(Ana, Cleo);

    await page.getByRole('button', { name: 'Reverse roles' }).click();
    await sees(Ana.page.locator('.stage__you', { hasText: 'You play The one who left' }), "Ana's reversed role");
    await sees(announced(Ana).getByText('Roles reversed: you now play The one who left.'), 'the reversal announced to Ana');
    await sees(Cleo.page.getByRole('list', { name: 'Cast' }).locator('.stage__part', { hasText: 'The one who stayed' }).locator('article[data-name="Ben"]'), 'Ben now the one who stayed');
    await shot(Cleo, 'role-play-stage');

    await facilitatorClicks('Freeze scene');
    for (const person of Object.values(members)) await sees(person.page.getByText(/Frozen: the scene is paused/), `the freeze shown to ${person.name}`);
    await facilitatorClicks('Resume scene');
    await seesNo(Cleo.page.getByText(/Frozen: the scene is paused/), 'the freeze notice');

    await page.getByLabel('Sharing prompt').fill('What did the scene stir in you?');
    await facilitatorClicks('End scene');
    await sees(Cleo.page.getByRole('heading', { name: 'Sharing round' }), 'the sharing round');
    await sees(Cleo.page.getByText("It's your turn. Speak when you are ready."), "Cleo's turn to share");
    expect(await Ana.page.getByRole('list', { name: 'Speaking order' }).getByText('Ana').count()).toBe(0);
    await Cleo.page.getByRole('button', { name: "I'm done" }).click();
    await sees(Ana.page.getByText('The round has ended.'), 'the sharing round over');
  });

  step('anonymous feedback: one plain sentence on anonymity, no live counter, results released after closing', async () => {
    await phase('Feedback');
    await tab('Feedback');
    // Feedback about Ana would leave two people to answer, fewer than three: the server says no, in words.
    await facilitator.page.locator('summary', { hasText: 'Options' }).click();
    await facilitator.page.getByLabel('About').selectOption({ label: 'Ana' });
    await facilitatorClicks('Open anonymous feedback');
    await sees(facilitator.page.getByRole('alert').getByText('Too few members are here for that.'), "the server's refusal, shown to the facilitator");
    await facilitator.page.getByLabel('About').selectOption({ label: 'The session' });
    await facilitator.page.getByLabel('Question').fill('What helped you most today?');
    await facilitatorClicks('Open anonymous feedback');
    const answers = { Ana: ['Hearing the others made me feel less alone.', 4], Ben: ['The role reversal was hard but useful.', 5], Cleo: ['I wanted more time at check-in.', 3] } as const;
    const counter = /\b\d+\s+(of \d+\s+)?(answers?|answered|responses?|submitted|submissions?)\b/i;
    for (const name of MEMBERS) {
      const { page } = members[name];
      await sees(page.getByText(/Your name is never stored with your answer/), `the anonymity sentence for ${name}`);
      await page.getByLabel(/Your answer/).fill(answers[name][0]);
      await page.getByRole('radio', { name: String(answers[name][1]), exact: true }).check();
      await page.getByRole('button', { name: 'Send anonymously' }).click();
      await sees(page.getByText('Your answer is in.'), `${name}'s answer received`);
      // No live counter anywhere while the prompt is open, for anyone.
      for (const person of everyone()) expect(await person.page.locator('body').innerText()).not.toMatch(counter);
    }
    await facilitatorClicks('Close and release');
    for (const person of everyone()) {
      const result = await sees(person.page.locator('[data-feedback-result="released"]'), `released results for ${person.name}`);
      for (const name of MEMBERS) await sees(result.getByText(answers[name][0]), `"${answers[name][0]}" for ${person.name}`);
      expect(await result.locator('.feedback__item').count()).toBe(3);
    }
    await shot(members.Ben, 'feedback-results');
  });

  step('a second prompt right after: the members who answered the first answer it too', async () => {
    await facilitator.page.getByLabel('Question').fill('What will you take home?');
    await facilitatorClicks('Open anonymous feedback');
    const again = { Ana: 'Patience with myself.', Ben: 'That I can ask for time.', Cleo: 'The courage in this room.' } as const;
    for (const name of MEMBERS) {
      const { page } = members[name];
      await sees(page.getByText('What will you take home?').first(), `the second prompt for ${name}`);
      // The answer box is back for the new prompt, not "Your answer is in." from the last one.
      await sees(page.getByLabel(/Your answer/), `${name}'s answer box for the second prompt`);
      await sees(page.getByText(/^3 people can answer this prompt/), `how many may answer, for ${name}`);
      await page.getByLabel(/Your answer/).fill(again[name]);
      await page.getByRole('radio', { name: '4', exact: true }).check();
      await page.getByRole('button', { name: 'Send anonymously' }).click();
      await sees(page.getByText('Your answer is in.'), `${name}'s second answer received`);
    }
    await facilitatorClicks('Close and release');
    for (const person of everyone()) {
      const result = person.page.locator('[data-feedback-result="released"]').filter({ hasText: 'What will you take home?' });
      await sees(result, `the second prompt's results for ${person.name}`);
      for (const name of MEMBERS) await sees(result.getByText(again[name]), `"${again[name]}" for ${person.name}`);
      expect(await result.locator('.feedback__item').count()).toBe(3);
    }
  });

  step('"I need a moment" reaches only the facilitator', async () => {
    const { Ana, Ben } = members;
    await Ben.page.getByRole('button', { name: 'I need a moment' }).click();
    await Ben.page.getByRole('button', { name: 'Tell only the facilitator' }).click();
    await sees(facilitator.page.getByRole('region', { name: /Needs a moment/ }).getByText('Ben'), 'the alert on the facilitator panel');
    await sees(announced(facilitator).getByText('Ben needs a moment.'), 'the alert announced to the facilitator');
    expect(await tile(Ana, 'Ben').getByText('stepped away').count()).toBe(0);
    await Ben.page.getByRole('button', { name: "I'm back" }).click();
    await seesNo(facilitator.page.getByRole('region', { name: /Needs a moment/ }), 'the alert');
  });

  step('connection trouble shows a banner and recovers without a reload, keeping the raised hand', async () => {
    const { Ana } = members;
    await phase('Work');
    await Ana.page.getByRole('button', { name: 'Raise hand' }).click();
    await sees(Ana.page.getByRole('button', { name: /Hand up · number 1/ }), "Ana's hand up");
    await Ana.page.context().setOffline(true);
    for (const [, socket] of server.holdspace.io.of('/').sockets) if (socket.data.participantId === Ana.id) socket.conn.close();
    await sees(Ana.page.getByText('Connection lost.'), 'the reconnect banner');
    await Ana.page.context().setOffline(false);
    await seesNo(Ana.page.getByText('Connection lost.'), 'the reconnect banner', 30_000);
    await sees(Ana.page.getByRole('button', { name: /Hand up · number 1/ }), 'the hand still up after reconnecting');
    await sees(tile(facilitator, 'Ana').locator('[data-queue-number="1"]'), "Ana's queue place kept for the facilitator");
    await Ana.page.getByRole('button', { name: /Hand up/ }).click();

    // A reload rejoins as the same person, from the session kept in the tab.
    const { Ben } = members;
    await Ben.page.reload();
    await sees(Ben.page.getByRole('heading', { name: 'The circle, 4 seats' }), "Ben's circle after a reload");
    await sees(Ben.page.locator(`article.seat--me[data-seat="${Ben.id}"]`), 'Ben in his own seat');
    expect(await seatOrder(Ben)).toEqual(await seatOrder(facilitator));
    await seesVideoOf(Ben, [facilitator, Ana]);
  });

  step("check-out, with a member's main actions done by keyboard only", async () => {
    const { Ana, Ben, Cleo } = members;
    const key = (k: string) => Cleo.page.keyboard.press(k);

    // Hand: H raises and lowers.
    await key('h');
    await sees(tile(facilitator, 'Cleo').locator('[data-queue-number]'), "Cleo's hand, raised by keyboard");
    // H toggles what her own page shows: she presses it again once she sees her hand up, as a person would.
    await sees(Cleo.page.getByRole('button', { name: /Hand up/ }), "Cleo's own hand up");
    await key('h');
    await seesNo(tile(facilitator, 'Cleo').locator('[data-queue-number]'), "Cleo's hand");
    // Microphone and camera: M and V.
    await key('m');
    await sees(Cleo.page.getByRole('button', { name: /Mic off/ }), 'the microphone off');
    await key('m');
    await sees(Cleo.page.getByRole('button', { name: /Mic on|Mic paused/ }), 'the microphone on again');
    await key('v');
    await sees(Cleo.page.getByRole('button', { name: /Camera off/ }), 'the camera off');
    await key('v');
    await sees(Cleo.page.getByRole('button', { name: /Camera on/ }), 'the camera on again');
    // "I need a moment" through the dialog, and back.
    await tabTo(Cleo, /^I need a moment$/);
    expect(await focusRingVisible(Cleo)).toBe('visible');
    await key('Enter');
    await sees(Cleo.page.getByRole('dialog', { name: 'Need a moment?' }), 'the moment dialog');
    expect(await Cleo.page.evaluate(() => document.activeElement?.textContent)).toBe('Tell only the facilitator');
    await key('Enter');
    await sees(facilitator.page.getByRole('region', { name: /Needs a moment/ }).getByText('Cleo'), "Cleo's alert");
    await tabTo(Cleo, /^I'm back$/);
    await key('Enter');
    await seesNo(facilitator.page.getByRole('region', { name: /Needs a moment/ }), "Cleo's alert");

    // The check-out round; Cleo takes her turn by keyboard.
    await phase('Check-out');
    await tab('Round');
    await facilitator.page.getByRole('combobox', { name: 'Round', exact: true }).selectOption('check-out');
    await facilitator.page.getByLabel('Prompt').fill('How are you leaving today?');
    await facilitator.page.getByLabel('Ask for a mood rating (1-10, seen only by you)').uncheck();
    await facilitatorClicks('Start check-out round');
    await sees(Cleo.page.getByRole('heading', { name: 'Check-out round' }), "the check-out round on Cleo's screen");
    await sees(Cleo.page.getByText("It's your turn. Speak when you are ready."), "Cleo's check-out turn");
    await tabTo(Cleo, /^I'm done$/);
    expect(await focusRingVisible(Cleo)).toBe('visible');
    await key('Enter');
    await sees(Ana.page.getByText("It's your turn. Speak when you are ready."), "Ana's check-out turn");
    await Ana.page.getByRole('button', { name: "I'm done" }).click();
    await Ben.page.getByRole('button', { name: "I'm done" }).click();
    await sees(facilitator.page.locator('.round__summary').getByText(/3 of 3 had their turn · 0 passed/), 'everyone checked out');
  });

  step('the facilitator ends the session; everyone leaves cleanly; nothing broke the content security policy', async () => {
    await facilitatorClicks('End the session…');
    await facilitator.page.getByRole('dialog', { name: 'End the session for everyone?' }).getByRole('button', { name: 'End the session' }).click();
    for (const person of everyone()) {
      await sees(person.page.getByRole('heading', { name: 'The session has ended' }), `the end, for ${person.name}`);
      // Media stops with the session: no camera or microphone stays open.
      await expect.poll(() => person.page.locator('video, audio').count()).toBe(0);
    }
    // What was released stays readable on the way out.
    await sees(members.Ana.page.getByText('Hearing the others made me feel less alone.'), 'the released feedback after the end');
    for (const person of Object.values(members)) {
      await person.page.getByRole('button', { name: 'Leave' }).click();
      await sees(person.page.getByRole('heading', { name: 'You have left the session' }), `${person.name} out of the room`);
      expect(await person.page.evaluate(() => sessionStorage.length)).toBe(0);
    }
    await facilitatorClicks('Back to your rooms');
    await sees(facilitator.page.locator('[data-room="Tuesday evening group"]').getByText('ended'), 'the room marked ended in the console');
    expect(policyViolations).toEqual([]);
  });
});
