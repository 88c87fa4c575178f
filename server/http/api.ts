import express, { type NextFunction, type Request, type Response } from 'express';
import { ApiError, asyncRoute, describeIssue, parse } from './api-error.js';
import { z } from 'zod';
import { displayNameSchema, idSchema, limits, textSchema } from '../../shared/protocol/commands.js';
import { reject, type ErrorCode, type Rejection } from '../../shared/protocol/errors.js';
import type { TokenSigner } from '../access/tokens.js';
import type { Logger } from '../logger.js';
import type { Tally } from '../operations/metrics.js';
import { attemptLimiter, FailureBudget } from '../realtime/limits.js';
import { inviteGeneration } from '../../shared/session/admission.js';
import type { RoomDirectory, RoomHandle } from '../rooms/room-directory.js';
import { Leads, type LeadSession } from '../rooms/leads.js';
import { newId } from '../rooms/room-factory.js';
import { StoreUnavailable, type RoomSummary } from '../store/room-store.js';
import { RecordsRefusal, type GroupRecords } from '../records/group-records.js';
import { createGroupsApi, createMemberApi } from './groups-api.js';
import { groupAgendaSchema } from '../../shared/protocol/groups.js';
import { createAccountsApi, createAuditApi, type AccountsApiOptions } from './accounts-api.js';
import type { FacilitatorAccess, Principal } from './facilitator-access.js';
import { leadSeat } from '../accounts/facilitator-seat.js';
import { createHandoutApi } from './handout-api.js';
import { EntryRefused, NoSessionRunning, type GroupSessions } from '../groups/group-sessions.js';

export interface ApiOptions {
  rooms: RoomDirectory;
  signer: TokenSigner;
  logger: Logger;
  /** The facilitator's credential: the sign-in cookie, or the key without accounts. */
  access: FacilitatorAccess;
  /** Accounts with passkeys and the audit trail; present with the records. */
  accountsApi?: AccountsApiOptions | null;
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

/** `agenda`: the phases the room starts with (the console sends the default ones in the facilitator's language). */
const createRoomBody = z.strictObject({ title: textSchema(limits.titleLength), facilitatorName: displayNameSchema.default('Facilitator'), agenda: groupAgendaSchema.optional() });
const inviteBody = z.strictObject({ invite: z.string().max(2048) });
const joinBody = z.strictObject({ invite: z.string().max(2048), name: z.string().max(limits.nameLength * 4) });
const roomParams = z.strictObject({ roomId: idSchema });
/** Entering a room: nothing for its opener, the id of a lead coming back, or a name to join as a co-facilitator. */
const facilitateBody = z.union([z.strictObject({}), z.strictObject({ facilitatorId: idSchema }), z.strictObject({ name: displayNameSchema })]);
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
  SIGNED_OUT: 401,
  SIGN_IN_FAILED: 401,
  ACCOUNT_LINK_INVALID: 410,
};

export { ApiError, asyncRoute, parse } from './api-error.js';

