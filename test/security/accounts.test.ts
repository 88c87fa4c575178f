import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FacilitatorBrowser, firstAdmin, invitedTherapist } from '../support/passkey.js';
import { openTestRecords, tuesdayGroup, type TestRecords } from '../support/records.js';
import { startHoldspace, until, type RunningHoldspace } from '../support/holdspace.js';

describe('facilitators’ accounts with passkeys', () => {
  let opened: TestRecords;
  let server: RunningHoldspace;
  beforeAll(async () => {
    opened = await openTestRecords('PGlite');
    server = await startHoldspace({ ENTRY_PER_MINUTE: '12', ACCOUNT_INVITE_HOURS: '1' }, { records: opened.records });
  });
  afterAll(async () => {
    await server?.stop();
    await opened?.close();
  });

  test('the first start offers a one-time setup link that registers the administrator; the link then opens nothing', async () => {
    // A group from before accounts existed: it goes to the first administrator.
    const older = await opened.records.createGroup(tuesdayGroup);
    const start = await server.holdspace.startLink();
    expect(start?.kind).toBe('setup');
    const admin = new FacilitatorBrowser(server.url);
    const registered = await admin.register(start!.link, 'Dr. Rivera');
    expect([registered.status, registered.json?.account.role]).toEqual([201, 'admin']);
    // The cookie: HttpOnly, SameSite=Strict, an absolute lifetime; not Secure over plain http on localhost.
    expect(registered.setCookie).toMatch(/^holdspace-sign-in=[A-Za-z0-9_-]{40,}; Path=\/; Max-Age=43\d{3}; HttpOnly; SameSite=Strict$/);
    expect(admin.recoveryCodes).toHaveLength(8);
    expect((await admin.call('GET', '/groups')).json?.groups.map((g: { id: string }) => g.id)).toEqual([older.id]);
    expect((await admin.call('GET', '/accounts/me')).json?.account).toMatchObject({ name: 'Dr. Rivera', role: 'admin' });
    // Used once: a second registration with the same link is refused, and no second setup link is printed.
    const again = await new FacilitatorBrowser(server.url).register(start!.link, 'Intruder');
    expect([again.status, again.json?.code]).toEqual([410, 'ACCOUNT_LINK_INVALID']);
    expect(await server.holdspace.startLink()).toBeNull();
    // Recovery codes are shown once and work once.
    const elsewhere = new FacilitatorBrowser(server.url);
    expect((await elsewhere.call('POST', '/accounts/recover', { code: admin.recoveryCodes[0] })).status).toBe(200);
    expect((await elsewhere.call('GET', '/accounts/me')).json?.account.name).toBe('Dr. Rivera');
    const reused = await new FacilitatorBrowser(server.url).call('POST', '/accounts/recover', { code: admin.recoveryCodes[0] });
    expect([reused.status, reused.json?.code]).toEqual([401, 'SIGN_IN_FAILED']);
  });

  test('an invited therapist registers once and signs in; a failed sign-in never tells whether the account exists', async () => {
    const admin = await firstAdmin(server.url, server.facilitatorKey, 'Second admin');
    const therapist = await invitedTherapist(admin, 'Sam Okafor');
    expect(therapist.account?.role).toBe('therapist');
    therapist.cookie = '';
    expect((await therapist.call('GET', '/accounts/me')).json?.code).toBe('SIGNED_OUT');
    const signedIn = await therapist.signIn();
    expect([signedIn.status, signedIn.json?.account.name]).toEqual([200, 'Sam Okafor']);
    // A therapist cannot invite or read the audit trail.
    expect((await therapist.call('POST', '/accounts/invitations', { role: 'admin' })).status).toBe(403);
    expect((await therapist.call('GET', '/audit')).status).toBe(403);
    // A spoiled signature and a passkey nobody registered get the same answer.
    const spoiled = await therapist.signIn({ tamper: true });
    const stranger = new FacilitatorBrowser(server.url);
    stranger.passkey.create({ challenge: 'x', rp: {}, user: { id: 'x' } });
    const unknown = await stranger.signIn();
    expect([spoiled.status, spoiled.json]).toEqual([unknown.status, unknown.json]);
    expect(unknown.json?.code).toBe('SIGN_IN_FAILED');
    // A passkey answering for another site is refused.
    expect((await therapist.signIn({ origin: 'https://evil.example' })).json?.code).toBe('SIGN_IN_FAILED');
  });

  test('an invitation expires, and the break-glass key only makes a setup link', async () => {
    const admin = await firstAdmin(server.url, server.facilitatorKey, 'Third admin');
    const invite = (await admin.call('POST', '/accounts/invitations', { role: 'therapist' })).json!;
    expect(Date.parse(invite.expiresAt) - Date.now()).toBeLessThanOrEqual(3_600_000);
    const token = new URL(invite.link).hash.replace('#invite=', '');
    expect((await admin.call('POST', '/accounts/invitations/inspect', { token })).json).toEqual({ role: 'therapist' });
    const key = { authorization: `Bearer ${server.facilitatorKey}` };
    const keyOnly = new FacilitatorBrowser(server.url);
    for (const [method, path, body] of [['GET', '/groups'], ['POST', '/groups', tuesdayGroup], ['GET', '/rooms'], ['POST', '/rooms', { title: 'x' }], ['GET', '/accounts'], ['GET', '/audit']] as const) {
      const answer = await keyOnly.call(method, path, body, key);
      expect({ path, status: answer.status, code: answer.json?.code }).toEqual({ path, status: 401, code: 'SIGNED_OUT' });
    }
  });

  test('sign-in failures are limited per address', async () => {
    const lone = new FacilitatorBrowser(server.url);
    const codes: string[] = [];
    for (let i = 0; i < 14; i++) codes.push((await lone.call('POST', '/accounts/recover', { code: 'dead-beef-dead-beef-0000' }, { 'x-test': String(i) })).json?.code);
    expect(codes.slice(0, 4)).toEqual(['SIGN_IN_FAILED', 'SIGN_IN_FAILED', 'SIGN_IN_FAILED', 'SIGN_IN_FAILED']);
    expect(codes.at(-1)).toBe('RATE_LIMITED');
  });
});

