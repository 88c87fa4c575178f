import type { RoomDirectory } from '../rooms/room-directory.js';
import type { AuditTrail } from './audit-trail.js';

/**
 * Admissions, removals and ends of live sessions into the audit trail, seen on the node that
 * applied them and written in the background, never on the command's path. Ids only: the subject
 * is `room/participant`, never a name.
 */
export function auditLiveRooms(rooms: RoomDirectory, audit: AuditTrail): void {
  rooms.onActor((actor) =>
    actor.onChange((after, before) => {
      const groupId = after.group?.groupId ?? null;
      for (const [id, person] of Object.entries(after.participants)) {
        const was = before.participants[id]?.status;
        if (person.role === 'facilitator' || person.status === was) continue;
        if (person.status === 'admitted' && (was === undefined || was === 'waiting')) audit.note({ action: 'session.admitted', actor: null, groupId, subject: `${actor.id}/${id}` });
        else if (person.status === 'removed') audit.note({ action: 'session.removed', actor: null, groupId, subject: `${actor.id}/${id}` });
      }
      if (before.endedAt === null && after.endedAt !== null) audit.note({ action: 'session.ended', actor: null, groupId, subject: actor.id });
    }),
  );
}
