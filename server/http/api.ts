import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { displayNameSchema, idSchema, limits, textSchema } from '../../shared/protocol/commands.js';
import { reject, type ErrorCode } from '../../shared/protocol/errors.js';
import type { TokenSigner } from '../access/tokens.js';
import type { Logger } from '../logger.js';
import type { Tally } from '../operations/metrics.js';
import { attemptLimiter, FailureBudget } from '../realtime/limits.js';
import { inviteGeneration } from '../../shared/session/admission.js';
import type { RoomDirectory, RoomHandle } from '../rooms/room-directory.js';
import { newId } from '../rooms/room-factory.js';
import { StoreUnavailable, type RoomSummary } from '../store/room-store.js';
import { RecordsRefusal, type GroupRecords } from '../records/group-records.js';
import { createGroupsApi, createMemberApi } from './groups-api.js';
import { createHandoutApi } from './handout-api.js';
import { EntryRefused, NoSessionRunning, type GroupSessions } from '../groups/group-sessions.js';

export interface ApiOptions {
  rooms: RoomDirectory;
  signer: TokenSigner;
  logger: Logger;
  facilitatorKey: string;
  publicUrl: () => string;
  inviteTtlMs: number;
  sessionTtlMs: number;
  /** Failed joins, invite checks and facilitator keys per address and minute. */
  entryPerMinute: number;
  /** Rooms not yet ended that may exist at once. */
  maxRooms: number;
  /** True once the server is shutting down: new rooms are refused DRAINING. */
  draining: () => boolean;
  /** Where refusals are counted for the operator. */
  tally?: Tally;
  /** Standing groups' records; without them /api/groups and /api/me do not exist. */
  records?: GroupRecords | null;
  /** Standing groups meeting in the live room; present with the records. */
  groupSessions?: GroupSessions | null;
}

const createRoomBody = z.strictObject({ title: textSchema(limits.titleLength), facilitatorName: displayNameSchema.default('Facilitator') });
const inviteBody = z.strictObject({ invite: z.string().max(2048) });
const joinBody = z.strictObject({ invite: z.string().max(2048), name: z.string().max(limits.nameLength * 4) });
const roomParams = z.strictObject({ roomId: idSchema });
const roomPage = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  /** The `next` of the page before: the last room it listed, as `createdAt.id`. */
  after: z.string().regex(/^\d{1,16}\.[A-Za-z0-9_-]{1,64}$/).optional(),
});

const status: Partial<Record<ErrorCode, number>> = {
  INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  WAITING_ROOM_FULL: 429,
  NAME_TAKEN: 409,
  NAME_NOT_ALLOWED: 422,
  INVITE_REPLACED: 410,
  RATE_LIMITED: 429,
  SESSION_ENDED: 410,
  ROOM_FULL: 409,
  ROOM_LIMIT: 409,
  STORE_UNAVAILABLE: 503,
  DRAINING: 503,
  GROUP_FULL: 409,
  GROUP_CLOSED: 409,
  SESSION_RUNNING: 409,
  MEMBER_LINK_INVALID: 401,
  NO_SESSION_RUNNING: 409,
  REMOVED: 403,
  NOT_A_GROUP_SESSION: 409,
};

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
  ) {
    super(code);
  }
}

const describeIssue = (issue: z.core.$ZodIssue | undefined) => (issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : undefined);

export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError('INVALID', describeIssue(parsed.error.issues[0]));
  return parsed.data;
}

export const asyncRoute = (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) =>
  handler(req, res).catch(next);

