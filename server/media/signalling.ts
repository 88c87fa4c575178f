import type { Socket } from 'socket.io';
import { reject } from '../../shared/protocol/errors.js';
import { mediaRequestNames, mediaRequestSchemas, type MediaAnswer, type MediaRequestName, type MediaServerToClientEvents } from '../../shared/protocol/media.js';
import { personChannel, roomChannel, type HoldspaceServer, type HoldspaceSocket, type SocketExtension } from '../realtime/gateway.js';
import type { MediaCall, MediaDelivery, MediaHangUp, MediaReply } from './media-connections.js';
import type { Sfu } from './sfu.js';

type MediaServer = { to(channel: string): { emit<E extends keyof MediaServerToClientEvents>(event: E, ...args: Parameters<MediaServerToClientEvents[E]>): boolean } };
type MediaEmitter = { emit<E extends keyof MediaServerToClientEvents>(event: E, ...args: Parameters<MediaServerToClientEvents[E]>): boolean };

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
    attach: (holdspaceSocket: HoldspaceSocket) => {
      const socket = holdspaceSocket as unknown as Socket;
      const { roomId, participantId, role } = holdspaceSocket.data;
      for (const name of mediaRequestNames) {
        socket.on(name, (payload: unknown, ack: unknown) => {
          if (typeof ack !== 'function') return;
          const answer = ack as (answer: MediaAnswer<MediaRequestName>) => void;
          const parsed = mediaRequestSchemas[name].safeParse(payload ?? {});
          if (!parsed.success) return answer(reject('INVALID', describe(parsed.error.issues[0])));
          const call = { roomId, connectionId: socket.id, participantId, role, origin: nodeId, name, request: parsed.data } as MediaCall;
          void desk.answer(call).then(answer);
        });
      }
      // A reconnecting browser starts its media over, so nothing of this connection outlives it.
      socket.on('disconnect', () => desk.hangUp({ roomId, connectionId: socket.id }));
    },
  };
}

/**
 * Unasked media events, to one connection (through the Socket.IO adapter when its socket is on
 * another node) and to rooms: who is speaking, the facilitator's heard airtime, and word that a
 * room's media started over (a new router after a node took the room over) so everyone joins it.
 */
export function mediaDelivery(sfu: Sfu, io: HoldspaceServer): MediaDelivery {
  const server = io as unknown as MediaServer;
  sfu.onRoom((room) => {
    room.on('speaking', (speaking) => server.to(roomChannel(room.roomId)).emit('media.speaking', { speaking }));
    room.on('heard', (heardMs) => server.to(personChannel(room.facilitatorId)).emit('media.heard', { heardMs }));
    server.to(roomChannel(room.roomId)).emit('media.reset', { reason: 'moved' });
  });
  return (connectionId, event, ...args) => {
    const local = io.of('/').sockets.get(connectionId) as unknown as MediaEmitter | undefined;
    if (local) local.emit(event, ...args);
    else server.to(connectionId).emit(event, ...args);
  };
}

function describe(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'invalid payload';
  const where = issue.path.map(String).join('.');
  return (where ? `${where}: ${issue.message}` : issue.message).slice(0, 200);
}
