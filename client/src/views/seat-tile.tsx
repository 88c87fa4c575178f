import type { SeatView } from '../../../shared/session/projection.js';
import { t } from '../i18n/index.js';
import { useMedia, useRoom } from '../session/room-context.js';
import { castKindName, castPart, initials, queueNumber, silenceForOthers } from '../session/room-view.js';
import { CountdownRing } from './countdown-ring.js';
import { Icon } from './icons.js';
import { TrackVideo } from './track-media.js';

/** The video (or initials) of one seat; null when the camera is off. */
export function useSeatVideo(id: string): MediaStreamTrack | null {
  const { me } = useRoom();
  return useMedia((state) => {
    if (!state) return null;
    if (id === me) return state.local.cameraOn ? (state.local.stream?.getVideoTracks()[0] ?? null) : null;
    return state.remotes[id]?.video ?? null;
  });
}

export function SeatMedia({ seat, large = false }: { seat: SeatView; large?: boolean }) {
  const { me } = useRoom();
  const track = useSeatVideo(seat.id);
  if (track) return <TrackVideo track={track} mirrored={seat.id === me} label={t('room:seat.video', { name: seat.name })} participantId={seat.id} />;
  return (
    <div class={`avatar${large ? ' avatar--large' : ''}`} aria-hidden="true" data-user-text>
      {initials(seat.name)}
    </div>
  );
}

/** One seat of the circle: who sits there and what they are doing, in words as well as colour. */
export function SeatTile({ seat, number, size = 'ring' }: { seat: SeatView; number: number; size?: 'ring' | 'stage' | 'audience' }) {
  const { group, me, snapshot } = useRoom();
  const turn = group.floor.turn;
  const holds = turn?.holder === seat.id;
  const speaking = useMedia((state) => state?.speaking.includes(seat.id) ?? false);
  const hand = queueNumber(group, seat.id);
  const part = castPart(group.scene, seat.id);
  const round = group.floor.heldBy === 'round' ? group.round : null;
  const roundState = round ? (round.current === seat.id ? 'now' : round.next === seat.id ? 'next' : round.done.includes(seat.id) ? 'done' : null) : null;
  const isMe = seat.id === me;
  const cameraOff = useSeatVideo(seat.id) === null;

  // Said as a list, one message per fact, after the name (user data, kept apart from the catalogue's words).
  const words = [
    isMe ? t('room:seat.you') : null,
    seat.role === 'facilitator' ? t('room:seat.facilitator') : null,
    t('room:seat.number', { number }),
    part ? t('room:seat.plays', { role: part.role }) : null,
    holds ? t('room:seat.holdsFloor') : null,
    roundState === 'now' ? t('room:seat.speakingNow') : roundState === 'next' ? t('room:seat.next') : roundState === 'done' ? t('room:seat.hadTurn') : null,
    hand ? t('room:seat.hand', { number: hand }) : null,
    speaking ? t('room:seat.speaking') : null,
    seat.silenced && seat.silenced !== 'NO_STICK' && seat.silenced !== 'AUDIENCE' ? silenceForOthers[seat.silenced] : null,
    seat.steppedAway ? t('room:seat.steppedAway') : null,
    seat.presence !== 'online' ? t('room:seat.connectionLost') : null,
  ].filter((word): word is string => word !== null);
  const labelId = `seat-words-${seat.id}`;

  const classes = ['seat', `seat--${size}`];
  if (holds) classes.push('seat--holds');
  if (speaking) classes.push('seat--speaking');
  if (isMe) classes.push('seat--me');
  if (seat.presence !== 'online' || seat.steppedAway) classes.push('seat--away');

  return (
    <article class={classes.join(' ')} aria-labelledby={labelId} data-seat={seat.id} data-name={seat.name}>
      <span id={labelId} class="visually-hidden" aria-hidden="true">
        <bdi data-user-text>{seat.name}</bdi>
        {words.map((word, i) => (
          <span key={i}>
            {i === 0 && isMe ? ' ' : ', '}
            {word}
          </span>
        ))}
      </span>
      <div class="seat__media">
        <SeatMedia seat={seat} />
        {speaking && (
          <span class="seat__speaking" aria-hidden="true">
            <Icon name="speaking" class="icon icon--small" />
          </span>
        )}
      </div>
      <div class="seat__badges" aria-hidden="true">
        {hand !== null && (
          <span class="badge badge--hand" data-queue-number={hand}>
            <Icon name="hand" class="icon icon--small" />
            {hand}
          </span>
        )}
        {holds && turn?.endsAt != null && <CountdownRing startedAt={turn.startedAt} endsAt={turn.endsAt} warnAt={turn.warnAt} clockOffsetMs={snapshot.clockOffsetMs} />}
        {holds && !turn?.endsAt && (
          <span class="badge badge--floor">
            <Icon name="stick" class="icon icon--small" />
            {t('room:seat.badge.floor')}
          </span>
        )}
        {roundState === 'next' && <span class="badge">{t('room:seat.badge.next')}</span>}
        {roundState === 'done' && (
          <span class="badge badge--done">
            <Icon name="check" class="icon icon--small" />
            {t('room:seat.badge.done')}
          </span>
        )}
        {seat.muted && (
          <span class="badge badge--muted">
            <Icon name="micOff" class="icon icon--small" />
            {t('room:seat.badge.muted')}
          </span>
        )}
        {seat.steppedAway && (
          <span class="badge">
            <Icon name="pause" class="icon icon--small" />
            {t('room:seat.badge.steppedAway')}
          </span>
        )}
        {seat.presence !== 'online' && (
          <span class="badge badge--away">
            <Icon name="away" class="icon icon--small" />
            {seat.presence === 'away' ? t('room:seat.badge.reconnecting') : t('room:seat.badge.left')}
          </span>
        )}
      </div>
      <p class="seat__name" aria-hidden="true">
        <span class="seat__number">{number}</span>
        <span class="seat__who">
          <bdi data-user-text>{seat.name}</bdi>
          {isMe && <span class="seat__you"> {t('room:seat.you')}</span>}
        </span>
        {seat.role === 'facilitator' && <span class="seat__role">{t('room:seat.facilitator')}</span>}
        {part && (
          <span class="seat__role seat__role--cast">
            <span data-user-text>{part.role}</span> · {castKindName[part.kind]}
          </span>
        )}
        {cameraOff && <Icon name="cameraOff" class="icon icon--small seat__camera-off" />}
      </p>
    </article>
  );
}
