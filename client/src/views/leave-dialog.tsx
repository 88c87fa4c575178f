import { t } from '../i18n/index.js';
import { ModalDialog } from './modal-dialog.js';

export function LeaveDialog({ isFacilitator, onClose, onLeave }: { isFacilitator: boolean; onClose(): void; onLeave(): void }) {
  return (
    <ModalDialog labelledBy="leave-title" onClose={onClose}>
      <h2 id="leave-title">{t('room:leave.title')}</h2>
      <p>
{isFacilitator ? t('room:leave.facilitator') : t('room:leave.member')}
      </p>
      <div class="button-row">
        <button type="button" class="button button--danger" onClick={onLeave}>
          {t('room:leave.leave')}
        </button>
        <button type="button" class="button button--quiet" onClick={onClose}>
          {t('room:leave.stay')}
        </button>
      </div>
    </ModalDialog>
  );
}
