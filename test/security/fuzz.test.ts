import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandId, type RoomSocket } from '../../client/src/session/connection.js';
import { commandTypes, PROTOCOL_VERSION, type CommandType } from '../../shared/protocol/commands.js';
import { errorCodes } from '../../shared/protocol/errors.js';
import type { SnapshotAck } from '../../shared/protocol/events.js';
import { sampleCommands } from '../support/sample-commands.js';
import { disconnection, openSocket, untyped } from './support/handshake.js';
import { hostileConnection } from './support/hostile-frames.js';
import { ackShape, hostileCommand, hostileValue, isValidSync, unknownEventName, type AckShape } from './support/hostile-payloads.js';
import { startHoldspaceProcess, type HoldspaceProcess } from './support/holdspace-process.js';
import { seatedRoom, until, type SeatedRoom } from '../support/holdspace.js';
import { RawEngine } from './support/raw-engine.js';
import { roomInconsistencies, snapshotThrough } from './support/room-invariants.js';

const SEED = Number(process.env.FUZZ_SEED ?? 61_106);
const BATCH = 20;
const RUNS_PER_EVENT = 12;
const RAW_BATCHES = 40;
const RAW_PER_BATCH = 10;

const knownCodes = new Set<string>(errorCodes);

type Target = { event: 'command'; type: CommandType } | { event: 'sync' } | { event: 'unknown' };
const targets: Target[] = [...commandTypes.map((type) => ({ event: 'command' as const, type })), { event: 'sync' }, { event: 'unknown' }];
const label = (target: Target) => (target.event === 'command' ? `command ${target.type}` : target.event);

interface Sent {
  shape: AckShape | 'unsendable';
  event: string;
  payload: unknown;
  answer?: unknown;
}

/** Emit one hostile event with the acknowledgement attached (or not) the way `shape` says. */
function emitHostile(socket: RoomSocket, event: string, payload: unknown, shape: AckShape, extra: unknown): Sent {
  const sent: Sent = { shape, event, payload };
  const record = (answer: unknown) => void (sent.answer = answer);
  const raw = untyped(socket);
  try {
    if (shape === 'ack') raw.emit(event, payload, record);
    else if (shape === 'none') raw.emit(event, payload);
    else if (shape === 'extra-before-ack') raw.emit(event, payload, extra, record);
    else if (shape === 'ack-only') raw.emit(event, record);
    else raw.emit(event, payload, () => undefined, record);
  } catch {
    // Socket.IO's client could not encode it (e.g. binary deep inside deep nesting): nothing went out.
    sent.shape = 'unsendable';
  }
  return sent;
}

const isRefusal = (answer: unknown): answer is { ok: false; code: string; message: string } =>
  typeof answer === 'object' && answer !== null && (answer as { ok?: unknown }).ok === false && knownCodes.has(String((answer as { code?: unknown }).code)) && typeof (answer as { message?: unknown }).message === 'string';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

