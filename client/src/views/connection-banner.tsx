import { t } from '../i18n/index.js';
import { useMedia, useRoom } from '../session/room-context.js';

/** Trouble with the connection or the media, said plainly; it goes away by itself on recovery. */
export function ConnectionBanner() {
  const { snapshot } = useRoom();
  const status = useMedia((state) => state?.status ?? null);
  const error = useMedia((state) => state?.error ?? null);
  const reconnecting = snapshot.status === 'reconnecting' || snapshot.status === 'connecting';
  const mediaTrouble = status === 'recovering' || status === 'failed';
  if (!reconnecting && !mediaTrouble && !error) return <div class="banner-slot" role="status" />;
  return (
    <div class="banner-slot" role="status">
      {reconnecting ? (
        <p class="banner banner--warn">
          <strong>{t('room:banner.lost')}</strong> {t('room:banner.reconnecting')}
          {snapshot.pending > 0 && ` ${t('room:banner.pending', { count: snapshot.pending })}`}
        </p>
      ) : status === 'recovering' ? (
        <p class="banner banner--warn">
          <strong>{t('room:banner.mediaReconnecting')}</strong>
        </p>
      ) : (
        <p class="banner banner--error">
          <strong>{t('room:banner.mediaFailed')}</strong> {error ?? t('room:banner.tryAgain')}
        </p>
      )}
    </div>
  );
}
