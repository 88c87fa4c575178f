import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestRecords, tuesdayGroup, type TestRecords } from '../support/records.js';
import { startHoldspace, until, type RunningHoldspace } from '../support/holdspace.js';
import { FacilitatorBrowser, invitedTherapist } from '../support/passkey.js';

let opened: TestRecords;
let server: RunningHoldspace;
let key: string;
/** Therapist A, the group's lead (the first administrator), and therapist B, who leads other groups. */
let a: FacilitatorBrowser;
let b: FacilitatorBrowser;

const call = async (method: string, path: string, options: { body?: unknown; authorization?: string; headers?: Record<string, string> } = {}) => {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(options.authorization ? { authorization: options.authorization } : {}), ...options.headers },
    ...(options.body !== undefined && method !== 'GET' ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: (text.startsWith('{') ? JSON.parse(text) : null) as Record<string, any> | null };
};
const asFacilitator = (method: string, path: string, body?: unknown) => call(method, path, { body, headers: a.headers });
const secretOf = (link: string) => new URL(link).hash.replace('#link=', '');

beforeAll(async () => {
  opened = await openTestRecords('PostgreSQL');
  server = await startHoldspace({ ENTRY_PER_MINUTE: '10000' }, { records: opened.records });
  key = server.facilitatorKey;
  a = await server.facilitator();
  b = await invitedTherapist(a, 'Sam Okafor');
});
afterAll(async () => {
  await server?.stop();
  await opened?.close();
});

