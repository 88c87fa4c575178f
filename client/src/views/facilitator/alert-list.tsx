import { useRoom } from '../../session/room-context.js';
import { Icon } from '../icons.js';

/** Private "I need a moment" signals; only the facilitator sees these. */
export function AlertList() {
  const { self, act, snapshot } = useRoom();
  if (self.role !== 'facilitator' || self.alerts.length === 0) return null;
  const now = Date.now() + snapshot.clockOffsetMs;
  return (
    <section class="urgent urgent--moment" aria-labelledby="alert-list-title">
      <h3 id="alert-list-title" class="urgent__title">
        <Icon name="pause" class="icon icon--small" /> Needs a moment
      </h3>
      <ul class="person-list">
        {self.alerts.map((alert) => (
          <li key={alert.memberId} class="person-list__row">
            <span class="person-list__name">
              <bdi>{alert.name}</bdi>
              <span class="field__hint">
                {' '}
                · {Math.max(0, Math.round((now - alert.at) / 60_000))} min ago · {alert.toldGroup ? 'the group sees "stepped away"' : 'only you know'}
              </span>
            </span>
            <button type="button" class="button button--small" onClick={() => act({ type: 'alert.ack', memberId: alert.memberId }, `Noted for ${alert.name}.`)}>
              Noted <span class="visually-hidden">for <bdi>{alert.name}</bdi></span>
            </button>
            {alert.dropped && (
              <details class="alert-safety" data-dropped={alert.name} open={false}>
                <summary>
                  <bdi>{alert.name}</bdi> is no longer connected: where they are and whom to call
                </summary>
                <p>Where they said they are: {alert.dropped.location ?? 'not confirmed at this check-in'}</p>
                <p>Emergency contact: {alert.dropped.emergencyContact ?? 'none given'}</p>
              </details>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
