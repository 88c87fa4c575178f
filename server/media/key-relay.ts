import type { KeyHolder, MediaResults, ParsedMediaRequest } from '../../shared/protocol/media.js';
import type { Role } from '../../shared/session/state.js';
import type { MediaDelivery } from './media-connections.js';
import { Refused } from './refused.js';

interface Published extends KeyHolder {
  roomId: string;
  role: Role;
}

/** Who may make a room's key: a facilitator's browser (any of several; the first to publish makes it). */
const makesKeys = (role: Role): boolean => role === 'facilitator';

/**
 * Relays end-to-end media keys without holding any: which browsers published a public key (told
 * to the key maker), and the room key each of them gets sealed by the key maker's browser
 * (delivered only to the connection whose public key it names). Lives beside the media
 * connections of the node running the room; browsers publish again after every media join, so a
 * room that moves to another node rebuilds this from them.
 */
export class KeyRelay {
  readonly #deliver: MediaDelivery;
  /** By connection id, in the order they published. */
  readonly #published = new Map<string, Published>();

  constructor(deliver: MediaDelivery) {
    this.#deliver = deliver;
  }

  publish(connectionId: string, roomId: string, participantId: string, role: Role, publicKey: string): void {
    this.#published.delete(connectionId);
    this.#published.set(connectionId, { roomId, participantId, role, publicKey });
    this.#tellMaker(roomId);
  }

  /** The connection's media ended: it holds no key here any more. */
  forget(connectionId: string): void {
    const gone = this.#published.get(connectionId);
    if (!gone) return;
    this.#published.delete(connectionId);
    this.#tellMaker(gone.roomId);
  }

  wrap(connectionId: string, roomId: string, request: ParsedMediaRequest<'media.e2ee.wrap'>): MediaResults['media.e2ee.wrap'] {
    const maker = this.#maker(roomId);
    if (!maker || maker[0] !== connectionId) throw new Refused('FORBIDDEN', 'only the key maker’s browser hands out the room key');
    const from = maker[1].publicKey;
    const sealed = new Map(request.keys.map(({ to, wrapped }) => [to, wrapped]));
    const reached = new Set<string>();
    for (const [id, holder] of this.#inRoom(roomId)) {
      if (id === connectionId) continue;
      const wrapped = sealed.get(holder.publicKey) ?? null;
      if (wrapped) reached.add(holder.publicKey);
      this.#deliver(id, 'media.e2ee.key', { kid: request.kid, from, holders: request.holders, wrapped });
    }
    return { missing: [...sealed.keys()].filter((key) => !reached.has(key)) };
  }

  /** A member's safety code differs: every facilitator's browser in the room hears it. */
  doubt(roomId: string, participantId: string, connectionsOf: (roomId: string) => [string, Role][]): void {
    for (const [id, role] of connectionsOf(roomId)) if (makesKeys(role)) this.#deliver(id, 'media.e2ee.doubt', { participantId });
  }

  #inRoom(roomId: string): [string, Published][] {
    return [...this.#published].filter(([, holder]) => holder.roomId === roomId);
  }

  #maker(roomId: string): [string, Published] | undefined {
    return this.#inRoom(roomId).find(([, holder]) => makesKeys(holder.role));
  }

  #tellMaker(roomId: string): void {
    const maker = this.#maker(roomId);
    if (!maker) return;
    const keys = this.#inRoom(roomId)
      .filter(([id]) => id !== maker[0])
      .map(([, { participantId, publicKey }]) => ({ participantId, publicKey }));
    this.#deliver(maker[0], 'media.e2ee.holders', { keys });
  }
}