/** The HTTP API: the facilitator creates rooms and invites; members exchange an invite for a session. */
export function createApi(options: ApiOptions): express.Router {
  const { rooms, signer } = options;
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

  const { access } = options;
  const byAccount = (principal: Principal) => (principal.kind === 'account' ? principal.account.id : undefined);
  const accounts = options.accountsApi?.accounts ?? null;
  /** The facilitator of a room: without accounts the key holder; with them the account that created it or leads its group. */
  const requireRoom = async (req: Request, roomId: string): Promise<Principal> => {
    const principal = await access.require(req);
    if (principal.kind === 'account' && !(await accounts!.mayFacilitate(principal.account.id, roomId))) throw new ApiError('NOT_FOUND');
    return principal;
  };
  if (options.accountsApi) {
    api.use('/accounts', createAccountsApi(options.accountsApi));
    api.use('/audit', createAuditApi(options.accountsApi));
  }
  if (options.records) {
    const groups = { records: options.records, sessions: options.groupSessions ?? null, draining: options.draining, access, accounts: accounts!, audit: options.accountsApi!.audit, publicUrl: options.publicUrl, entryPerMinute: options.entryPerMinute };
    api.use('/groups', createGroupsApi(groups));
    api.use('/me', createMemberApi(groups));
  }
  api.use('/rooms/:roomId/handouts', createHandoutApi({ rooms, signer }));
  api.use(express.json({ limit: '8kb', strict: true }));
  // One room made at a time, so concurrent requests cannot all pass the cap.
  let creating: Promise<unknown> = Promise.resolve();
  const inviteUrl = (room: RoomHandle) => `${options.publicUrl()}/join#${signer.invite(room.id, inviteGeneration(room.state), options.inviteTtlMs)}`;
  const leads = new Leads({ signer, sessionTtlMs: options.sessionTtlMs });
  const leadSession = (entered: LeadSession | Rejection): LeadSession => {
    if ('ok' in entered) throw new ApiError(entered.code, entered.detail);
    return entered;
  };

  api.post(
    '/rooms',
    asyncRoute(async (req, res) => {
      const principal = await access.require(req);
      const body = parse(createRoomBody, req.body ?? {});
      if (options.draining()) throw new ApiError('DRAINING');
      const made = creating.then(async () => {
        const open = (await rooms.list()).filter((room) => !room.ended).length;
        if (open >= options.maxRooms) throw new ApiError('ROOM_LIMIT', `at most ${options.maxRooms} rooms may be open at once`);
        const opener = principal.kind === 'account' ? { name: principal.account.name, id: leadSeat(principal.account.id) } : { name: body.facilitatorName };
        return rooms.create(body.title, opener, body.agenda ? { agenda: body.agenda } : undefined);
      });
      creating = made.catch(() => undefined);
      const actor = await made;
      if (principal.kind === 'account') {
        await accounts!.ownRoom(actor.id, principal.account.id);
        await options.accountsApi!.audit.record({ action: 'room.created', actor: principal.account.id, subject: actor.id });
      }
      res.status(201).json({ roomId: actor.id, ...leadSession(leads.session(actor, undefined, byAccount(principal))), inviteUrl: inviteUrl(actor) });
    }),
  );

  api.get(
    '/rooms',
    asyncRoute(async (req, res) => {
      const principal = await access.require(req);
      const page = parse(roomPage, req.query);
      // Newest first; the cursor is the last room of the page before.
      const cursor = (room: RoomSummary) => `${room.createdAt}.${room.id}`;
      const newestFirst = (a: RoomSummary, b: RoomSummary) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
      const mine = principal.kind === 'account' ? await accounts!.roomsOwnedBy(principal.account.id) : null;
      const sorted = (await rooms.list()).filter((room) => !mine || mine.has(room.id)).sort(newestFirst);
      const after = page.after;
      const start = after === undefined ? 0 : sorted.findIndex((room) => newestFirst(room, parseCursor(after)) > 0);
      const listed = start < 0 ? [] : sorted.slice(start, start + page.limit);
      const last = listed.at(-1);
      res.json({ rooms: listed, next: last && start + page.limit < sorted.length ? cursor(last) : null });
    }),
  );

  /**
   * A facilitator enters a room: its opener or a lead coming back (new tab, restart) gets a fresh
   * session, someone new with a name joins as a co-facilitator; both with the invite link.
   */
  api.post(
    '/rooms/:roomId/facilitate',
    asyncRoute(async (req, res) => {
      const { roomId } = parse(roomParams, req.params);
      const principal = await requireRoom(req, roomId);
      const body = parse(facilitateBody, req.body ?? {});
      const actor = await rooms.get(roomId);
      if (!actor) throw new ApiError('NOT_FOUND');
      const entered =
        principal.kind === 'account'
          ? await leads.admit(actor, { facilitatorId: leadSeat(principal.account.id), name: principal.account.name, by: principal.account.id })
          : 'name' in body
            ? await leads.admit(actor, { facilitatorId: newId(), name: body.name })
            : leads.session(actor, 'facilitatorId' in body ? body.facilitatorId : undefined);
      res.json({ roomId, ...leadSession(entered), inviteUrl: inviteUrl(actor) });
    }),
  );

  /** The facilitator replaces the room's invite link: every link given out before stops working. */
  api.post(
    '/rooms/:roomId/invite',
    asyncRoute(async (req, res) => {
      const { roomId } = parse(roomParams, req.params);
      await requireRoom(req, roomId);
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
