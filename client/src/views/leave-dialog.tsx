import { ModalDialog } from './modal-dialog.js';

export function LeaveDialog({ isFacilitator, onClose, onLeave }: { isFacilitator: boolean; onClose(): void; onLeave(): void }) {
  return (
    <ModalDialog labelledBy="leave-title" onClose={onClose}>
      <h2 id="leave-title">Leave the session?</h2>
      <p>
        {isFacilitator
          ? 'The room stays open and members stay connected. You can come back from your facilitator console.'
          : 'Your camera and microphone will stop. To come back, open your invite link again.'}
      </p>
      <div class="button-row">
        <button type="button" class="button button--danger" onClick={onLeave}>
          Leave
        </button>
        <button type="button" class="button button--quiet" onClick={onClose}>
          Stay
        </button>
      </div>
    </ModalDialog>
  );
}
