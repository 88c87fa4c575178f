import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { displayNameSchema, idSchema, limits, textSchema } from '../../shared/protocol/commands.js';
import { reject, type ErrorCode } from '../../shared/protocol/errors.js';
import type { TokenSigner } from '../access/tokens.js';
import type { Logger } from '../logger.js';
import { entryLimiter } from '../realtime/limits.js';
import { inviteGeneration } from '../../shared/session/admission.js';
import type { RoomDirectory, RoomHandle } from '../rooms/room-directory.js';
import { newId } from '../rooms/rooms.js';
import { StoreUnavailable } from '../store/room-store.js';

export interface ApiOptions {
  rooms: RoomDirectory;
  signer: TokenSigner;
  logger: Logger;
  facilitatorKey: string;
  publicUrl: () => string;
  inviteTtlMs: number;
  sessionTtlMs: number;
  /** Joins and invite checks per address and minute. */
  entryPerMinute: number;
}

const createRoomBody = z.strictObject({ title: textSchema(limits.titleLength), facilitatorName: displayNameSchema.default('Facilitator') });
const inviteBody = z.strictObject({ invite: z.string().max(2048) });
const joinBody = z.strictObject({ invite: z.string().max(2048), name: z.string().max(limits.nameLength * 4) });
const roomParams = z.strictObject({ roomId: idSchema });

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
  STORE_UNAVAILABLE: 503,
};

class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
  ) {
    super(code);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError('INVALID', issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : undefined);
  }
  return parsed.data;
}

const asyncRoute = (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) =>
  handler(req, res).catch(next);

/** The HTTP API: the facilitator creates rooms and invites; members exchange an invite for a session. */
export function createApi(options: ApiOptions): express.Router {
  const { rooms, signer, facilitatorKey } = options;
  const api = express.Router();
  api.use(express.json({ limit: '8kb', strict: true }));
  const entries = entryLimiter(options.entryPerMinute);
  const limitEntry = async (req: Request) => {
    await entries.consume(req.ip ?? 'unknown').catch(() => {
      throw new ApiError('RATE_LIMITED');
    });
  };

  const expectedKey = Buffer.from(`Bearer ${facilitatorKey}`);
  const requireFacilitatorKey = (req: Request) => {
    const given = Buffer.from(req.get('authorization') ?? '');
    if (given.length !== expectedKey.length || !timingSafeEqual(given, expectedKey)) throw new ApiError('UNAUTHENTICATED');
  };
  const inviteUrl = (room: RoomHandle) => `${options.publicUrl()}/join#${signer.invite(room.id, inviteGeneration(room.state), options.inviteTtlMs)}`;
  /** The room an invite opens, or why it opens none. */
  const invitedRoom = async (invite: string) => {
    const claims = signer.readInvite(invite);
    const actor = claims && (await rooms.get(claims.room));
    if (!claims || !actor) throw new ApiError('UNAUTHENTICATED', 'this invite link is not valid or has expired');
    if ((claims.gen ?? 0) !== inviteGeneration(actor.state)) throw new ApiError('INVITE_REPLACED');
    return { claims, actor };
  };
  const facilitatorSession = (roomId: string, facilitatorId: string) =>
    signer.session({ room: roomId, sub: facilitatorId, role: 'facilitator' }, options.sessionTtlMs);

  api.post(
    '/rooms',
    asyncRoute(async (req, res) => {
      requireFacilitatorKey(req);
      const body = parse(createRoomBody, req.body ?? {});
      const actor = await rooms.create(body.title, body.facilitatorName);
      res.status(201).json({ roomId: actor.id, token: facilitatorSession(actor.id, actor.state.facilitatorId), inviteUrl: inviteUrl(actor) });
    }),
  );

  api.get(
    '/rooms',
    asyncRoute(async (req, res) => {
      requireFacilitatorKey(req);
      res.json({ rooms: await rooms.list() });
    }),
  );

  /** The facilitator comes back to a room (new tab, restart): a fresh session and invite link. */
  api.post(
    '/rooms/:roomId/facilitate',
    asyncRoute(async (req, res) => {
      requireFacilitatorKey(req);
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
      requireFacilitatorKey(req);
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
      await limitEntry(req);
      const { invite } = parse(inviteBody, req.body ?? {});
      const { claims, actor } = await invitedRoom(invite);
      res.json({ roomTitle: actor.state.title, expiresAt: claims.exp });
    }),
  );

  api.post(
    '/join',
    asyncRoute(async (req, res) => {
      await limitEntry(req);
      const body = parse(joinBody, req.body ?? {});
      const name = displayNameSchema.safeParse(body.name);
      if (!name.success) throw new ApiError('NAME_NOT_ALLOWED', name.error.issues[0]?.message);
      const { claims, actor } = await invitedRoom(body.invite);
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
    const known =
      error instanceof ApiError
        ? error
        : error instanceof StoreUnavailable
          ? new ApiError('STORE_UNAVAILABLE')
          : isBodyError(error)
            ? new ApiError('INVALID', 'the request body is not valid JSON or is too large')
            : null;
    if (!known) options.logger.error({ err: error }, 'api request failed');
    const answer = known ?? new ApiError('INTERNAL');
    res.status(status[answer.code] ?? 500).json(reject(answer.code, answer.detail));
  });
  return api;
}

const isBodyError = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'type' in error && ['entity.parse.failed', 'entity.too.large', 'encoding.unsupported', 'charset.unsupported'].includes(String(error.type));