describe('automatic logoff', () => {
  let opened: TestRecords;
  let server: RunningHoldspace;
  beforeAll(async () => {
    opened = await openTestRecords('PGlite');
    // A 2.4 s idle limit and open sockets checked every second.
    server = await startHoldspace({ IDLE_MINUTES: '0.04', SESSION_RECHECK_SECONDS: '1', SIGN_IN_HOURS: '0.002', ENTRY_PER_MINUTE: '1000' }, { records: opened.records });
  });
  afterAll(async () => {
    await server?.stop();
    await opened?.close();
  });

  test('a facilitator idle past the limit is signed out and their socket closed; activity keeps them in', async () => {
    const admin = await firstAdmin(server.url, server.facilitatorKey);
    const room = (await admin.call('POST', '/rooms', { title: 'Idle test', facilitatorName: 'Dr. Rivera' })).json!;
    const facilitator = server.connect(room.token, { extraHeaders: admin.headers });
    await until(facilitator, (s) => s.group !== null);
    // Activity within the limit keeps the sign-in alive past it.
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await admin.call('POST', '/accounts/activity')).status).toBe(204);
    }
    expect(facilitator.snapshot.status).toBe('online');
    const closed = await until(facilitator, (s) => s.farewell !== null, 10_000);
    expect(closed.farewell?.code).toBe('SIGNED_OUT');
    expect((await admin.call('GET', '/rooms')).json?.code).toBe('SIGNED_OUT');
    // The same token with the same (now idle) cookie cannot reconnect.
    const again = server.connect(room.token, { extraHeaders: admin.headers });
    expect((await until(again, (s) => s.farewell !== null)).farewell?.code).toBe('SIGNED_OUT');
  });

  test('a sign-in ends at its absolute lifetime however active', async () => {
    const admin = await firstAdmin(server.url, server.facilitatorKey, 'Active admin');
    const started = Date.now();
    // SIGN_IN_HOURS=0.002 is 7.2 s: activity every second does not stretch it.
    let status = 204;
    while (status === 204 && Date.now() - started < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      status = (await admin.call('POST', '/accounts/activity')).status;
    }
    expect(status).toBe(401);
    expect(Date.now() - started).toBeGreaterThan(6_000);
  });
});
