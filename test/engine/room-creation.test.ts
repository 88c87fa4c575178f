import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAgenda } from '../../shared/session/agenda.js';
import { startHoldspace, type RunningHoldspace } from '../support/holdspace.js';

/** A one-off room starts with the agenda the facilitator's console sends (its phase names in their language), else the server's own. */
describe('creating a one-off room with an agenda', () => {
  let server: RunningHoldspace;
  const create = async (body: Record<string, unknown>) => {
    const response = await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.facilitatorKey}` }, body: JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as { roomId?: string; code?: string } };
  };
  const phasesOf = async (roomId: string) => (await server.holdspace.rooms.get(roomId))!.state.agenda;
  const roomCount = async () => (await server.holdspace.rooms.list()).length;

  beforeAll(async () => {
    server = await startHoldspace();
  });
  afterAll(async () => server?.stop());

  it('starts the room with the phases sent, in their order, at the first', async () => {
    const agenda = [
      { name: 'Ankommen', floorMode: 'open' },
      { name: 'Eingangsrunde', floorMode: 'stick', prompts: ['Wie kommen Sie heute an?'] },
      { name: 'Abschlussrunde', floorMode: 'stick', theme: 'Was nehmen Sie mit?' },
    ];
    const made = await create({ title: 'Dienstagsgruppe', facilitatorName: 'Dr. Weber', agenda });
    expect(made.status).toBe(201);
    expect(await phasesOf(made.json.roomId!)).toEqual({
      phases: [
        { name: 'Ankommen', floorMode: 'open', prompts: [] },
        { name: 'Eingangsrunde', floorMode: 'stick', prompts: ['Wie kommen Sie heute an?'] },
        { name: 'Abschlussrunde', floorMode: 'stick', theme: 'Was nehmen Sie mit?', prompts: [] },
      ],
      current: 0,
    });
  });

  it("without an agenda, starts with the server's default phases", async () => {
    const made = await create({ title: 'Tuesday group' });
    expect(made.status).toBe(201);
    expect(await phasesOf(made.json.roomId!)).toEqual(defaultAgenda);
  });

  it('refuses a bad agenda with INVALID and makes no room', async () => {
    const before = await roomCount();
    for (const agenda of [[], [{ name: '' }], [{ name: 'Work', floorMode: 'shouting' }], Array.from({ length: 50 }, () => ({ name: 'Work' })), 'Work', [{ name: 'Work', extra: true }]]) {
      const refused = await create({ title: 'Tuesday group', agenda });
      expect(refused, JSON.stringify(agenda).slice(0, 80)).toMatchObject({ status: 400, json: { code: 'INVALID' } });
    }
    expect(await roomCount()).toBe(before);
  });
});
