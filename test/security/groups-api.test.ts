import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestRecords, tuesdayGroup, type TestRecords } from '../support/records.js';
import { startHoldspace, type RunningHoldspace } from '../support/holdspace.js';

let opened: TestRecords;
let server: RunningHoldspace;
let key: string;

const call = async (method: string, path: string, options: { body?: unknown; authorization?: string } = {}) => {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(options.authorization ? { authorization: options.authorization } : {}) },
    ...(options.body !== undefined && method !== 'GET' ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: (text.startsWith('{') ? JSON.parse(text) : null) as Record<string, any> | null };
};
const asFacilitator = (method: string, path: string, body?: unknown) => call(method, path, { body, authorization: `Bearer ${key}` });
const secretOf = (link: string) => new URL(link).hash.replace('#link=', '');

beforeAll(async () => {
  opened = await openTestRecords('PostgreSQL');
  server = await startHoldspace({ ENTRY_PER_MINUTE: '10000' }, { records: opened.records });
  key = server.facilitatorKey;
});
afterAll(async () => {
  await server?.stop();
  await opened?.close();
});

describe('the groups API refuses whoever is not the facilitator, and changes nothing', () => {
  test('no key, a wrong key, a member link or a revoked link against every facilitator route', async () => {
    const group = (await asFacilitator('POST', '/groups', tuesdayGroup)).json!.group;
    const ana = (await asFacilitator('POST', `/groups/${group.id}/members`, { name: 'Ana', emergencyContact: 'Marta, +49 30 1234567' })).json!;
    const ben = (await asFacilitator('POST', `/groups/${group.id}/members`, { name: 'Ben' })).json!;
    await asFacilitator('DELETE', `/groups/${group.id}/members/${ben.member.id}/link`);
    await asFacilitator('POST', `/groups/${group.id}/notes`, { text: 'only for the facilitator', memberId: ana.member.id });
    const session = await opened.records.startSession(group.id);
    await opened.records.endSession(session.sessionId, { attendance: { [ana.member.id]: 'present' }, ratings: { [ana.member.id]: 5 }, locations: {}, feedback: [], rounds: [] });
    const state = async () => JSON.stringify([(await asFacilitator('GET', `/groups/${group.id}`)).json, (await asFacilitator('GET', `/groups/${group.id}/notes`)).json, await opened.records.goalsByMember(group.id)]);
    const before = await state();
    const g = `/groups/${group.id}`;
    const m = `${g}/members/${ana.member.id}`;
    const routes: [string, string, unknown?][] = [
      ['POST', '/groups', tuesdayGroup],
      ['GET', '/groups'],
      ['GET', g],
      ['PATCH', g, { name: 'Taken over', closed: true }],
      ['POST', `${g}/members`, { name: 'Intruder' }],
      ['PATCH', m, { emergencyContact: null }],
      ['DELETE', m],
      ['POST', `${m}/link`],
      ['DELETE', `${m}/link`],
      ['DELETE', `${m}/data`],
      ['GET', `${g}/sessions`],
      ['GET', `${g}/sessions/1/export?format=json`],
      ['GET', `${g}/goals`],
      ['GET', `${g}/notes`],
      ['POST', `${g}/notes`, { text: 'forged' }],
      ['GET', `${g}/calendar.ics`],
    ];
    const anaSecret = secretOf(ana.link);
    const refusals = [undefined, 'Bearer wrong-key-0123456789abcdef', `Bearer ${anaSecret}`, `Bearer ${secretOf(ben.link)}`, key];
    for (const [method, path, body] of routes) {
      for (const authorization of refusals) {
        const answer = await call(method, path, { body: authorization === key ? { link: anaSecret } : body, authorization: authorization === key ? undefined : authorization });
        expect({ method, path, status: answer.status, code: answer.json?.code }).toEqual({ method, path, status: 401, code: 'UNAUTHENTICATED' });
      }
    }
    expect(await state()).toBe(before);
  });

  test('a revoked, re-issued, departed or made-up member link opens nothing of the member side', async () => {
    const group = (await asFacilitator('POST', '/groups', { ...tuesdayGroup, name: 'Member side' })).json!.group;
    const cleo = (await asFacilitator('POST', `/groups/${group.id}/members`, { name: 'Cleo' })).json!;
    const dan = (await asFacilitator('POST', `/groups/${group.id}/members`, { name: 'Dan' })).json!;
    const eve = (await asFacilitator('POST', `/groups/${group.id}/members`, { name: 'Eve' })).json!;
    const oldCleo = secretOf(cleo.link);
    const newCleo = secretOf((await asFacilitator('POST', `/groups/${group.id}/members/${cleo.member.id}/link`)).json!.link);
    await asFacilitator('DELETE', `/groups/${group.id}/members/${dan.member.id}/link`);
    await asFacilitator('DELETE', `/groups/${group.id}/members/${eve.member.id}`);
    expect((await call('POST', '/me', { body: { link: newCleo } })).json!.member.name).toBe('Cleo');
    for (const link of [oldCleo, secretOf(dan.link), secretOf(eve.link), 'x'.repeat(43), undefined]) {
      for (const [path, extra] of [['/me', {}], ['/me/goals', { text: 'a goal' }], ['/me/calendar.ics', {}]] as const) {
        const answer = await call('POST', path, { body: { link, ...extra } });
        expect({ path, status: answer.status, code: answer.json?.code }).toEqual({ path, status: 401, code: 'MEMBER_LINK_INVALID' });
      }
    }
    for (const member of [cleo, dan, eve]) expect(await opened.records.goalsOf(member.member.id)).toEqual([]);
    // One member cannot touch another's goal.
    const goal = (await call('POST', '/me/goals', { body: { link: newCleo, text: 'Say what I need' } })).json!.goal;
    const fred = (await asFacilitator('POST', `/groups/${group.id}/members`, { name: 'Fred' })).json!;
    const foreign = await call('POST', `/me/goals/${goal.id}/progress`, { body: { link: secretOf(fred.link), note: 'not mine' } });
    expect([foreign.status, foreign.json?.code]).toEqual([404, 'NOT_FOUND']);
    expect((await opened.records.goalsOf(cleo.member.id))[0]?.progress).toEqual([]);
  });

  test('answers are never cached; bad bodies are refused with the field named', async () => {
    const answer = await asFacilitator('GET', '/groups');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const bad = await asFacilitator('POST', '/groups', { ...tuesdayGroup, cadence: { ...tuesdayGroup.cadence, timeZone: 'Mars/Olympus' } });
    expect([bad.status, bad.json?.code]).toEqual([400, 'INVALID']);
    expect(bad.json?.detail).toMatch(/timeZone/);
    const extra = await asFacilitator('POST', '/groups', { ...tuesdayGroup, authorId: 'x' });
    expect(extra.status).toBe(400);
  });
});
