import type { Feed } from '../session/store.js';
import { useFeed } from '../session/store.js';

export interface Spoken {
  text: string;
  urgent: boolean;
  at: number;
}

/** Two live regions: polite for news, assertive for what the person must act on now. */
export function LiveAnnouncer({ feed }: { feed: Feed<Spoken> }) {
  const items = useFeed(feed);
  const polite = items.filter((item) => !item.urgent).slice(-2);
  const urgent = items.filter((item) => item.urgent).slice(-1);
  return (
    <div class="visually-hidden">
      <div aria-live="polite" data-announcer="polite">
        {polite.map((item) => (
          <p key={item.at + item.text}>{item.text}</p>
        ))}
      </div>
      <div aria-live="assertive" data-announcer="urgent">
        {urgent.map((item) => (
          <p key={item.at + item.text}>{item.text}</p>
        ))}
      </div>
    </div>
  );
}
