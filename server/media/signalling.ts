import { reject, type Rejection } from '../../shared/protocol/errors.js';
import { describeIssue } from '../../shared/protocol/issue.js';
import { mediaRequestNames, mediaRequestSchema, type MediaRequestName } from '../../shared/protocol/media.js';
import { personChannel, roomChannel, type HoldspaceServer, type HoldspaceSocket, type SocketExtension } from '../realtime/gateway.js';
import type { MediaCall, MediaCaller, MediaDelivery, MediaHangUp, MediaReply } from './media-connections.js';
import type { Sfu } from './sfu.js';

/** Where a connection's media requests are answered: in this process, or on the node running the room. */
export interface MediaDesk {
  answer(call: MediaCall): Promise<MediaReply>;
  hangUp(hangUp: MediaHangUp): void;
}

/**
 * Media signalling at the edge of each authenticated socket: every request parsed with its
 * schema, stamped with the socket's own identity (so it can touch only this connection's media)
 * and answered through its acknowledgement by the desk that serves the room.
 */
export function mediaSignalling(desk: MediaDesk, nodeId: string | null): SocketExtension {
  return {
    events: mediaRequestNames,
    attach: (socket: HoldspaceSocket) => {
      const { roomId, participantId, role } = socket.data;
      const caller: MediaCaller = { roomId, connectionId: socket.id, participantId, role, origin: nodeId };
      for (const name of mediaRequestNames) {
        socket.on(name, (payload: unknown, ack: unknown) => {
          // A client may leave out the acknowledgement: there is no one to answer then.
          if (!isAcknowledgement(ack)) return;
          const call = readMediaCall(caller, name, payload);
          if ('ok' in call) return ack(call);
          void desk.answer(call).then(ack);
        });
      }
      // A reconnecting browser starts its media over, so nothing of this connection outlives it.
      socket.on('disconnect', () => desk.hangUp({ roomId, connectionId: socket.id }));
    },
  };
}

/** A request as a socket sent it under `name`, parsed with that request's schema and stamped with who sent it; or why it is refused. */
export function readMediaCall(caller: MediaCaller, name: MediaRequestName, payload: unknown): MediaCall | Rejection {
  const parsed = mediaRequestSchema.safeParse({ name, request: payload ?? {} });
  if (parsed.success) return { ...caller, ...parsed.data };
  const issue = parsed.error.issues[0];
  // The browser sent the payload alone: name its fields as it sent them, without the envelope's `request`.
  return reject('INVALID', describeIssue(issue && { ...issue, path: issue.path.slice(1) }));
}

/**
 * Unasked media events, to one connection (through the Socket.IO adapter when its socket is on
 * another node) and to rooms: who is speaking, the facilitator's heard airtime, and word that a
 * room's media started over (a new router after a node took the room over) so everyone joins it.
 */
export function mediaDelivery(sfu: Sfu, io: HoldspaceServer): MediaDelivery {
  sfu.onRoom((room) => {
    room.on('speaking', (speaking) => io.to(roomChannel(room.roomId)).emit('media.speaking', { speaking }));
    room.on('heard', (heardMs) => io.to(room.facilitatorIds.map(personChannel)).emit('media.heard', { heardMs }));
    io.to(roomChannel(room.roomId)).emit('media.reset', { reason: 'moved' });
  });
  return (connectionId, event, ...args) => {
    const local = io.of('/').sockets.get(connectionId);
    if (local) local.emit(event, ...args);
    else io.to(connectionId).emit(event, ...args);
  };
}

/** Socket.IO hands the client's acknowledgement over as the last argument, if the client asked for one. */
const isAcknowledgement = (value: unknown): value is (answer: MediaReply) => void => typeof value === 'function';
