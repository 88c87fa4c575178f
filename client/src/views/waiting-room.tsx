import { t } from '../i18n/index.js';
import type { ConnectionStatus } from '../session/connection.js';
import { Notices } from './notices.js';

/** Unicode isolates keep a name written right to left from turning the sentence around it (what <bdi> did). */
const isolated = (text: string) => `\u2068${text}\u2069`;

/** A member waits here until the facilitator lets them in. */
export function WaitingRoom({ name, roomTitle, status, onLeave }: { name: string; roomTitle: string; status: ConnectionStatus; onLeave(): void }) {
  return (
    <main class="page page--narrow waiting" aria-labelledby="waiting-title">
      <div class="waiting__breath" aria-hidden="true" />
      <h1 id="waiting-title">{t('session:waiting.title')}</h1>
      <p class="lead">{t('session:waiting.welcome', { name: isolated(name), title: isolated(roomTitle) })}</p>
      <p class="quiet">{t('session:waiting.settle')}</p>
      {status === 'reconnecting' && (
        <p class="callout callout--warn" role="status">
          {t('session:waiting.reconnecting')}
        </p>
      )}
      <button type="button" class="button button--quiet" onClick={onLeave}>
        {t('session:waiting.leave')}
      </button>
      <Notices />
    </main>
  );
}
