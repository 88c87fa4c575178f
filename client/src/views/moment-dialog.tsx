import { t } from '../i18n/index.js';
import { ModalDialog } from './modal-dialog.js';

/** "I need a moment": the facilitator is told privately; the group only if the member wants. */
export function MomentDialog({ onClose, onChoose }: { onClose(): void; onChoose(tellGroup: boolean): void }) {
  return (
    <ModalDialog labelledBy="moment-title" onClose={onClose}>
      <h2 id="moment-title">{t('room:moment.title')}</h2>
      <p>{t('room:moment.text')}</p>
      <div class="button-column">
        <button type="button" class="button button--primary" onClick={() => onChoose(false)}>
          {t('room:moment.onlyFacilitator')}
        </button>
        <button type="button" class="button" onClick={() => onChoose(true)}>
          {t('room:moment.alsoGroup')}
        </button>
        <button type="button" class="button button--quiet" onClick={onClose}>
          {t('room:moment.cancel')}
        </button>
      </div>
    </ModalDialog>
  );
}
