import { relative } from '../../i18n/format.js';
import { t } from '../../i18n/index.js';
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
        <Icon name="pause" class="icon icon--small" /> {t('facilitator:alerts.title')}
      </h3>
      <ul class="person-list">
        {self.alerts.map((alert) => (
          <li key={alert.memberId} class="person-list__row">
            <span class="person-list__name">
              <bdi data-user-text>{alert.name}</bdi>
              <span class="field__hint">
                {' · '}
                {t('facilitator:alerts.asked', { when: relative(Math.min(alert.at, now), now) })}
                {' · '}
                {alert.toldGroup ? t('facilitator:alerts.toldGroup') : t('facilitator:alerts.onlyYou')}
              </span>
            </span>
            <button
              type="button"
              class="button button--small"
              aria-label={t('facilitator:alerts.notedFor', { name: alert.name })}
              onClick={() => act({ type: 'alert.ack', memberId: alert.memberId }, t('facilitator:alerts.notedNotice', { name: alert.name }))}
            >
              {t('facilitator:alerts.noted')}
            </button>
            {alert.dropped && (
              <details class="alert-safety" data-dropped={alert.name} open={false}>
                <summary>{t('facilitator:alerts.dropped', { name: `\u2068${alert.name}\u2069` })}</summary>
                <p>{t('facilitator:alerts.location', { place: alert.dropped.location ?? t('facilitator:alerts.noLocation') })}</p>
                <p>{t('facilitator:alerts.contact', { contact: alert.dropped.emergencyContact ?? t('facilitator:alerts.noContact') })}</p>
              </details>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
