import type { RefObject } from 'preact';
import { useContext, useEffect } from 'preact/hooks';
import { RoomContextValue } from '../session/room-context.js';

/** Report this element's size and visibility as a remote participant's video tile (nothing outside a room, or for one's own). */
export function useTileWatch(element: RefObject<Element>, participantId: string | undefined, track: MediaStreamTrack): void {
  const room = useContext(RoomContextValue);
  const media = room?.media ?? null;
  const me = room?.me ?? null;
  useEffect(() => {
    const node = element.current;
    if (!node || !media || !participantId || participantId === me) return;
    return media.tiles.watch(node, participantId, 'camera');
  }, [media, participantId, me, track]);
}
