import { useRoom } from '../../session/room-context.js';

/** The facilitator's two steps in a running round: on to the next speaker, or end it. */
export function RoundSteps({ class: className = 'button-row' }: { class?: string }) {
  const { act } = useRoom();
  return (
    <div class={className}>
      <button type="button" class="button" onClick={() => act({ type: 'round.next' }, 'Moved to the next speaker.')}>
        Next speaker
      </button>
      <button type="button" class="button button--quiet" onClick={() => act({ type: 'round.end' }, 'The round is over.')}>
        End round
      </button>
    </div>
  );
}
