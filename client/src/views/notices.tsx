import { t } from '../i18n/index.js';
import { notices } from '../session/notices.js';
import { useFeed } from '../session/store.js';

/** Refusals and other messages for the person, read out as they appear. */
export function Notices() {
  const items = useFeed(notices);
  return (
    <div class="notices" role="alert" aria-atomic="false">
      {items.map((notice) => (
        <p key={notice.id} class={`notice notice--${notice.tone}`}>
          {notice.text}
          <button type="button" class="notice__close" aria-label={t('room:notices.dismiss')} onClick={() => notices.remove(notice)}>
            ×
          </button>
        </p>
      ))}
    </div>
  );
}
