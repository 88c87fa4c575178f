import { existsSync } from 'node:fs';
import type { RoomStore } from '../store/room-store.js';

/**
 * Test builds only (NODE_ENV=test and HOLDSPACE_TEST_DIE_AFTER_SAVE naming a file): while that
 * file exists, the node dies the instant a save lands in Redis, before anything is broadcast,
 * so failover tests can hit that window every time instead of racing a kill against it.
 */
export function dieAfterSaveWhenArmed(store: RoomStore): void {
  const armFile = process.env.NODE_ENV === 'test' ? process.env.HOLDSPACE_TEST_DIE_AFTER_SAVE : undefined;
  if (!armFile) return;
  const save = store.save.bind(store);
  store.save = async (next, expectedRevision) => {
    const saved = await save(next, expectedRevision);
    if (saved && existsSync(armFile)) {
      process.kill(process.pid, 'SIGKILL');
      // The signal may take a moment to land on every thread: nothing more runs meanwhile.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    }
    return saved;
  };
}
