import { useState } from 'preact/hooks';
import type { KeyState } from '../media/e2ee/room-keys.js';
import { useMedia, useRoom } from '../session/room-context.js';

/** What end-to-end encryption protects against, and what it does not, in one plain sentence. */
export const ENCRYPTION_SENTENCE =
  'Audio and video are encrypted in your browser with a key the server never has, so whoever runs or breaks into the server cannot see or hear the group; the server still sees who is here and who speaks when.';

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
        {group.mediaEncryption ? 'End-to-end encrypted' : 'Not end-to-end encrypted'}
        {keys?.code && <span class="encryption__short-code"> · code {keys.code}</span>}
      </summary>
      {group.mediaEncryption ? (
        <>
          <p class="encryption__sentence">{ENCRYPTION_SENTENCE}</p>
          {encryption === 'unsupported' && <p role="alert">This browser cannot encrypt audio and video: use a current Chrome or Edge, or ask the facilitator to turn encryption off.</p>}
          {keys?.code ? (
            <p class="encryption__code">
              Safety code <strong data-testid="safety-code">{keys.code}</strong>: everyone should see the same one; compare it aloud.
            </p>
          ) : (
            keys && <p class="quiet">Waiting for the room’s key…</p>
          )}
          {keys?.code && !isFacilitator && (
            <button
              type="button"
              class="button button--quiet"
              disabled={reported}
              onClick={() => void media?.reportCodeDiffers().then(() => setReported(true))}
            >
              {reported ? 'The facilitator was told' : 'My code is different'}
            </button>
          )}
          {isFacilitator && keys && keys.doubts.length > 0 && <p role="alert">Says their code is different: {names(keys.doubts)}. Someone may be listening in; talk before going on.</p>}
        </>
      ) : (
        <p class="encryption__sentence">Audio and video are encrypted on the way to the server, which decrypts them to pass them on.</p>
      )}
      {isFacilitator && (
        <label class="encryption__switch">
          <input type="checkbox" checked={group.mediaEncryption} onChange={(event) => void act({ type: 'encryption.set', on: event.currentTarget.checked })} /> Encrypt audio and video end to end
        </label>
      )}
    </details>
  );
}
