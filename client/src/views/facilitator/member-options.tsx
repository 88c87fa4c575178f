import type { GroupView } from '../../../../shared/session/projection.js';
import { members } from '../../session/room-view.js';

/** The members of the circle as options of a select; names keep their own direction. */
export function MemberOptions({ group }: { group: GroupView }) {
  return (
    <>
      {members(group).map((seat) => (
        <option key={seat.id} value={seat.id} dir="auto" data-user-text>
          {seat.name}
        </option>
      ))}
    </>
  );
}
