import { t } from '../../i18n/index.js';
import { useRoom } from '../../session/room-context.js';

/** Who waits to be let in, with admit and decline. */
export function WaitingList() {
  const { self, act } = useRoom();
  if (self.role !== 'facilitator' || self.waiting.length === 0) return null;
  const count = self.waiting.length;
  return (
    <section class="urgent" aria-labelledby="waiting-list-title">
      <h3 id="waiting-list-title" class="urgent__title">
        {t('facilitator:waiting.title', { count })}
      </h3>
      {count > 1 && (
        // Names whom the facilitator sees: if someone arrives meanwhile, nobody is let in unseen.
        <button
          type="button"
          class="button button--primary button--small"
          onClick={() => act({ type: 'admit.all', memberIds: self.waiting.map((person) => person.id) }, t('facilitator:waiting.admittedAll', { count }))}
        >
          {t('facilitator:waiting.admitAll', { count })}
        </button>
      )}
      <ul class="person-list">
        {self.waiting.map((person) => (
          <li key={person.id} class="person-list__row">
            <span class="person-list__name">
              <bdi data-user-text>{person.name}</bdi>
              {person.presence === 'away' && <span class="field__hint"> · {t('facilitator:waiting.away')}</span>}
            </span>
            <span class="button-row">
              <button
                type="button"
                class="button button--primary button--small"
                aria-label={t('facilitator:waiting.admitName', { name: person.name })}
                onClick={() => act({ type: 'admit', memberId: person.id }, t('facilitator:waiting.admitted', { name: person.name }))}
              >
                {t('facilitator:waiting.admit')}
              </button>
              <button
                type="button"
                class="button button--quiet button--small"
                aria-label={t('facilitator:waiting.declineName', { name: person.name })}
                onClick={() => act({ type: 'decline', memberId: person.id }, t('facilitator:waiting.declined', { name: person.name }))}
              >
                {t('facilitator:waiting.decline')}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
