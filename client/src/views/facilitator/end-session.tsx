import { useState } from 'preact/hooks';
import { useRoom } from '../../session/room-context.js';
import { ModalDialog } from '../modal-dialog.js';

/** Close the session for everyone, after a confirmation. */
export function EndSession() {
  const { act } = useRoom();
  const [asking, setAsking] = useState(false);
  return (
    <div class="end-session">
      <button type="button" class="button button--quiet button--small" aria-haspopup="dialog" onClick={() => setAsking(true)}>
        End the session…
      </button>
      {asking && (
        <ModalDialog labelledBy="end-session-title" onClose={() => setAsking(false)}>
          <h2 id="end-session-title">End the session for everyone?</h2>
          <p>Everything live stops and nobody can act after this. An open feedback prompt closes by its own rule: answers are released only if enough members answered.</p>
          <div class="button-row">
            <button
              type="button"
              class="button button--danger"
              onClick={async () => {
                setAsking(false);
                await act({ type: 'session.end' }, 'The session has ended.');
              }}
            >
              End the session
            </button>
            <button type="button" class="button button--quiet" onClick={() => setAsking(false)}>
              Not yet
            </button>
          </div>
        </ModalDialog>
      )}
    </div>
  );
}
