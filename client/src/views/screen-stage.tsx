import type { GroupView } from '../../../shared/session/projection.js';
import { t } from '../i18n/index.js';
import { useMedia, useRoom } from '../session/room-context.js';
import { nameOf } from '../session/room-view.js';
import { TrackVideo } from './track-media.js';

/** The shared screen, large on every page; the room's fact says whose, the media layer carries it. */
export function ScreenStage({ share }: { share: NonNullable<GroupView['screenShare']> }) {
  const { group, me, media } = useRoom();
  const mine = share.by === me;
  const track = useMedia((state) => (mine ? (state?.local.screenOn ? (media?.localScreen ?? null) : null) : (state?.remotes[share.by]?.screen ?? null)));
  const name = nameOf(group, share.by);
  return (
    <section class="screen-stage" aria-labelledby="screen-stage-title">
      <h2 id="screen-stage-title" class="screen-stage__title">
        {mine ? t('room:screenShare.yours') : t('room:screenShare.theirs', { name })}
      </h2>
      {track ? <TrackVideo track={track} label={t('room:screenShare.video', { name })} participantId={share.by} screen /> : <p class="quiet">{t('room:screenShare.connecting')}</p>}
    </section>
  );
}
