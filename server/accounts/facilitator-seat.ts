import type { RoomHandle } from '../rooms/room-directory.js';

/**
 * The participant a signed-in lead facilitates a live room as. A room has one facilitator seat
 * today, which every lead of the group shares; a room with several facilitators gives each lead
 * their own here, and nothing else in accounts changes.
 */
export async function admitFacilitator(room: RoomHandle, _lead: { accountId: string; name: string }): Promise<string> {
  return room.state.facilitatorId;
}
