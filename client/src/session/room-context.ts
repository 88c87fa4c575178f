import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { GroupView, SelfView } from '../../../shared/session/projection.js';
import type { MediaSession, MediaState } from '../media/media-session.js';
import { useMediaSelect } from './store.js';
import type { Intent, RoomConnection, RoomSnapshot } from './connection.js';

/** Everything a view inside the room reads and does, from one place. */
export interface RoomContext {
  connection: RoomConnection;
  snapshot: RoomSnapshot;
  group: GroupView;
  self: SelfView;
  me: string;
  isFacilitator: boolean;
  media: MediaSession | null;
  /** Send an intent; a refusal is shown to the person with the server's message. */
  act(intent: Intent, success?: string): Promise<boolean>;
  /** Say something to screen readers. */
  say(text: string, urgent?: boolean): void;
  leave(): void;
}

export const RoomContextValue = createContext<RoomContext | null>(null);

export function useRoom(): RoomContext {
  const room = useContext(RoomContextValue);
  if (!room) throw new Error('useRoom outside a room');
  return room;
}

/** A reading of this participant's media state; the view redraws only when it changes. */
export function useMedia<T>(select: (state: MediaState | null) => T, same?: (a: T, b: T) => boolean): T {
  return useMediaSelect(useRoom().media, select, same);
}
