import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.js';
import { useRoom } from '../../session/room-context.js';
import { ModalDialog } from '../modal-dialog.js';

/** Close the session for everyone, after a confirmation. */
export function EndSession() {
  const { act } = useRoom();
  const [asking, setAsking] = useState(false);
  return (
    <div class="end-session">
      <button type="button" class="button button--quiet button--small" aria-haspopup="dialog" onClick={() => setAsking(true)}>
        {t('facilitator:end.open')}
      </button>
      {asking && (
        <ModalDialog labelledBy="end-session-title" onClose={() => setAsking(false)}>
          <h2 id="end-session-title">{t('facilitator:end.title')}</h2>
          <p>{t('facilitator:end.body')}</p>
          <div class="button-row">
            <button
              type="button"
              class="button button--danger"
              onClick={async () => {
                setAsking(false);
                await act({ type: 'session.end' }, t('facilitator:end.ended'));
              }}
            >
              {t('facilitator:end.confirm')}
            </button>
            <button type="button" class="button button--quiet" onClick={() => setAsking(false)}>
              {t('facilitator:end.notYet')}
            </button>
          </div>
        </ModalDialog>
      )}
    </div>
  );
}
