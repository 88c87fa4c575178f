import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandId, type RoomSocket } from '../../client/src/session/connection.js';
import { commandTypes, facilitatorCommandTypes, PROTOCOL_VERSION } from '../../shared/protocol/commands.js';
import { errorCodes } from '../../shared/protocol/errors.js';
import { mediaRequestNames, type MediaRequestName } from '../../shared/protocol/media.js';
import { sampleCommands } from '../support/sample-commands.js';
import { ask, handshake, openSocket, rawAttempt, type RawAttempt } from './support/handshake.js';
import { startHoldspaceProcess, type HoldspaceProcess } from './support/holdspace-process.js';
import { seatedRoom, until, type SeatedRoom } from '../support/holdspace.js';
import { consume, mediaFieldValues, mediaRequestFor, publishMicrophone, type MediaHoldings } from './support/media-fixtures.js';
import { snapshotThrough } from './support/room-invariants.js';
import { claimsOf, expiredSession, foreignSession, rebound, shortSession } from './support/session-tokens.js';

/** The public address the server is configured for: the only origin a browser may connect from. */
const SITE = 'https://holdspace.example.org';
const hostileOrigins = ['https://evil.example', 'null', 'https://holdspace.example.org.evil.example', 'http://holdspace.example.org', 'https://holdspace.example.org:8443'];

const knownCodes = new Set<string>(errorCodes);
const resourceFields = ['transportId', 'producerId', 'producerIds', 'consumerId', 'consumerIds'];

interface MatrixEvent {
  name: string;
  /** A well-formed request of this event, aimed at room A and its facilitator's media. */
  payload(): unknown;
  /** The same request as a member would word it to borrow the facilitator's authority or belongings. */
  asFacilitator(): unknown;
}

type Row = 'no token' | 'expired token' | "another room's token" | 'member acting as facilitator' | 'removed member reconnecting' | 'left member reconnecting' | 'hostile Origin';
const rows: Row[] = ['no token', 'expired token', "another room's token", 'member acting as facilitator', 'removed member reconnecting', 'left member reconnecting', 'hostile Origin'];

const isRefusal = (answer: unknown): answer is { ok: false; code: string } =>
  typeof answer === 'object' && answer !== null && (answer as { ok?: unknown }).ok === false && knownCodes.has(String((answer as { code?: unknown }).code));

/**
 * Batch media requests answer for each id: one where every requested id comes back `missing`
 * (and nothing else) did nothing, and counts as a refusal.
 */