/** The HTTP API: the facilitator creates rooms and invites; members exchange an invite for a session. */
export function createApi(options: ApiOptions): express.Router {
  const { rooms, signer, facilitatorKey } = options;
  const api = express.Router();
  // Tokens are handed out here: no cache along the way may keep a copy.
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // Bad invites spend their address's budget; good ones their room's, generous enough for a whole group arriving at once.
  const entryFailures = new FailureBudget('entry-failures', options.entryPerMinute);
  const invitesPerRoom = attemptLimiter('invites', options.entryPerMinute * 4);
  const readInvite = async <T extends { invite: string }>(req: Request, schema: z.ZodType<T>) => {
    const failed = async (error: ApiError) => {
      throw (await entryFailures.fail(req.ip ?? 'unknown')) === 'over' ? new ApiError('RATE_LIMITED') : error;
    };
    const parsed = schema.safeParse(req.body ?? {});
    if (!parsed.success) return failed(new ApiError('INVALID', describeIssue(parsed.error.issues[0])));
    const body = parsed.data;
    const claims = signer.readInvite(body.invite);
    const actor = claims && (await rooms.get(claims.room));
    if (!claims || !actor) return failed(new ApiError('UNAUTHENTICATED', 'this invite link is not valid or has expired'));
    if ((claims.gen ?? 0) !== inviteGeneration(actor.state)) return failed(new ApiError('INVITE_REPLACED'));
    await invitesPerRoom.consume(actor.id).catch(() => {
      throw new ApiError('RATE_LIMITED');
    });
    return { body, claims, actor };
  };

  // Wrong keys are limited per address, checked before the key so a spent budget reveals nothing, and logged without the key.
  const keyFailures = new FailureBudget('facilitator-key-failures', options.entryPerMinute);
  const expectedKey = Buffer.from(`Bearer ${facilitatorKey}`);
  const requireFacilitatorKey = async (req: Request) => {
    const address = req.ip ?? 'unknown';
    if (await keyFailures.spent(address)) throw new ApiError('RATE_LIMITED');
    const given = Buffer.from(req.get('authorization') ?? '');
    if (given.length === expectedKey.length && timingSafeEqual(given, expectedKey)) return;
    const verdict = await keyFailures.fail(address);
    if (verdict === 'last') options.logger.warn({ ip: address, failures: options.entryPerMinute }, 'facilitator key refused too often; address refused for a minute');
    else if (verdict === 'counted') options.logger.warn({ ip: address, method: req.method, path: req.path }, 'facilitator key refused');
    throw new ApiError(verdict === 'over' ? 'RATE_LIMITED' : 'UNAUTHENTICATED');
  };
  if (options.records) {
    const groups = { records: options.records, sessions: options.groupSessions ?? null, draining: options.draining, requireFacilitatorKey, publicUrl: options.publicUrl, entryPerMinute: options.entryPerMinute };
    api.use('/groups', createGroupsApi(groups));
    api.use('/me', createMemberApi(groups));
  }
  api.use('/rooms/:roomId/handouts', createHandoutApi({ rooms, signer }));
  api.use(express.json({ limit: '8kb', strict: true }));
  // One room made at a time, so concurrent requests cannot all pass the cap.
  let creating: Promise<unknown> = Promise.resolve();
  const inviteUrl = (room: RoomHandle) => `${options.publicUrl()}/join#${signer.invite(room.id, inviteGeneration(room.state), options.inviteTtlMs)}`;
  const facilitatorSession = (roomId: string, facilitatorId: string) =>
    signer.session({ room: roomId, sub: facilitatorId, role: 'facilitator' }, options.sessionTtlMs);

  api.post(
    '/rooms',
    asyncRoute(async (req, res) => {
      await requireFacilitatorKey(req);
      const body = parse(createRoomBody, req.body ?? {});
      if (options.draining()) throw new ApiError('DRAINING');
      const made = creating.then(async () => {
        const open = (await rooms.list()).filter((room) => !room.ended).length;
        if (open >= options.maxRooms) throw new ApiError('ROOM_LIMIT', `at most ${options.maxRooms} rooms may be open at once`);
        return rooms.create(body.title, body.facilitatorName);
      });
      creating = made.catch(() => undefined);
      const actor = await made;
      res.status(201).json({ roomId: actor.id, token: facilitatorSession(actor.id, actor.state.facilitatorId), inviteUrl: inviteUrl(actor) });
    }),
  );

  api.get(
    '/rooms',
    asyncRoute(async (req, res) => {
      await requireFacilitatorKey(req);
      const page = parse(roomPage, req.query);
      // Newest first; the cursor is the last room of the page before.
      const cursor = (room: RoomSummary) => `${room.createdAt}.${room.id}`;
      const newestFirst = (a: RoomSummary, b: RoomSummary) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
      const sorted = (await rooms.list()).sort(newestFirst);
      const after = page.after;
      const start = after === undefined ? 0 : sorted.findIndex((room) => newestFirst(room, parseCursor(after)) > 0);
      const listed = start < 0 ? [] : sorted.slice(start, start + page.limit);
      const last = listed.at(-1);
      res.json({ rooms: listed, next: last && start + page.limit < sorted.length ? cursor(last) : null });
    }),
  );

  /** The facilitator comes back to a room (new tab, restart): a fresh session and invite link. */
  api.post(
    '/rooms/:roomId/facilitate',
    asyncRoute(async (req, res) => {
      await requireFacilitatorKey(req);
      const { roomId } = parse(roomParams, req.params);
      const actor = await rooms.get(roomId);
      if (!actor) throw new ApiError('NOT_FOUND');
      res.json({ roomId, token: facilitatorSession(roomId, actor.state.facilitatorId), inviteUrl: inviteUrl(actor) });
    }),
  );

  /** The facilitator replaces the room's invite link: every link given out before stops working. */
  api.post(
    '/rooms/:roomId/invite',
    asyncRoute(async (req, res) => {
      await requireFacilitatorKey(req);
      const { roomId } = parse(roomParams, req.params);
      const actor = await rooms.get(roomId);
      if (!actor) throw new ApiError('NOT_FOUND');
      const result = await actor.dispatch({ role: 'system' }, { type: 'invite.replace' });
      if (!result.ok) throw new ApiError(result.code);
      const replaced = await rooms.get(roomId);
      if (!replaced) throw new ApiError('NOT_FOUND');
      res.json({ roomId, inviteUrl: inviteUrl(replaced) });
    }),
  );

  api.post(
    '/invites/inspect',
    asyncRoute(async (req, res) => {
      const { claims, actor } = await readInvite(req, inviteBody);
      res.json({ roomTitle: actor.state.title, expiresAt: claims.exp });
    }),
  );

  api.post(
    '/join',
    asyncRoute(async (req, res) => {
      const { body, claims, actor } = await readInvite(req, joinBody);
      const name = displayNameSchema.safeParse(body.name);
      if (!name.success) throw new ApiError('NAME_NOT_ALLOWED', name.error.issues[0]?.message);
      const memberId = newId();
      const result = await actor.dispatch({ role: 'system' }, { type: 'join', memberId, name: name.data, invite: claims.gen ?? 0 });
      // The id is new to this request: if the room holds it, this join was applied (a forwarded
      // join that timed out and was tried again is refused as a duplicate the second time).
      if (!result.ok && !(await rooms.get(actor.id))?.state.participants[memberId]) throw new ApiError(result.code, result.detail);
      res.status(201).json({ roomId: actor.id, memberId, token: signer.session({ room: actor.id, sub: memberId, role: 'member' }, options.sessionTtlMs) });
    }),
  );

  api.use((_req, _res, next) => next(new ApiError('NOT_FOUND')));
  api.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof NoSessionRunning) {
      options.tally?.refused('NO_SESSION_RUNNING');
      res.status(409).json({ ...reject('NO_SESSION_RUNNING'), nextSessionAt: error.nextSessionAt?.toISOString() ?? null });
      return;
    }
    const known =
      error instanceof ApiError
        ? error
        : error instanceof StoreUnavailable
          ? new ApiError('STORE_UNAVAILABLE')
          : error instanceof RecordsRefusal || error instanceof EntryRefused
            ? new ApiError(error.code, error.detail)
            : isBodyError(error)
              ? new ApiError('INVALID', 'the request body is not valid JSON or is too large')
              : null;
    if (!known) options.logger.error({ err: error }, 'api request failed');
    const answer = known ?? new ApiError('INTERNAL');
    options.tally?.refused(answer.code);
    res.status(status[answer.code] ?? 500).json(reject(answer.code, answer.detail));
  });
  return api;
}

/** A cursor as a summary to compare against: only its createdAt and id matter. */
function parseCursor(cursor: string): RoomSummary {
  const dot = cursor.indexOf('.');
  return { createdAt: Number(cursor.slice(0, dot)), id: cursor.slice(dot + 1), title: '', ended: false };
}

const isBodyError = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'type' in error && ['entity.parse.failed', 'entity.too.large', 'encoding.unsupported', 'charset.unsupported'].includes(String(error.type));
