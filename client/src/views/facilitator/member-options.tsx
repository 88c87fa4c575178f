import type { SeatView } from '../../../../shared/session/projection.js';

/** People of the circle as options of a select; names keep their own direction and are user data. */
export function MemberOptions({ seats }: { seats: SeatView[] }) {
  return (
    <>
      {seats.map((seat) => (
        <option key={seat.id} value={seat.id} dir="auto" data-user-text>
          {seat.name}
        </option>
      ))}
    </>
  );
}
