/** Holdspace's HTTP API as the browser uses it: invites, joining, and the facilitator's rooms. */
import type { GroupAgenda } from '../../../shared/protocol/groups.js';
import { explain, t } from '../i18n/index.js';

export interface RoomSummary {
  id: string;
  title: string;
  createdAt: number;
  ended: boolean;
}

export interface RoomEntry {
  roomId: string;
  /** Who this facilitator is in the room: its opener or a co-facilitator. */
  facilitatorId: string;
  token: string;
  inviteUrl: string;
}

/** A refusal from the server, carrying the message meant for the person. */
export class ApiRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRefusal';
  }
}

/** What a person reads of a failed call: a refusal in their language by its code, else that something went wrong. */
export const refusalText = (error: unknown): string => (error instanceof ApiRefusal ? explain(error) : t('somethingWrong'));

export async function call<T>(path: string, init: { method?: string; body?: unknown; key?: string } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  } catch {
    throw new ApiRefusal('OFFLINE', t('console:api.offline'));
  }
  if (response.status === 204) return undefined as T;
  const answer = (await response.json().catch(() => null)) as (T & { code?: string; message?: string; detail?: string }) | null;
  if (!response.ok || answer === null) {
    const message = answer?.message ?? t('console:api.serverTrouble');
    // A refused name says which rule it broke; other details are for developers.
    const said = answer?.detail && (answer.code === 'NAME_NOT_ALLOWED' || answer.code === 'NAME_TAKEN') ? `${message} (${answer.detail})` : message;
    throw new ApiRefusal(answer?.code ?? 'INTERNAL', said);
  }
  return answer;
}

export const httpApi = {
  inspectInvite: (invite: string) => call<{ roomTitle: string; expiresAt: number }>('/api/invites/inspect', { body: { invite } }),
  join: (invite: string, name: string) => call<{ roomId: string; memberId: string; token: string }>('/api/join', { body: { invite, name } }),
  listRooms: async (key: string) => {
    const rooms: RoomSummary[] = [];
    // The list comes in pages, newest first; `next` names where the following page starts.
    for (let after: string | null = ''; after !== null; ) {
      const page: { rooms: RoomSummary[]; next: string | null } = await call(`/api/rooms?limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`, { key });
      rooms.push(...page.rooms);
      after = page.next;
    }
    return rooms;
  },
  /** `agenda`: the phases the room starts with (the default ones, named in the facilitator's language). */
  createRoom: (key: string, title: string, facilitatorName: string, agenda?: GroupAgenda) => call<RoomEntry>('/api/rooms', { key, body: { title, facilitatorName, ...(agenda ? { agenda } : {}) } }),
  /** Enter a room: as its opener (no body), as a lead of it coming back, or as a new co-facilitator by name. */
  facilitate: (key: string, roomId: string, as: { facilitatorId: string } | { name: string } | Record<string, never> = {}) =>
    call<RoomEntry>(`/api/rooms/${encodeURIComponent(roomId)}/facilitate`, { key, body: as }),
  /** A new invite link for the room; every link given out before stops working. */
  replaceInvite: (key: string, roomId: string) => call<{ roomId: string; inviteUrl: string }>(`/api/rooms/${encodeURIComponent(roomId)}/invite`, { key, body: {} }),
};
