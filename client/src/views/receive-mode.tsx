import type { ReceiveMode } from '../../../shared/session/video-layers.js';
import { notify } from '../session/notices.js';
import { useMedia, useRoom } from '../session/room-context.js';

const spoken: Record<ReceiveMode, string> = {
  all: 'You see everyone’s video.',
  save: 'Saving bandwidth: you see only the video of whoever has the floor.',
  audio: 'Audio only: no video comes in. You still hear everyone.',
};

/** The person's choice of incoming video, for a weak or costly connection. */
export function ReceiveModePicker() {
  const { media, say } = useRoom();
  const mode = useMedia((state) => state?.receiveMode ?? 'all');
  const choose = async (next: ReceiveMode) => {
    if (!media) return;
    const result = await media.setReceiveMode(next);
    if (!result.ok) return notify(result.message);
    say(spoken[next]);
  };
  return (
    <label class="control control--select">
      <span class="control__label">Incoming video</span>
      <select value={mode} disabled={!media} onChange={(event) => void choose(event.currentTarget.value as ReceiveMode)} data-receive-mode>
        <option value="all">Everyone</option>
        <option value="save">Save bandwidth (floor only)</option>
        <option value="audio">Audio only</option>
      </select>
    </label>
  );
}
