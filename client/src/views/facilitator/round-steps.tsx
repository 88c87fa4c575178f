import { t } from '../../i18n/index.js';
import { useRoom } from '../../session/room-context.js';

/** The facilitator's two steps in a running round: on to the next speaker, or end it. */
export function RoundSteps({ class: className = 'button-row' }: { class?: string }) {
  const { act } = useRoom();
  return (
    <div class={className}>
      <button type="button" class="button" onClick={() => act({ type: 'round.next' }, t('facilitator:round.nextDone'))}>
        {t('facilitator:round.next')}
      </button>
      <button type="button" class="button button--quiet" onClick={() => act({ type: 'round.end' }, t('facilitator:round.ended'))}>
        {t('facilitator:round.end')}
      </button>
    </div>
  );
}
