import { randomBytes, randomInt } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STATE_SCHEMA, migrateRoom } from '../../shared/session/migrations.js';
import { reduce } from '../../shared/session/room.js';
import type { Anonymiser } from '../../shared/session/rules.js';
import type { RoomState } from '../../shared/session/state.js';

/**
 * Live rooms of a single process across a clean restart: written when it drains (SIGTERM), read
 * and removed at the next start, so a crash later never brings back an old state. Readable only
 * by the server's user; rooms are migrated on load like any stored room.
 */
export function liveRoomsFile(dataDir: string): string {
  return join(dataDir, 'live-rooms.json');
}

export async function writeLiveRooms(file: string, rooms: RoomState[], now: number): Promise<void> {
  const partial = `${file}.partial`;
  await writeFile(partial, JSON.stringify({ schema: STATE_SCHEMA, savedAt: now, rooms }), { mode: 0o600 });
  await rename(partial, file);
}

/**
 * The rooms a clean stop left, each as after a network drop: everyone who was here is away,
 * keeping seat, queue place and turn for the grace period while their browsers reconnect.
 */
export async function readLiveRooms(file: string, anonymise: Anonymiser, now: number): Promise<RoomState[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  await rm(file, { force: true });
  const saved = JSON.parse(text) as { rooms: Parameters<typeof migrateRoom>[0][] };
  return saved.rooms.map((stored) => dropEveryone(migrateRoom(stored), anonymise, now));
}

function dropEveryone(room: RoomState, anonymise: Anonymiser, now: number): RoomState {
  let state = room;
  const ctx = { now, newId: () => randomBytes(9).toString('base64url'), randomInt: (max: number) => randomInt(max), anonymise };
  for (const person of Object.values(room.participants)) {
    if (person.presence !== 'online') continue;
    const outcome = reduce(state, { role: 'system' }, { type: 'presence', participantId: person.id, online: false }, ctx);
    if (outcome.ok) state = outcome.state;
  }
  return state;
}
