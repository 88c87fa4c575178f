import type { ReceiveMode } from '../../../shared/session/video-layers.js';
import { explain, t } from '../i18n/index.js';
import { notify } from '../session/notices.js';
import { useMedia, useRoom } from '../session/room-context.js';


/** The person's choice of incoming video, for a weak or costly connection. */
export function ReceiveModePicker() {
  const { media, say } = useRoom();
  const mode = useMedia((state) => state?.receiveMode ?? 'all');
  const choose = async (next: ReceiveMode) => {
    if (!media) return;
    const result = await media.setReceiveMode(next);
    if (!result.ok) return notify(explain(result));
    say(t(`room:receive.${next}Said`));
  };
  return (
    <label class="control control--select">
      <span class="control__label">{t('room:receive.label')}</span>
      <select value={mode} disabled={!media} onChange={(event) => void choose(event.currentTarget.value as ReceiveMode)} data-receive-mode>
        <option value="all">{t('room:receive.all')}</option>
        <option value="save">{t('room:receive.save')}</option>
        <option value="audio">{t('room:receive.audio')}</option>
      </select>
    </label>
  );
}
