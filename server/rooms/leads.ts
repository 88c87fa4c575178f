import { reject, type Rejection } from '../../shared/protocol/errors.js';
import type { TokenSigner } from '../access/tokens.js';
import type { RoomHandle } from './room-directory.js';

/** A facilitator's way into a live room: who they are there, and the session token that opens it. */
export interface LeadSession {
  facilitatorId: string;
  token: string;
}

export interface LeadsDeps {
  signer: TokenSigner;
  sessionTtlMs: number;
}

/**
 * The one seam through which someone leads a live room. Whoever calls it has already vouched for
 * them (the facilitator key today, a group lead's account tomorrow): here they get a seat among
 * the leads and a facilitator's session, never more.
 */
export class Leads {
  readonly #deps: LeadsDeps;

  constructor(deps: LeadsDeps) {
    this.#deps = deps;
  }

  /** A session for someone who already leads the room: its opener, or a co-facilitator coming back. */
  session(room: RoomHandle, facilitatorId: string = room.state.facilitatorIds[0]!, by?: string): LeadSession | Rejection {
    if (!room.state.facilitatorIds.includes(facilitatorId)) return reject('NOT_FOUND', 'nobody leads this room under that id');
    return { facilitatorId, token: this.#token(room.id, facilitatorId, by) };
  }

  /** Seat a co-facilitator among the leads (the same id again changes nothing) and open a session for them. */
  async admit(room: RoomHandle, lead: { facilitatorId: string; name: string; by?: string }): Promise<LeadSession | Rejection> {
    if (room.state.facilitatorIds.includes(lead.facilitatorId)) return this.session(room, lead.facilitatorId, lead.by);
    const result = await room.dispatch({ role: 'system' }, { type: 'join.facilitator', facilitatorId: lead.facilitatorId, name: lead.name });
    if (!result.ok) return result;
    return { facilitatorId: lead.facilitatorId, token: this.#token(room.id, lead.facilitatorId, lead.by) };
  }

  /** `by` names the signed-in account the session belongs to: the socket then needs that account's live sign-in. */
  #token(roomId: string, facilitatorId: string, by?: string): string {
    return this.#deps.signer.session({ room: roomId, sub: facilitatorId, role: 'facilitator', ...(by ? { by } : {}) }, this.#deps.sessionTtlMs);
  }
}
