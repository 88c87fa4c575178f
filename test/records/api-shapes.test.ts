import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { goalSchema, groupLeadSchema, myGroupSchema, noteSchema, rosterMemberSchema, sessionExportSchema, sessionSummarySchema } from '../../shared/protocol/groups.js';
import { startHoldspace, type RunningHoldspace } from '../support/holdspace.js';
import { openTestRecords, tuesdayGroup, type TestRecords } from '../support/records.js';

let opened: TestRecords;
let server: RunningHoldspace;

const api = async (path: string, body?: unknown) => {
  const response = await fetch(`${server.url}/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(await server.facilitatorHeaders()) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.ok).toBe(true);
  return (await response.json()) as unknown;
};

beforeAll(async () => {
  opened = await openTestRecords('PGlite');
  server = await startHoldspace({}, { records: opened.records });
});
afterAll(async () => {
  await server?.stop();
  await opened?.close();
});

/** The browser reads the groups API through the schemas in shared/protocol/groups.ts: every answer must be what they say, field for field. */
describe('the groups API answers in the shapes the browser reads', () => {
  it('roster, sessions, goals, notes, a session export and a member’s own page', async () => {
    const { group } = z.object({ group: z.object({ id: z.string() }) }).parse(await api('/groups', tuesdayGroup));
    const added = z.object({ member: rosterMemberSchema, link: z.string() }).parse(await api(`/groups/${group.id}/members`, { name: 'Ana', emergencyContact: 'Marta' }));
    const link = new URL(added.link).hash.replace('#link=', '');
    await api('/me/goals', { link, text: 'Say no once a week', visibleToGroup: true });
    await api(`/groups/${group.id}/notes`, { text: 'Ana spoke first', memberId: added.member.id });
    const session = await opened.records.startSession(group.id);
    await opened.records.endSession(session.sessionId, { attendance: { [added.member.id]: 'present' }, ratings: { [added.member.id]: 6 }, locations: {}, feedback: [], rounds: [] });

    const page = z.strictObject({ group: z.unknown(), members: z.array(rosterMemberSchema), sessions: z.array(sessionSummarySchema), leads: z.array(groupLeadSchema) }).parse(await api(`/groups/${group.id}`));
    expect(page.members.map((m) => m.name)).toEqual(['Ana']);
    expect(page.leads).toHaveLength(1);
    expect(page.sessions[0]!.endedAt).toBeInstanceOf(Date);

    const { goals } = z.strictObject({ goals: z.record(z.string(), z.array(goalSchema)) }).parse(await api(`/groups/${group.id}/goals`));
    expect(goals[added.member.id]!.map((g) => g.text)).toEqual(['Say no once a week']);

    const { notes } = z.strictObject({ notes: z.array(noteSchema) }).parse(await api(`/groups/${group.id}/notes`));
    expect(notes.map((n) => n.memberId)).toEqual([added.member.id]);

    const exported = sessionExportSchema.parse(await api(`/groups/${group.id}/sessions/1/export?format=json`));
    expect(exported.attendance).toEqual([{ name: 'Ana', status: 'present' }]);

    const mine = myGroupSchema.parse(await api('/me', { link }));
    expect(mine.goals.map((g) => g.visibleToGroup)).toEqual([true]);
  });
});
