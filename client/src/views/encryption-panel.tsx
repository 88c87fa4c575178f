import { useState } from 'preact/hooks';
import type { KeyState } from '../media/e2ee/room-keys.js';
import { t } from '../i18n/index.js';
import { useMedia, useRoom } from '../session/room-context.js';

/** What end-to-end encryption protects against, and what it does not, in one plain sentence. */
export const encryptionSentence = () => t('room:encryption.sentence');

/** The room's encryption: what it means, the safety code to compare aloud, and the facilitator's switch. */
export function EncryptionPanel() {
  const { group, isFacilitator, act, media } = useRoom();
  const encryption = useMedia((state) => state?.encryption ?? null);
  const [reported, setReported] = useState(false);
  const keys = typeof encryption === 'object' ? (encryption as KeyState | null) : null;
  const names = (ids: string[]) => ids.map((id) => group.seats.find((seat) => seat.id === id)?.name ?? 'someone').join(', ');
  return (
    <details class="encryption">
      <summary class="encryption__summary">
        {group.mediaEncryption ? t('room:encryption.on') : t('room:encryption.off')}
        {keys?.code && <span class="encryption__short-code"> {t('room:encryption.shortCode', { code: keys.code })}</span>}
      </summary>
      {group.mediaEncryption ? (
        <>
          <p class="encryption__sentence">{encryptionSentence()}</p>
          {encryption === 'unsupported' && <p role="alert">{t('room:encryption.unsupported')}</p>}
          {keys?.code ? (
            <p class="encryption__code">
              {t('room:encryption.codeLabel')} <strong data-testid="safety-code">{keys.code}</strong>. {t('room:encryption.compare')}
            </p>
          ) : (
            keys && <p class="quiet">{t('room:encryption.waitingKey')}</p>
          )}
          {keys?.code && !isFacilitator && (
            <button
              type="button"
              class="button button--quiet"
              disabled={reported}
              onClick={() => void media?.reportCodeDiffers().then(() => setReported(true))}
            >
              {reported ? t('room:encryption.told') : t('room:encryption.differs')}
            </button>
          )}
          {isFacilitator && keys && keys.doubts.length > 0 && <p role="alert">{t('room:encryption.doubts', { names: names(keys.doubts) })}</p>}
        </>
      ) : (
        <p class="encryption__sentence">{t('room:encryption.transport')}</p>
      )}
      {isFacilitator && (
        <label class="encryption__switch">
          <input type="checkbox" checked={group.mediaEncryption} onChange={(event) => void act({ type: 'encryption.set', on: event.currentTarget.checked })} />{' '}
          {t('room:encryption.switch')}
        </label>
      )}
    </details>
  );
}
