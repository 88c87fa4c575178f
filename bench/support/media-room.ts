// A Holdspace room for the media benchmarks: created through the HTTP API, its facilitator on a
// raw Socket.IO socket in this process, members joined and admitted; their browsers connect later
// with the tokens.
import { PROTOCOL_VERSION } from '../../shared/protocol/commands.js';
import { benchCommandId, connect, post, type RawSocket } from './room-clients.js';

export interface MediaRoom {
  roomId: string;
  facilitator: RawSocket;
  facilitatorToken: string;
  inviteUrl: string;
  members: { id: string; token: string }[];
  /** Send a facilitator command; fails unless the server agreed. */
  command(command: Record<string, unknown>): Promise<{ ok: true; version: number }>;
  /** Join and admit one more member. */
  addMember(name: string): Promise<{ id: string; token: string }>;
  close(): void;
}

export const memberAuth = (token: string) => ({ protocol: PROTOCOL_VERSION, token });

export async function openMediaRoom(url: string, facilitatorKey: string, memberCount: number): Promise<MediaRoom> {
  const created = await post(`${url}/api/rooms`, { title: 'Bench group', facilitatorName: 'Facilitator' }, facilitatorKey);
  const facilitator = await connect(url, memberAuth(created.token!));
  const invite = new URL(created.inviteUrl!).hash.slice(1);
  const command = async (body: Record<string, unknown>) => {
    const ack = await facilitator.timeout(10_000).emitWithAck('command', { id: benchCommandId(), ...body });
    if (!ack.ok) throw new Error(`${String(body.type)}: ${ack.code} ${ack.message ?? ''}`);
    return ack as { ok: true; version: number };
  };
  const room: MediaRoom = {
    roomId: created.roomId!,
    facilitator,
    facilitatorToken: created.token!,
    inviteUrl: created.inviteUrl!,
    members: [],
    command,
    addMember: async (name) => {
      const joined = await post(`${url}/api/join`, { invite, name });
      await command({ type: 'admit', memberId: joined.memberId });
      const member = { id: joined.memberId!, token: joined.token! };
      room.members.push(member);
      return member;
    },
    close: () => facilitator.close(),
  };
  for (let i = 0; i < memberCount; i++) await room.addMember(`Member ${i + 1}`);
  return room;
}