describe('the groups API refuses whoever is not the facilitator, and changes nothing', () => {
  test('no sign-in, a wrong or the facilitator key, a member link or a revoked link against every facilitator route', async () => {
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
    // With accounts the facilitator key opens no group route: it only makes an administrator's setup link.
    const refusals = [undefined, 'Bearer wrong-key-0123456789abcdef', `Bearer ${anaSecret}`, `Bearer ${secretOf(ben.link)}`, `Bearer ${key}`, 'link in body'];
    for (const [method, path, body] of routes) {
      for (const authorization of refusals) {
        const inBody = authorization === 'link in body';
        const answer = await call(method, path, { body: inBody ? { link: anaSecret } : body, authorization: inBody ? undefined : authorization });
        expect({ method, path, status: answer.status, code: answer.json?.code }).toEqual({ method, path, status: 401, code: 'SIGNED_OUT' });
      }
    }
    expect(await state()).toBe(before);
  });

  test('therapist B against every route and the live room of A’s group; an ended, idle or expired cookie, or A’s cookie from another site: all refused, A’s data unchanged', async () => {
    const group = (await asFacilitator('POST', '/groups', { ...tuesdayGroup, name: 'A’s group' })).json!.group;
    const ana = (await asFacilitator('POST', `/groups/${group.id}/members`, { name: 'Ana', emergencyContact: 'Marta, +49 30 1234567' })).json!;
    await asFacilitator('POST', `/groups/${group.id}/notes`, { text: 'only for the leads', memberId: ana.member.id });
    const ended = await opened.records.startSession(group.id);
    await opened.records.endSession(ended.sessionId, { attendance: { [ana.member.id]: 'present' }, ratings: { [ana.member.id]: 5 }, locations: {}, feedback: [], rounds: [] });
    const live = (await asFacilitator('POST', `/groups/${group.id}/sessions`, { facilitatorName: 'Dr. Rivera' })).json!;
    // Cookies that no longer count: signed out, idle past the limit, past the absolute lifetime.
    const signedOut = new FacilitatorBrowser(server.url);
    signedOut.passkey.create({ challenge: 'x', rp: {}, user: { id: 'x' } });
    const idle = await invitedTherapist(a, 'Idle Therapist');
    const expired = await invitedTherapist(a, 'Expired Therapist');
    for (const who of [idle, expired]) await asFacilitator('POST', `/groups/${group.id}/leads`, { accountId: who.account!.id });
    const outdated = await invitedTherapist(a, 'Signed-out Therapist');
    await asFacilitator('POST', `/groups/${group.id}/leads`, { accountId: outdated.account!.id });
    const stale = outdated.cookie;
    await outdated.call('POST', '/accounts/sign-out');
    const db = opened.records.database;
    const hour = 3_600_000;
    await db.updateTable('sign_ins').set({ last_seen_at: new Date(Date.now() - 2 * hour) }).where('account_id', '=', idle.account!.id).execute();
    await db.updateTable('sign_ins').set({ expires_at: new Date(Date.now() - 1000) }).where('account_id', '=', expired.account!.id).execute();
    const state = async () => JSON.stringify([(await asFacilitator('GET', `/groups/${group.id}`)).json, (await asFacilitator('GET', `/groups/${group.id}/notes`)).json, await opened.records.goalsByMember(group.id), (await server.holdspace.rooms.get(live.roomId))?.state.participants]);
    const before = await state();
    const g = `/groups/${group.id}`;
    const m = `${g}/members/${ana.member.id}`;
    const routes: [string, string, unknown?][] = [
      ['GET', g],
      ['PATCH', g, { name: 'Taken over', closed: true }],
      ['POST', `${g}/leads`, { accountId: b.account!.id }],
      ['POST', `${g}/members`, { name: 'Intruder' }],
      ['PATCH', m, { emergencyContact: null }],
      ['DELETE', m],
      ['POST', `${m}/link`],
      ['DELETE', `${m}/link`],
      ['DELETE', `${m}/data`],
      ['POST', `${g}/sessions`, {}],
      ['POST', `${g}/sessions/current/facilitate`, {}],
      ['GET', `${g}/sessions`],
      ['GET', `${g}/sessions/1/export?format=json`],
      ['GET', `${g}/goals`],
      ['GET', `${g}/notes`],
      ['POST', `${g}/notes`, { text: 'forged' }],
      ['GET', `${g}/calendar.ics`],
      ['POST', `/rooms/${live.roomId}/facilitate`, {}],
      ['POST', `/rooms/${live.roomId}/invite`, {}],
    ];
    const refusals: [string, Record<string, string>, number, string][] = [
      ['therapist B', b.headers, 404, 'NOT_FOUND'],
      ['a signed-out cookie', { cookie: stale }, 401, 'SIGNED_OUT'],
      ['an idle cookie', idle.headers, 401, 'SIGNED_OUT'],
      ['an expired cookie', expired.headers, 401, 'SIGNED_OUT'],
      ['A’s cookie sent from another site', { ...a.headers, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, 403, 'FORBIDDEN'],
    ];
    for (const [who, headers, status, code] of refusals) {
      for (const [method, path, body] of routes) {
        const answer = await call(method, path, { body, headers });
        expect({ who, method, path, status: answer.status, code: answer.json?.code }).toEqual({ who, method, path, status, code });
      }
    }
    // B's own list does not show A's group; B's socket with A's facilitator token is refused, as is a token without a live sign-in.
    expect(((await call('GET', '/groups', { headers: b.headers })).json!.groups as { id: string }[]).map((x) => x.id)).not.toContain(group.id);
    for (const headers of [b.headers, {}, { cookie: stale }, idle.headers, { ...a.headers, origin: 'https://evil.example' }]) {
      const socket = server.connect(live.token, { extraHeaders: headers });
      expect((await until(socket, (s) => s.farewell !== null)).farewell?.code).toBe('SIGNED_OUT');
      socket.close();
    }
    expect(await state()).toBe(before);
    // A's own socket gets in; so does a co-lead A adds, with the token the running session gives them.
    const own = server.connect(live.token, { extraHeaders: a.headers });
    await until(own, (s) => s.group !== null);
    expect((await asFacilitator('POST', `${g}/leads`, { accountId: b.account!.id })).status).toBe(201);
    const colead = (await call('POST', `${g}/sessions/current/facilitate`, { body: {}, headers: b.headers })).json!;
    expect(colead.roomId).toBe(live.roomId);
    const second = server.connect(colead.token, { extraHeaders: b.headers });
    await until(second, (s) => s.group !== null);
    own.close();
    second.close();
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
