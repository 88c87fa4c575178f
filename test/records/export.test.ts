import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHoldspace, type Holdspace } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { firstAdmin, type FacilitatorBrowser } from '../support/passkey.js';
import { upcomingSessions } from '../../server/records/calendar.js';
import { tuesdayGroup } from '../support/records.js';

/** Holdspace as `npm start` runs it: records in PGlite under DATA_DIR, the key generated into the secrets file. */
async function start(dataDir: string): Promise<Holdspace> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', MEDIA_ENABLED: 'false' });
  const holdspace = await createHoldspace(config, { logger: pino({ level: 'silent' }) });
  await holdspace.listen();
  return holdspace;
}

let dataDir: string;
let holdspace: Holdspace;
let admin: FacilitatorBrowser;
const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${holdspace.url()}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...admin.headers, ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
};
const json = async (method: string, path: string, body?: unknown) => JSON.parse((await api(method, path, body)).text) as Record<string, any>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'holdspace-export-'));
  holdspace = await start(dataDir);
  admin = await firstAdmin(holdspace.url(), holdspace.secrets.facilitatorKey);
});
afterAll(async () => {
  await holdspace?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a session record exported, a calendar, and records that outlive a restart', () => {
  let groupId = '';
  const names = ['Ana', 'Ben', 'Cleo'];
  const ids: Record<string, string> = {};
  let anaLink = '';

  test('the export holds date, attendance, phases, prompts, rounds, released feedback and notes, and no author of any answer', async () => {
    const group = (await json('POST', '/groups', tuesdayGroup)).group;
    groupId = group.id;
    for (const name of names) {
      const added = await json('POST', `/groups/${groupId}/members`, { name });
      ids[name] = added.member.id;
      if (name === 'Ana') anaLink = new URL(added.link).hash.replace('#link=', '');
    }
    const records = holdspace.records!;
    const session = await records.startSession(groupId, new Date('2025-03-04T17:00:00Z'));
    await records.endSession(session.sessionId, {
      attendance: { [ids.Ana!]: 'present', [ids.Ben!]: 'late', [ids.Cleo!]: 'left_early' },
      ratings: { [ids.Ana!]: 4, [ids.Ben!]: 8 },
      locations: { [ids.Ana!]: 'home, Leipzig' },
      feedback: [{ prompt: 'What stayed with you tonight?', items: ['the silence after Ben spoke', 'being asked twice'] }],
      rounds: [{ purpose: 'check-in', prompt: 'How do you arrive?', outcomes: { [ids.Ana!]: 'spoke', [ids.Ben!]: 'passed', [ids.Cleo!]: 'timed-out' } }],
      problems: [{ memberId: ids.Ben!, problem: 'I freeze when my boss criticises me', options: [{ text: 'Ask for a moment', fits: true }, { text: 'Quit', fits: false }], plan: 'Say: let me think' }],
    }, new Date('2025-03-04T18:30:00Z'));
    await json('POST', `/groups/${groupId}/notes`, { text: 'Cleo left early; call her before next week', session: 1, memberId: ids.Cleo });
    const goal = await fetch(`${holdspace.url()}/api/me/goals`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link: anaLink, text: 'Speak first once', visibleToGroup: true }) });
    expect(goal.status).toBe(201);

    const exported = await json('GET', `/groups/${groupId}/sessions/1/export?format=json`);
    expect(exported).toMatchObject({
      group: 'Tuesday evening group',
      session: 1,
      startedAt: '2025-03-04T17:00:00.000Z',
      attendance: [{ name: 'Ana', status: 'present' }, { name: 'Ben', status: 'late' }, { name: 'Cleo', status: 'left_early' }],
      ratings: [{ name: 'Ana', rating: 4 }, { name: 'Ben', rating: 8 }],
      locations: [{ name: 'Ana', location: 'home, Leipzig' }],
      phases: [{ name: 'Check-in', prompts: ['How do you arrive since the last meeting?'] }, { name: 'Work', theme: 'Closeness and distance', prompts: [] }],
      rounds: [{ prompt: 'How do you arrive?', outcomes: [{ name: 'Ana', outcome: 'spoke' }, { name: 'Ben', outcome: 'passed' }, { name: 'Cleo', outcome: 'timed-out' }] }],
      feedback: [{ prompt: 'What stayed with you tonight?', items: ['the silence after Ben spoke', 'being asked twice'] }],
      notes: [{ about: 'Cleo', text: 'Cleo left early; call her before next week' }],
      problems: [{ member: 'Ben', problem: 'I freeze when my boss criticises me', options: [{ text: 'Ask for a moment', fits: true }, { text: 'Quit', fits: false }], plan: 'Say: let me think' }],
    });
    // Feedback items are bare strings: nothing beside an answer could name who wrote it.
    expect(exported.feedback[0].items.every((item: unknown) => typeof item === 'string')).toBe(true);

    const markdown = await api('GET', `/groups/${groupId}/sessions/1/export`);
    expect(markdown.type).toMatch(/text\/markdown/);
    expect(markdown.text).toContain('# Tuesday evening group: Session 1');
    expect(markdown.text).toContain('Tuesday, 4 March 2025 at 18:00 (Europe/Berlin)');
    expect(markdown.text).toContain('- Cleo: left early');
    expect(markdown.text).toContain('- Work: Closeness and distance');
    expect(markdown.text).toContain('  - How do you arrive since the last meeting?');
    expect(markdown.text).toContain('- Ben: passed');
    expect(markdown.text).toContain('## Released anonymous feedback\n\n### What stayed with you tonight?\n\n- the silence after Ben spoke\n- being asked twice');
    expect(markdown.text).toContain('## Problem-solving\n\n### Ben: I freeze when my boss criticises me\n\n- fits: Ask for a moment\n- does not fit: Quit\n\nNext step: Say: let me think');
    expect(markdown.text).toContain('- (Cleo) Cleo left early; call her before next week');
    expect((await api('GET', `/groups/${groupId}/sessions/2/export`)).status).toBe(404);
  });

  test('the calendar (.ics) lists the coming weekly meetings at 18:00 Berlin time across daylight saving, and names no member', async () => {
    for (const ics of [(await api('GET', `/groups/${groupId}/calendar.ics`)).text, (await api('POST', '/me/calendar.ics', { link: anaLink }, { authorization: '' })).text]) {
      expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
      expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
      expect(ics.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
      expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(26);
      expect(ics.match(/UID:/g)).toHaveLength(26);
      expect(ics).toContain('SUMMARY:Tuesday evening group');
      for (const name of names) expect(ics).not.toMatch(new RegExp(`\\b${name}\\b`));
      const starts = [...ics.matchAll(/DTSTART:(\d{8}T\d{6}Z)/g)].map((m) => m[1]!);
      const local = starts.map((s) => new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`));
      for (const start of local) expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(start)).toBe('Tuesday 18:00');
    }
    // Berlin moves to summer time on 30 March 2025: 18:00 is 17:00 UTC before, 16:00 UTC after.
    expect(upcomingSessions(tuesdayGroup.cadence, new Date('2025-03-20T00:00:00Z'), 2)).toEqual([
      { start: new Date('2025-03-25T17:00:00Z'), end: new Date('2025-03-25T18:30:00Z') },
      { start: new Date('2025-04-01T16:00:00Z'), end: new Date('2025-04-01T17:30:00Z') },
    ]);
    // A meeting that has begun is not the next one.
    expect(upcomingSessions(tuesdayGroup.cadence, new Date('2025-03-25T17:00:00Z'), 1)[0]?.start).toEqual(new Date('2025-04-01T16:00:00Z'));
  });

  test('after a restart the group, its notes and goals read back with the key kept in the secrets file', async () => {
    const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as Record<string, string>;
    expect(secrets.dataKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await holdspace.close();
    holdspace = await start(dataDir);
    const group = await json('GET', `/groups/${groupId}`);
    expect(group.members.map((m: { name: string }) => m.name)).toEqual(names);
    expect(group.sessions.map((s: { number: number }) => s.number)).toEqual([1]);
    expect((await json('GET', `/groups/${groupId}/notes`)).notes[0].text).toBe('Cleo left early; call her before next week');
    const me = await fetch(`${holdspace.url()}/api/me`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link: anaLink }) });
    const mine = (await me.json()) as Record<string, any>;
    expect(mine.member.name).toBe('Ana');
    expect(mine.goals.map((g: { text: string }) => g.text)).toEqual(['Speak first once']);
    expect(new Date(mine.group.nextSessionAt).getTime()).toBeGreaterThan(Date.now());
  });
});
