// A standing group's session boundaries: the time to start Session N (records read, room built)
// and to end it with its record written, beside creating and ending a plain room in the same run.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { RoomConnection } from '../client/src/session/connection.js';
import { createHoldspace } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import type { GroupRecords } from '../server/records/group-records.js';
import { openRecords } from '../server/records/open-records.js';
import { firstAdmin } from '../test/support/passkey.js';

const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export interface GroupSessionResult {
  start: number;
  end: number;
  plainCreate: number;
  plainEnd: number;
  trials: number;
}

export async function measureGroupSession(options: { trials?: number } = {}): Promise<GroupSessionResult> {
  const trials = options.trials ?? 10;
  const dataDir = await mkdtemp(join(tmpdir(), 'holdspace-bench-group-'));
  const logger = pino({ level: 'silent' });
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ENTRY_PER_MINUTE: '100000', RECORDS_ENABLED: 'true' });
  const opened = await openRecords(config.records!, { dataDir, dataKey: randomBytes(32).toString('hex'), logger });
  // The moment a session's record is in the database, seen from inside the process.
  let written: (() => void) | null = null;
  const records = new Proxy(opened, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (property === 'endSession') return async (...args: Parameters<GroupRecords['endSession']>) => {
        await target.endSession(...args);
        written?.();
      };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const holdspace = await createHoldspace(config, { logger, records });
  await holdspace.listen();
  const url = holdspace.url();
  // The facilitator signs in with a passkey (held in software) made from the break-glass setup link.
  const admin = await firstAdmin(url, holdspace.secrets.facilitatorKey);
  const auth = { 'content-type': 'application/json', ...admin.headers };
  const post = async (path: string, body: unknown, headers: Record<string, string> = auth) => {
    const response = await fetch(`${url}/api${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, any>;
  };
  const endRoom = async (token: string, recorded: boolean) => {
    const facilitator = new RoomConnection(url, token, { extraHeaders: admin.headers });
    await new Promise<void>((resolve) => facilitator.subscribe((s) => s.group !== null && resolve()));
    const done = recorded ? new Promise<void>((resolve) => (written = resolve)) : Promise.resolve();
    const t0 = performance.now();
    const ack = await facilitator.send({ type: 'session.end' });
    if (!ack.ok) throw new Error(`session.end: ${ack.code}`);
    await done;
    const elapsed = performance.now() - t0;
    facilitator.close();
    return elapsed;
  };
  try {
    const group = (await post('/groups', {
      name: 'Bench group',
      agreement: 'What is said here stays here.',
      cadence: { weekday: 'tuesday', time: '18:00', timeZone: 'Europe/Berlin' },
      agenda: [{ name: 'Check-in', floorMode: 'stick', prompts: ['How do you arrive?'] }],
      memberCap: 12,
    })).group as { id: string };
    const links: string[] = [];
    for (let i = 0; i < 12; i++) {
      const added = await post(`/groups/${group.id}/members`, { name: `Member ${i + 1}`, emergencyContact: `Contact ${i + 1}` });
      links.push(new URL(added.link as string).hash.replace('#link=', ''));
      await opened.addGoal(added.member.id as string, { text: `Goal of member ${i + 1}`, visibleToGroup: i % 2 === 0 });
    }
    const result = { start: [] as number[], end: [] as number[], plainCreate: [] as number[], plainEnd: [] as number[] };
    for (let trial = 0; trial < trials; trial++) {
      let t0 = performance.now();
      const plain = await post('/rooms', { title: 'Plain room' });
      result.plainCreate.push(performance.now() - t0);
      result.plainEnd.push(await endRoom(plain.token as string, false));

      t0 = performance.now();
      const session = await post(`/groups/${group.id}/sessions`, {});
      result.start.push(performance.now() - t0);
      // Everyone comes in, so the record has twelve members' attendance to write.
      for (const link of links) await post('/me/session', { link }, { 'content-type': 'application/json' });
      result.end.push(await endRoom(session.token as string, true));
    }
    return { start: median(result.start), end: median(result.end), plainCreate: median(result.plainCreate), plainEnd: median(result.plainEnd), trials };
  } finally {
    await holdspace.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