function asRefusal(answer: unknown, payload: unknown): unknown {
  const requested = Object.values((payload ?? {}) as Record<string, unknown>).find((value): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string'));
  const { ok, missing, consumers } = (answer ?? {}) as { ok?: unknown; missing?: unknown; consumers?: unknown[] };
  if (ok !== true || !requested || !Array.isArray(missing)) return answer;
  const allMissing = requested.every((id) => missing.includes(id)) && (consumers === undefined || consumers.length === 0);
  return allMissing ? { ok: false, code: 'NOT_FOUND', message: 'every requested id reported missing' } : answer;
}

describe('authorisation matrix: every event against every way in that must not work', () => {
  let server: HoldspaceProcess;
  let roomA: SeatedRoom;
  let roomB: SeatedRoom;
  let facilitatorA: RoomSocket;
  let mallory: RoomSocket;
  let facilitatorMedia: MediaHoldings;
  let malloryMedia: Omit<MediaHoldings, 'consumerId'>;
  let baselineA: string;
  let events: MatrixEvent[];
  const cells = new Map<Row, { rejected: number; total: number; attempts: number; codes: Map<string, number> }>();

  beforeAll(async () => {
    server = await startHoldspaceProcess({
      env: {
        PUBLIC_URL: SITE,
        MEDIA_ENABLED: 'true',
        MEDIA_PORT: '0',
        MEDIA_WORKERS: '1',
        MEDIA_LOG_LEVEL: 'warn',
        ENTRY_PER_MINUTE: '100000',
        // A socket per event on one facilitator session, to see each expire.
        SOCKETS_PER_PARTICIPANT: '1000',
        EVENTS_PER_SECOND: '1000',
        EVENT_BURST: '5000',
        // Long, so that an expired session is refused by the event itself, not rescued by the periodic re-check.
        SESSION_RECHECK_SECONDS: '300',
      },
    });
    roomA = await seatedRoom(server, ['Ana', 'Mallory', 'Rex', 'Lee'], 'Room A');
    roomB = await seatedRoom(server, ['Bo'], 'Room B');
    facilitatorA = await openSocket(server.url, { protocol: PROTOCOL_VERSION, token: roomA.facilitatorToken });
    // Mallory says she is the facilitator in every way the handshake lets her; the server must not listen.
    const facilitatorId = claimsOf(roomA.facilitatorToken).sub;
    mallory = await openSocket(server.url, { protocol: PROTOCOL_VERSION, token: roomA.members[1]!.token, role: 'facilitator', sub: facilitatorId, participantId: facilitatorId });

    const [facilitatorMic, malloryMic] = await Promise.all([publishMicrophone(facilitatorA, 1_111), publishMicrophone(mallory, 2_222)]);
    malloryMedia = malloryMic;
    facilitatorMedia = { ...facilitatorMic, consumerId: await consume(facilitatorA, malloryMic.micProducerId) };

    expect(await roomA.facilitator.send({ type: 'feedback.open', question: 'What did you notice?', answer: 'text', audience: 'facilitator', k: 3 })).toMatchObject({ ok: true });
    const rex = roomA.members[2]!;
    expect(await roomA.facilitator.send({ type: 'remove', memberId: rex.id })).toMatchObject({ ok: true });
    // Lee leaves on purpose; her session ends with it.
    const lee = roomA.members[3]!;
    void lee.connection.send({ type: 'leave' });
    await until(lee.connection, (s) => s.farewell?.code === 'LEFT');
    await until(roomA.members[0]!.connection, (s) => s.group?.seats.length === 3 && s.group.feedback.open !== null);
    baselineA = (await snapshotThrough(facilitatorA)).text;

    const promptId = roomA.facilitator.snapshot.group!.feedback.open!.id;
    const samples = () => sampleCommands({ member: roomA.members[0]!.id, other: roomA.members[1]!.id, prompt: promptId });
    const facilitatorValues = mediaFieldValues(facilitatorMedia);
    events = [
      ...commandTypes.map((type) => ({
        name: `command ${type}`,
        payload: () => ({ ...samples()[type], id: commandId() }),
        asFacilitator: () => (facilitatorCommandTypes.has(type) ? { ...samples()[type], id: commandId() } : { ...samples()[type], id: commandId(), by: facilitatorId, role: 'facilitator' }),
      })),
      { name: 'sync', payload: () => ({}), asFacilitator: () => ({ as: facilitatorId, role: 'facilitator' }) },
      ...mediaRequestNames.map((name: MediaRequestName) => ({
        name,
        payload: () => mediaRequestFor(name, facilitatorValues),
        asFacilitator: () => {
          const payload = mediaRequestFor(name, facilitatorValues);
          // Someone else's transport, producer or consumer; where a request names none of theirs (consuming
          // another's producer is what consume is for), a claim to be them.
          const owned = name === 'media.consume' ? [] : resourceFields;
          return Object.keys(payload).some((field) => owned.includes(field)) ? payload : { ...payload, participantId: facilitatorId };
        },
      })),
    ];
  }, 60_000);

  afterAll(async () => {
    facilitatorA?.close();
    mallory?.close();
    await server?.stop();
  });

  const eventName = (event: MatrixEvent) => (event.name.startsWith('command ') ? 'command' : event.name);

  function tally(row: Row, attempts: { what: string; outcome: RawAttempt | { answered: unknown } | { refused: string } }[]): void {
    const cell = cells.get(row) ?? { rejected: 0, total: 0, attempts: 0, codes: new Map<string, number>() };
    let rejected = true;
    for (const { what, outcome } of attempts) {
      cell.attempts++;
      const code = 'refused' in outcome ? outcome.refused : isRefusal(outcome.answered) ? outcome.answered.code : `accepted: ${JSON.stringify(outcome.answered)?.slice(0, 120)}`;
      const key = code.startsWith('transport') ? 'handshake refused (transport)' : code;
      cell.codes.set(key, (cell.codes.get(key) ?? 0) + 1);
      const refusedHere = 'refused' in outcome ? !('answeredAfter' in outcome) || outcome.answeredAfter === null : isRefusal(outcome.answered);
      expect(refusedHere, `${row} / ${what}: ${code}`).toBe(true);
      rejected &&= refusedHere;
    }
    cell.total++;
    if (rejected) cell.rejected++;
    cells.set(row, cell);
  }

  async function roomAUnchanged(where: string) {
    expect((await snapshotThrough(facilitatorA)).text, `${where}: room A changed`).toBe(baselineA);
    // The facilitator's media is still theirs and still there.
    expect(await ask(facilitatorA, 'media.producer.pause', { producerId: facilitatorMedia.micProducerId }), where).toMatchObject({ ok: true });
  }

  it('refuses every event without a session', { timeout: 60_000 }, async () => {
    const invite = new URL(roomA.inviteUrl).hash.slice(1);
    for (const event of events) {
      const attempts = [];
      for (const [label, auth] of [
        ['no auth', {}],
        ['protocol only', { protocol: PROTOCOL_VERSION }],
        ['empty token', { protocol: PROTOCOL_VERSION, token: '' }],
        ['an invite instead of a session', { protocol: PROTOCOL_VERSION, token: invite }],
      ] as const) {
        attempts.push({ what: `${event.name} with ${label}`, outcome: await rawAttempt(server.url, auth, eventName(event), event.payload()) });
      }
      tally('no token', attempts);
    }
    await roomAUnchanged('no token');
  });

  it('refuses every event on an expired session, at the handshake and on a socket opened before it expired', { timeout: 60_000 }, async () => {
    const facilitator = claimsOf(roomA.facilitatorToken);
    const claims = { room: facilitator.room, sub: facilitator.sub, role: facilitator.role };
    const expiring = await Promise.all(events.map(() => openSocket(server.url, { protocol: PROTOCOL_VERSION, token: shortSession(server.sessionSecret, claims, 2_500) })));
    await new Promise((resolve) => setTimeout(resolve, 2_800));
    for (const [index, event] of events.entries()) {
      const socket = expiring[index]!;
      const answer = socket.connected ? await ask(socket, eventName(event), event.payload(), 3_000) : null;
      // Refused with a code, or the socket was already shown out: both mean the event did nothing.
      const late: { answered: unknown } | { refused: string } = answer === null || (answer === 'no answer' && !socket.connected) ? { refused: 'disconnected' } : { answered: answer };
      tally('expired token', [
        { what: `${event.name} with an expired facilitator session`, outcome: await rawAttempt(server.url, { protocol: PROTOCOL_VERSION, token: expiredSession(server.sessionSecret, claims) }, eventName(event), event.payload()) },
        { what: `${event.name} on a facilitator socket whose session expired while open`, outcome: late },
      ]);
      socket.close();
    }
    await roomAUnchanged('expired token');
  });

  it("refuses every event on another room's session bent towards this room", { timeout: 60_000 }, async () => {
    const facilitatorIdA = claimsOf(roomA.facilitatorToken).sub;
    for (const event of events) {
      tally("another room's token", [
        {
          what: `${event.name} with room B's facilitator session rewritten for room A`,
          outcome: await rawAttempt(server.url, { protocol: PROTOCOL_VERSION, token: rebound(roomB.facilitatorToken, { room: roomA.roomId, sub: facilitatorIdA }) }, eventName(event), event.payload()),
        },
        {
          what: `${event.name} with a session for room A signed by another server`,
          outcome: await rawAttempt(server.url, { protocol: PROTOCOL_VERSION, token: foreignSession({ room: roomA.roomId, sub: facilitatorIdA, role: 'facilitator' }) }, eventName(event), event.payload()),
        },
      ]);
    }
    await roomAUnchanged("another room's token");
  });

  it('refuses every event from a member acting as the facilitator', { timeout: 60_000 }, async () => {
    const malloryToken = roomA.members[1]!.token;
    const facilitatorId = claimsOf(roomA.facilitatorToken).sub;
    for (const event of events) {
      const worded = event.asFacilitator();
      const attempts: Parameters<typeof tally>[1] = [
        {
          what: `${event.name} with Mallory's session claiming the facilitator's id and role`,
          outcome: await rawAttempt(server.url, { protocol: PROTOCOL_VERSION, token: rebound(malloryToken, { sub: facilitatorId, role: 'facilitator' }) }, eventName(event), event.payload()),
        },
        {
          what: `${event.name} with Mallory's session claiming the facilitator's role`,
          outcome: await rawAttempt(server.url, { protocol: PROTOCOL_VERSION, token: rebound(malloryToken, { role: 'facilitator' }) }, eventName(event), event.payload()),
        },
        { what: `${event.name} on Mallory's own socket, worded as the facilitator`, outcome: { answered: asRefusal(await ask(mallory, eventName(event), worded), worded) } },
      ];
      if (event.name === 'media.produce') {
        // On her own transport, the one source that is the facilitator's alone.
        const screen = mediaRequestFor('media.produce', { ...mediaFieldValues({ ...malloryMedia, consumerId: null }, 7_777), kind: 'video', source: 'screen' });
        attempts.push({ what: 'media.produce of a screen on her own transport', outcome: { answered: await ask(mallory, 'media.produce', screen) } });
      }
      tally('member acting as facilitator', attempts);
    }
    await roomAUnchanged('member acting as facilitator');
  });

  it('refuses every event from a removed member coming back', { timeout: 60_000 }, async () => {
    const rex = roomA.members[2]!;
    expect(await handshake(server.url, { protocol: PROTOCOL_VERSION, token: rex.token })).toEqual({ refused: 'REMOVED' });
    for (const event of events) {
      tally('removed member reconnecting', [{ what: `${event.name} with the removed member's session`, outcome: await rawAttempt(server.url, { protocol: PROTOCOL_VERSION, token: rex.token }, eventName(event), event.payload()) }]);
    }
    await roomAUnchanged('removed member reconnecting');
  });

  it('refuses every event from a member who left, coming back with the same session', { timeout: 60_000 }, async () => {
    const lee = roomA.members[3]!;
    expect(await handshake(server.url, { protocol: PROTOCOL_VERSION, token: lee.token })).toEqual({ refused: 'LEFT' });
    for (const event of events) {
      tally('left member reconnecting', [{ what: `${event.name} with the session of a member who left`, outcome: await rawAttempt(server.url, { protocol: PROTOCOL_VERSION, token: lee.token }, eventName(event), event.payload()) }]);
    }
    await roomAUnchanged('left member reconnecting');
  });

  it('refuses every event from a page on another origin, even with a valid facilitator session', { timeout: 60_000 }, async () => {
    const auth = { protocol: PROTOCOL_VERSION, token: roomA.facilitatorToken };
    // The control: the configured origin itself gets in, so the refusals below are about the origin.
    const control = await rawAttempt(server.url, auth, 'sync', {}, SITE);
    expect(control).toMatchObject({ answered: { ok: true } });
    for (const event of events) {
      const attempts: Parameters<typeof tally>[1] = [];
      for (const origin of hostileOrigins) attempts.push({ what: `${event.name} from ${origin}`, outcome: await rawAttempt(server.url, auth, eventName(event), event.payload(), origin) });
      const polling = await handshake(server.url, auth, { transports: ['polling'], origin: hostileOrigins[0] });
      if ('connected' in polling) polling.connected.close();
      attempts.push({ what: `${event.name} over long-polling from ${hostileOrigins[0]}`, outcome: 'refused' in polling ? polling : { answered: 'connected' } });
      tally('hostile Origin', attempts);
    }
    await roomAUnchanged('hostile Origin');
  });

  it('keeps rooms apart: room B’s facilitator aiming every event at room A changes nothing in room A', { timeout: 60_000 }, async () => {
    const other = await openSocket(server.url, { protocol: PROTOCOL_VERSION, token: roomB.facilitatorToken, room: roomA.roomId });
    let refused = 0;
    let appliedInB = 0;
    for (const event of events) {
      const answer = await ask(other, eventName(event), event.payload());
      if (isRefusal(answer)) refused++;
      else {
        appliedInB++;
        expect(JSON.stringify(answer), `${event.name} answered with something of room A`).not.toContain(roomA.roomId);
      }
    }
    const seen = (await snapshotThrough(other)).ack;
    expect(seen.ok && seen.group?.roomId).toBe(roomB.roomId);
    other.close();
    await roomAUnchanged('isolation');
    console.log(`authorization isolation: room B's facilitator aimed ${events.length} events at room A: ${refused} refused with a code, ${appliedInB} acted on room B only; room A unchanged`);
  });

  it('counts the matrix: every cell rejected', () => {
    let total = 0;
    let rejected = 0;
    let attempts = 0;
    const lines: string[] = [];
    for (const row of rows) {
      const cell = cells.get(row);
      expect(cell, `row ${row} did not run`).toBeDefined();
      expect(cell!.total).toBe(events.length);
      expect(cell!.rejected, row).toBe(cell!.total);
      total += cell!.total;
      rejected += cell!.rejected;
      attempts += cell!.attempts;
      lines.push(`${row}: ${cell!.rejected}/${cell!.total} cells, ${cell!.attempts} attempts ${JSON.stringify(Object.fromEntries(cell!.codes))}`);
    }
    console.log(
      `authorization matrix: ${events.length} events (${commandTypes.length} commands, sync, ${mediaRequestNames.length} media) x ${rows.length} ways in = ${total} cells, ${rejected} rejected, ${total - rejected} accepted; ${attempts} attempts\n  ${lines.join('\n  ')}`,
    );
  });
});
