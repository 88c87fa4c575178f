import express from 'express';
import { z } from 'zod';
import { clientCommandSchema, idSchema } from '../../shared/protocol/commands.js';
import type { TokenSigner } from '../access/tokens.js';
import { attemptLimiter } from '../realtime/limits.js';
import type { RoomDirectory } from '../rooms/room-directory.js';
import { newId } from '../rooms/room-factory.js';
import { ApiError, asyncRoute, parse } from './api.js';

const roomParams = z.object({ roomId: idSchema });
const imageParams = z.object({ roomId: idSchema, handoutId: idSchema });

/**
 * A picture handout is too big for a socket message (64 KB): the facilitator sends it here with
 * their session, and participants fetch its bytes here by id. The bytes are never logged.
 */
export function createHandoutApi(options: { rooms: RoomDirectory; signer: TokenSigner }): express.Router {
  const { rooms, signer } = options;
  const handouts = express.Router({ mergeParams: true });
  // Base64 of the largest picture, and a little for the rest of the command.
  handouts.use(express.json({ limit: '420kb', strict: true }));
  // Pictures are heavy to store with the room: a few a minute per session is plenty for a facilitator.
  const pictures = attemptLimiter('handout-pictures', 10);

  const session = (authorization: string | undefined, roomId: string) => {
    const claims = signer.readSession(authorization?.replace(/^Bearer /, ''));
    if (!claims || claims.room !== roomId) throw new ApiError('UNAUTHENTICATED', 'this session is not valid for this room');
    return claims;
  };

  handouts.post(
    '/',
    asyncRoute(async (req, res) => {
      const { roomId } = parse(roomParams, req.params);
      const claims = session(req.get('authorization'), roomId);
      await pictures.consume(`${roomId}:${claims.sub}`).catch(() => {
        throw new ApiError('RATE_LIMITED');
      });
      const actor = await rooms.get(roomId);
      if (!actor) throw new ApiError('NOT_FOUND');
      const body = parse(z.object({ handout: z.unknown() }), req.body ?? {});
      const command = parse(clientCommandSchema, { id: newId(), type: 'handout.show', handout: body.handout });
      const ack = await actor.dispatch({ role: claims.role, id: claims.sub }, command);
      if (!ack.ok) throw new ApiError(ack.code, ack.detail);
      res.status(201).json({ version: ack.version });
    }),
  );

  handouts.get(
    '/:handoutId',
    asyncRoute(async (req, res) => {
      const { roomId, handoutId } = parse(imageParams, req.params);
      const claims = session(req.get('authorization'), roomId);
      const actor = await rooms.get(roomId);
      const person = actor?.state.participants[claims.sub];
      if (!actor || !person || person.status !== 'admitted') throw new ApiError('FORBIDDEN');
      const handout = actor.state.handout;
      if (!handout || handout.id !== handoutId || handout.kind !== 'image') throw new ApiError('NOT_FOUND', 'that handout is not shown now');
      res.set({ 'Content-Type': handout.mime, 'X-Content-Type-Options': 'nosniff', 'Content-Disposition': 'inline' });
      res.send(Buffer.from(handout.data, 'base64'));
    }),
  );
  return handouts;
}
