import type { RoomConnection } from '../../client/src/session/connection.js';
import type { MemberSession, StartedSession } from '../../shared/protocol/groups.js';
import { tuesdayGroup } from './records.js';

/** A standing group's API as a facilitator's and members' pages use it, against one server (or any node of several); the facilitator is signed in (their cookie). */
export function groupClient(url: () => string, facilitator: { headers: Record<string, string> }) {
  const call = async (method: string, path: string, body?: unknown, authorized = true) => {
    const response = await fetch(`${url()}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(authorized ? facilitator.headers : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, text, json: (text.startsWith('{') ? JSON.parse(text) : null) as Record<string, any> | null };
  };
  const ok = async (method: string, path: string, body?: unknown, authorized = true) => {
    const answer = await call(method, path, body, authorized);
    if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text}`);
    return answer.json!;
  };
  return {
    call,
    createGroup: async (change: Partial<typeof tuesdayGroup> = {}) => (await ok('POST', '/groups', { ...tuesdayGroup, ...change })).group as { id: string },
    addMember: async (groupId: string, name: string, emergencyContact?: string) => {
      const added = await ok('POST', `/groups/${groupId}/members`, emergencyContact ? { name, emergencyContact } : { name });
      return { id: added.member.id as string, name, link: new URL(added.link as string).hash.replace('#link=', '') };
    },
    startSession: async (groupId: string) => (await ok('POST', `/groups/${groupId}/sessions`, { facilitatorName: 'Dr. Rivera' })) as unknown as StartedSession,
    enter: async (link: string) => (await ok('POST', '/me/session', { link }, false)) as unknown as MemberSession,
    memberCall: (path: string, body: Record<string, unknown>) => call('POST', `/me${path}`, body, false),
    ok,
  };
}

/** Every frame a connection receives, as text, to search for what it must never be sent. */
export function recordFrames(connection: RoomConnection): string[] {
  const frames: string[] = [];
  connection.socket.onAny((event: string, ...args: unknown[]) => frames.push(`${event} ${JSON.stringify(args)}`));
  return frames;
}