describe('fuzzing every client event and the raw engine.io frames', () => {
  let server: HoldspaceProcess;
  let room: SeatedRoom;
  let facilitator: RoomSocket;
  let baseline: string;
  let malloryToken: string;
  let malloryId: string;
  const bystanderLatencies: number[] = [];
  let bystanderFrames = 0;
  let invariantChecks = 0;
  const tally = new Map<string, number>();
  const count = (key: string, by = 1) => tally.set(key, (tally.get(key) ?? 0) + by);
  const started = Date.now();
  let silent: RawEngine;
  let mute: RawEngine;
  let muteJoined: Promise<string | null>;

  beforeAll(async () => {
    // The budget per socket is raised so every payload reaches validation (flood.test.ts covers the limits).
    server = await startHoldspaceProcess({ env: { EVENTS_PER_SECOND: '1000', EVENT_BURST: '5000', ENTRY_PER_MINUTE: '100000', SOCKETS_PER_PARTICIPANT: '1000' } });
    room = await seatedRoom(server, ['Ana', 'Ben', 'Mallory']);
    const [ana, ben, mallory] = room.members;
    malloryToken = mallory!.token;
    malloryId = mallory!.id;
    // Some live state for hostile input to damage: a queue with a hand up and an open feedback prompt.
    expect(await room.facilitator.send({ type: 'floor.mode', mode: 'queue' })).toMatchObject({ ok: true });
    expect(await ben!.connection.send({ type: 'hand.raise' })).toMatchObject({ ok: true });
    expect(await room.facilitator.send({ type: 'feedback.open', question: 'What stayed with you?', answer: 'both', audience: 'group', k: 3 })).toMatchObject({ ok: true });
    facilitator = await openSocket(server.url, { protocol: PROTOCOL_VERSION, token: room.facilitatorToken });
    await until(ana!.connection, (s) => s.group?.feedback.open !== null && (s.group?.floor.queue.length ?? 0) === 1);
    baseline = (await snapshotThrough(facilitator)).text;
    for (const event of ['room', 'self', 'snapshot', 'farewell'] as const) ana!.connection.socket.on(event, () => void bystanderFrames++);
    silent = new RawEngine(server.url);
    mute = new RawEngine(server.url, { answerPings: false });
    muteJoined = mute.connect({ protocol: PROTOCOL_VERSION, token: malloryToken });
  });

  afterAll(async () => {
    facilitator?.close();
    await server?.stop();
  });

  /** After each batch: the server is up and clean, the room is as it was, and the bystander is served at once. */
  async function checkInvariants(where: string): Promise<void> {
    invariantChecks++;
    expect(server.exited(), `${where}: server process ended`).toBeNull();
    expect(server.faults, `${where}: uncaught exceptions or unhandled rejections`).toEqual([]);
    const { ack, text } = await snapshotThrough(facilitator);
    expect(roomInconsistencies(ack), where).toEqual([]);
    expect(text, `${where}: the facilitator's snapshot changed`).toBe(baseline);
    const ana = room.members[0]!.connection;
    const at = performance.now();
    // Lowering a hand that is not raised is answered ok and changes nothing anyone sees.
    expect(await ana.send({ type: 'hand.lower' }), `${where}: bystander refused`).toMatchObject({ ok: true });
    const latency = performance.now() - at;
    bystanderLatencies.push(latency);
    expect(latency, `${where}: bystander answered slowly`).toBeLessThan(1_000);
    expect(await server.prototypes(), `${where}: a prototype was polluted`).toBe(server.prototypesAtStart);
  }

  it('answers thousands of hostile payloads on every event with coded errors, changing nothing', { timeout: 90_000 }, async () => {
    const samples = () => sampleCommands({ member: room.members[1]!.id, other: room.members[0]!.id, prompt: room.facilitator.snapshot.group!.feedback.open!.id });
    let sent = 0;
    for (const [index, target] of targets.entries()) {
      let socket = await openSocket(server.url, { protocol: PROTOCOL_VERSION, token: malloryToken });
      const payload: fc.Arbitrary<{ name: string; payload: unknown }> =
        target.event === 'command'
          ? hostileCommand(target.type, () => ({ ...samples()[target.type], id: commandId() })).map((payload) => ({ name: 'command', payload }))
          : target.event === 'sync'
            ? hostileValue.map((payload) => ({ name: 'sync', payload }))
            : fc.record({ name: unknownEventName, payload: hostileValue });
      const batch = fc.array(fc.record({ event: payload, shape: ackShape, extra: hostileValue }), { minLength: BATCH, maxLength: BATCH });

      await fc.assert(
        fc.asyncProperty(batch, async (items) => {
          if (!socket.connected) socket = await openSocket(server.url, { protocol: PROTOCOL_VERSION, token: malloryToken });
          const sentNow = items.map(({ event, shape, extra }) => emitHostile(socket, event.name, event.payload, shape, extra));
          sent += sentNow.filter((s) => s.shape !== 'unsendable').length;
          // Packets are handled in order: once the probe is answered, every answer that will come has come.
          const probe = (await socket.timeout(5_000).emitWithAck('sync', {})) as SnapshotAck;
          expect(probe.ok, `${label(target)}: the socket is no longer served (${probe.ok ? '' : probe.code})`).toBe(true);
          const deadline = Date.now() + 5_000;
          while (sentNow.some((s) => s.shape === 'ack' && s.answer === undefined) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
          for (const s of sentNow) {
            if (s.shape === 'unsendable') {
              count('unsendable');
              continue;
            }
            const what = `${label(target)} ${s.event} (${s.shape}) ${JSON.stringify(s.payload)?.slice(0, 300)}`;
            count(s.answer === undefined ? 'unanswered' : isRefusal(s.answer) ? s.answer.code : 'ok');
            if (target.event === 'sync' && s.shape === 'ack' && isValidSync(s.payload)) {
              expect(s.answer, what).toMatchObject({ ok: true, self: { role: 'member', you: { id: malloryId } } });
              continue;
            }
            if (s.shape === 'ack') expect(isRefusal(s.answer), what).toBe(true);
            if (s.answer !== undefined) expect(isRefusal(s.answer), what).toBe(true);
            if (s.shape === 'ack' && target.event !== 'unknown') expect((s.answer as { code: string }).code, what).toBe('INVALID');
            if (target.event === 'unknown' && s.shape !== 'none') expect((s.answer as { code: string }).code, what).toBe('UNKNOWN_EVENT');
            if (s.shape === 'none') expect(s.answer, what).toBeUndefined();
          }
          await checkInvariants(label(target));
        }),
        { numRuns: RUNS_PER_EVENT, seed: SEED + index, endOnFailure: true },
      );
      socket.close();
    }
    count('payloads', sent);
    expect(sent).toBeGreaterThanOrEqual(targets.length * RUNS_PER_EVENT * BATCH);
    expect(bystanderFrames, 'the bystander was sent something because of hostile input').toBe(0);
  });

  it('drops a socket that sends a megabyte on any event, and stays up for everyone else', { timeout: 60_000 }, async () => {
    const megabyte = fc.record({ size: fc.integer({ min: 1 << 20, max: 2 << 20 }), form: fc.constantFrom('string-field', 'binary-field', 'event-name', 'extra-argument') });
    const plans = fc.sample(megabyte, { numRuns: targets.length, seed: SEED });
    let dropped = 0;
    for (const [index, target] of targets.entries()) {
      const { size, form } = plans[index]!;
      const socket = await openSocket(server.url, { protocol: PROTOCOL_VERSION, token: malloryToken });
      const closed = disconnection(socket);
      const event = target.event === 'command' ? 'command' : target.event === 'sync' ? 'sync' : 'no-such-event';
      const body = form === 'binary-field' ? Buffer.alloc(size, 7) : 'z'.repeat(size);
      const payload = target.event === 'command' ? { id: commandId(), type: target.type, text: body } : { since: body };
      if (form === 'event-name') untyped(socket).emit('z'.repeat(size), {}, () => undefined);
      else if (form === 'extra-argument') untyped(socket).emit(event, {}, body, () => undefined);
      else untyped(socket).emit(event, payload, () => undefined);
      const reason = await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('still connected'), 5_000))]);
      expect(reason, `${label(target)} with ${form} of ${size} bytes`).toBe('transport close');
      dropped++;
      socket.close();
      await checkInvariants(`megabyte ${label(target)}`);
    }
    count('megabyte drops', dropped);
    expect(dropped).toBe(targets.length);
  });

  it('survives raw malformed engine.io and Socket.IO frames on a bare WebSocket, and garbage long-polling bodies', { timeout: 60_000 }, async () => {
    let frames = 0;
    let connections = 0;
    let closedByServer = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hostileConnection, { minLength: RAW_PER_BATCH, maxLength: RAW_PER_BATCH }), async (batch) => {
        await Promise.all(
          batch.map(async ({ joinFirst, frames: sequence }) => {
            const engine = new RawEngine(server.url);
            connections++;
            if (joinFirst) {
              const answer = await engine.connect({ protocol: PROTOCOL_VERSION, token: malloryToken });
              expect(answer, 'a raw client with a valid token could not join').toMatch(/^40\{"sid"/);
            } else if (!(await engine.opened)) return;
            for (const frame of sequence) {
              engine.send(frame);
              frames++;
              await new Promise((r) => setTimeout(r, 5));
            }
            const outcome = await Promise.race([engine.closed, new Promise<null>((r) => setTimeout(() => r(null), 250))]);
            if (outcome) closedByServer++;
            engine.close();
            await engine.closed;
          }),
        );
        await checkInvariants('raw frames');
      }),
      { numRuns: RAW_BATCHES, seed: SEED, endOnFailure: true },
    );

    // Long-polling: garbage and oversize bodies for a real session id, and requests for sessions that do not exist.
    const open = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    const sid = (JSON.parse((await open.text()).slice(1)) as { sid: string }).sid;
    const bodies = fc.sample(fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('4', '40', '42["command",{}]', '1', '6', '\u001e\u001e', 'x'.repeat(200_000), '40{"protocol":1}\u001e42["sync",{}]')), { numRuns: 40, seed: SEED });
    const statuses = new Map<number, number>();
    for (const body of bodies) {
      const response = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      await response.arrayBuffer();
    }
    const bogus = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${'A'.repeat(20)}`);
    expect(bogus.status).toBe(400);
    await checkInvariants('long-polling');
    count('raw frames', frames);
    count('raw connections', connections);
    count('raw connections closed by the server', closedByServer);
    console.log(`fuzz long-polling: ${bodies.length} hostile bodies, HTTP statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(frames).toBeGreaterThanOrEqual(RAW_BATCHES * RAW_PER_BATCH);
  });

  it('logs off connections that never join or never answer pings', { timeout: 30_000 }, async () => {
    // A connection that never joins a namespace is closed by the connect timeout (10 s); one that
    // joined but stopped answering pings, by the ping timeout (10 s interval + 8 s). Both opened in beforeAll.
    expect(await muteJoined).toMatch(/^40\{"sid"/);
    const [neverJoined, neverPonged] = await Promise.all([silent.closed, mute.closed]);
    console.log(`fuzz idle: never-joined closed after ${neverJoined.afterMs} ms; never-ponged closed after ${neverPonged.afterMs} ms`);
    expect(neverJoined.afterMs).toBeLessThan(12_000);
    expect(neverPonged.afterMs).toBeLessThan(21_000);
    await checkInvariants('idle');
  });

  it('still serves the room for real afterwards', async () => {
    const framesToBystander = bystanderFrames;
    const ana = room.members[0]!;
    const at = performance.now();
    expect(await ana.connection.send({ type: 'hand.raise' })).toMatchObject({ ok: true });
    await until(room.facilitator, (s) => s.group?.floor.queue.includes(ana.id) ?? false, 2_000);
    const seenAfter = performance.now() - at;
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(server.faults).toEqual([]);
    expect(server.exited()).toBeNull();
    console.log(
      `fuzz: ${tally.get('payloads')} hostile payloads over ${targets.length} events (${commandTypes.length} command types, sync, unknown events), ` +
        `${tally.get('megabyte drops')} megabyte drops, ${tally.get('raw frames')} raw frames on ${tally.get('raw connections')} bare WebSockets ` +
        `(${tally.get('raw connections closed by the server')} closed by the server); answers ${JSON.stringify(Object.fromEntries([...tally].filter(([k]) => knownCodes.has(k) || k === 'ok' || k === 'unanswered')))}; ` +
        `${invariantChecks} invariant checks; crashes 0, unhandled rejections ${server.faults.length}; bystander no-op median ${median(bystanderLatencies).toFixed(1)} ms, ` +
        `max ${Math.max(...bystanderLatencies).toFixed(1)} ms, frames to the bystander ${framesToBystander}; real command seen by the facilitator in ${seenAfter.toFixed(1)} ms; ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});
