import { useRoom } from '../../session/room-context.js';

/** Who waits to be let in, with admit and decline. */
export function WaitingList() {
  const { self, act } = useRoom();
  if (self.role !== 'facilitator' || self.waiting.length === 0) return null;
  return (
    <section class="urgent" aria-labelledby="waiting-list-title">
      <h3 id="waiting-list-title" class="urgent__title">
        Waiting to join ({self.waiting.length})
      </h3>
      {self.waiting.length > 1 && (
        // Names whom the facilitator sees: if someone arrives meanwhile, nobody is let in unseen.
        <button
          type="button"
          class="button button--primary button--small"
          onClick={() => act({ type: 'admit.all', memberIds: self.waiting.map((person) => person.id) }, `${self.waiting.length} people are in.`)}
        >
          Admit all {self.waiting.length}
        </button>
      )}
      <ul class="person-list">
        {self.waiting.map((person) => (
          <li key={person.id} class="person-list__row">
            <span class="person-list__name">
              <bdi>{person.name}</bdi>
              {person.presence === 'away' && <span class="field__hint"> · not connected; leaves the list unless they come back</span>}
            </span>
            <span class="button-row">
              <button type="button" class="button button--primary button--small" onClick={() => act({ type: 'admit', memberId: person.id }, `${person.name} is in.`)}>
                Admit <span class="visually-hidden"><bdi>{person.name}</bdi></span>
              </button>
              <button type="button" class="button button--quiet button--small" onClick={() => act({ type: 'decline', memberId: person.id }, `${person.name} was declined.`)}>
                Decline <span class="visually-hidden"><bdi>{person.name}</bdi></span>
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
