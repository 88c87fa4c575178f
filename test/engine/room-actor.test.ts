import { describe, expect, it } from 'vitest';
import type { ClientCommand } from '../../shared/protocol/commands.js';
import { createRoom, reduce } from '../../shared/session/room.js';
import type { Actor, RuleContext } from '../../shared/session/rules.js';
import type { RoomState } from '../../shared/session/state.js';
import { feedbackAnonymiser } from '../../server/access/anonymiser.js';
import { createLogger } from '../../server/logger.js';
import { RoomActor } from '../../server/rooms/room-actor.js';
import { MemoryStore } from '../../server/store/memory-store.js';
import { NotOwner, StoreUnavailable } from '../../server/store/room-store.js';
import { RecordingAudience } from '../support/cluster-fakes.js';

/** The room actor against a store that another writer, a takeover or an outage can get at first. */
class UnsteadyStore extends MemoryStore {
  /** What the next save meets instead of the store. */
  next: 'NotOwner' | 'StoreUnavailable' | null = null;

  override async save(next: RoomState, expectedRevision: number): Promise<boolean> {
    const trouble = this.next;
    this.next = null;
    if (trouble === 'NotOwner') throw new NotOwner(next.id);
    if (trouble === 'StoreUnavailable') throw new StoreUnavailable(new Error('connection refused'));
    return super.save(next, expectedRevision);
  }
}

const anonymise = feedbackAnonymiser('a-secret-for-tests-only-0123456789');
let counter = 0;
const newId = () => `id-${String(++counter).padStart(6, '0')}`;
const context = (): RuleContext => ({ now: Date.now(), newId, randomInt: () => 0, anonymise });

async function setUp() {
  const store = new UnsteadyStore();
  const state = createRoom({ id: newId(), title: 'Tuesday group', facilitatorId: newId(), facilitatorName: 'Dana', now: Date.now() });
  await store.create(state);
  const audience = new RecordingAudience();
  const actor = new RoomActor(state, { store, audience, logger: createLogger('silent'), now: Date.now, newId, randomInt: () => 0, anonymise });
  const facilitator: Actor = { role: 'facilitator', id: state.facilitatorIds[0]! };
  return { store, state, audience, actor, facilitator };
}

describe('the room actor at its store', () => {
  it('when another writer saved first, applies the command once more on the newer state and saves that', async () => {
    const { store, state, audience, actor, facilitator } = await setUp();
    // Another node (a lost reply, a takeover) stored a change this actor never saw.
    const elsewhere = reduce(state, facilitator, { id: newId(), type: 'agenda.set', phases: [{ name: 'Arrival' }, { name: 'Work' }] }, context());
    if (!elsewhere.ok || !elsewhere.stored) throw new Error('setup: the change was refused');
    expect(await store.save(elsewhere.state, state.revision)).toBe(true);

    const ack = await actor.dispatch(facilitator, { id: newId(), type: 'floor.mode', mode: 'stick' });

    expect(ack).toEqual({ ok: true, version: elsewhere.state.version + 1 });
    const stored = (await store.load(state.id))!;
    expect(stored.floor.mode).toBe('stick');
    expect(stored.agenda.phases.map((phase) => phase.name)).toEqual(['Arrival', 'Work']);
    expect(actor.state).toBe(stored);
    expect(audience.groups.at(-1)!.group.version).toBe(stored.version);
  });

  it('when another node holds the lease (NotOwner), answers ROOM_MOVING, stops and stores nothing', async () => {
    const { store, state, audience, actor, facilitator } = await setUp();
    let disposed = 0;
    actor.onDispose(() => disposed++);
    store.next = 'NotOwner';

    expect(await actor.dispatch(facilitator, { id: newId(), type: 'floor.mode', mode: 'stick' })).toMatchObject({ ok: false, code: 'ROOM_MOVING' });
    expect(disposed).toBe(1);
    expect(await store.load(state.id)).toBe(state);
    expect(audience.sent).toBe(0);
    // A disposed actor takes nothing more: the command goes to the room's new node.
    expect(await actor.dispatch(facilitator, { id: newId(), type: 'floor.mode', mode: 'stick' })).toMatchObject({ ok: false, code: 'ROOM_MOVING' });
    expect(await store.load(state.id)).toBe(state);
  });

  it('while the store is away (StoreUnavailable), answers STORE_UNAVAILABLE and changes nothing; the same command lands once it is back', async () => {
    const { store, state, audience, actor, facilitator } = await setUp();
    const command: ClientCommand = { id: newId(), type: 'floor.mode', mode: 'stick' };
    store.next = 'StoreUnavailable';

    expect(await actor.dispatch(facilitator, command)).toMatchObject({ ok: false, code: 'STORE_UNAVAILABLE' });
    expect(actor.state).toBe(state);
    expect(await store.load(state.id)).toBe(state);
    expect(audience.sent).toBe(0);

    expect(await actor.dispatch(facilitator, command)).toEqual({ ok: true, version: state.version + 1 });
    expect((await store.load(state.id))!.floor.mode).toBe('stick');
    actor.dispose();
  });
});
