import { ModalDialog } from './modal-dialog.js';

/** "I need a moment": the facilitator is told privately; the group only if the member wants. */
export function MomentDialog({ onClose, onChoose }: { onClose(): void; onChoose(tellGroup: boolean): void }) {
  return (
    <ModalDialog labelledBy="moment-title" onClose={onClose}>
      <h2 id="moment-title">Need a moment?</h2>
      <p>The facilitator will see it privately. You can turn your camera off too (V). Nobody else is told unless you choose so.</p>
      <div class="button-column">
        <button type="button" class="button button--primary" onClick={() => onChoose(false)}>
          Tell only the facilitator
        </button>
        <button type="button" class="button" onClick={() => onChoose(true)}>
          Tell the facilitator, and show the group I stepped away
        </button>
        <button type="button" class="button button--quiet" onClick={onClose}>
          Cancel
        </button>
      </div>
    </ModalDialog>
  );
}
