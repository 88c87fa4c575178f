import { t } from '../i18n/index.js';
import { useRoom } from '../session/room-context.js';
import { navigate } from './app.js';
import { FeedbackPanel } from './feedback-panel.js';
import { Notices } from './notices.js';

/** After the facilitator closes the session: a quiet goodbye, what was released, and the way out. */
export function SessionEnded() {
  const { group, self, isFacilitator, leave } = useRoom();
  // After a standing group's session the facilitator's next stop is its page: notes, attendance, export.
  const groupPage = self.role === 'facilitator' && self.group ? `/facilitate/groups/${self.group.groupId}` : null;
  return (
    <main class="page page--narrow ended" aria-labelledby="ended-title">
      <div class="waiting__breath" aria-hidden="true" />
      <h1 id="ended-title">{t('session:ended.title')}</h1>
      <p class="lead">{t('session:ended.thanks', { title: `\u2068${group.title}\u2069` })}</p>
      {group.feedback.results.length > 0 && <FeedbackPanel />}
      <button
        type="button"
        class="button button--primary"
        onClick={() => {
          leave();
          if (isFacilitator) navigate(groupPage ?? '/facilitate');
        }}
      >
        {groupPage ? t('session:ended.backToGroup') : isFacilitator ? t('session:ended.backToRooms') : t('session:ended.leave')}
      </button>
      <Notices />
    </main>
  );
}
