import { useEffect, useState } from 'preact/hooks';
import type { HandoutView } from '../../../shared/session/projection.js';
import { t } from '../i18n/index.js';
import { useRoom } from '../session/room-context.js';

/** An image handout's bytes come from the room by its id, with this participant's session, never in the broadcast. */
export function HandoutImage({ handout }: { handout: Extract<HandoutView, { kind: 'image' }> }) {
  const { connection, group } = useRoom();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let made: string | null = null;
    let live = true;
    fetch(`/api/rooms/${group.roomId}/handouts/${handout.id}`, { headers: { authorization: `Bearer ${connection.token}` }, cache: 'no-store' })
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        const blob = await response.blob();
        if (!live) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [handout.id]);
  if (failed) return <p class="quiet">{t('room:handout.imageFailed', { alt: handout.alt })}</p>;
  if (!url) return <p class="quiet">{t('room:handout.imageLoading')}</p>;
  return <img class="handout__image" src={url} alt={handout.alt} data-user-text />;
}
