import type { SeatView } from '../../../shared/session/projection.js';
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
  if (track) return <TrackVideo track={track} mirrored={seat.id === me} label={`${seat.name}'s video`} participantId={seat.id} />;
  return (
    <div class={`avatar${large ? ' avatar--large' : ''}`} aria-hidden="true">
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
  const roundState = round ? (round.current === seat.id ? 'speaking now' : round.next === seat.id ? 'next' : round.done.includes(seat.id) ? 'had their turn' : null) : null;
  const isMe = seat.id === me;
  const cameraOff = useSeatVideo(seat.id) === null;

  const words = [
    `${seat.name}${isMe ? ' (you)' : ''}`,
    seat.role === 'facilitator' ? 'facilitator' : null,
    `seat ${number}`,
    part ? `plays ${part.role}` : null,
    holds ? 'has the floor' : null,
    roundState,
    hand ? `hand raised, number ${hand} in the queue` : null,
    speaking ? 'speaking' : null,
    seat.silenced && seat.silenced !== 'NO_STICK' && seat.silenced !== 'AUDIENCE' ? silenceForOthers[seat.silenced] : null,
    seat.steppedAway ? 'stepped away' : null,
    seat.presence !== 'online' ? 'connection lost' : null,
  ].filter(Boolean);

  const classes = ['seat', `seat--${size}`];
  if (holds) classes.push('seat--holds');
  if (speaking) classes.push('seat--speaking');
  if (isMe) classes.push('seat--me');
  if (seat.presence !== 'online' || seat.steppedAway) classes.push('seat--away');

  return (
    <article class={classes.join(' ')} aria-label={words.join(', ')} data-seat={seat.id} data-name={seat.name}>
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
            floor
          </span>
        )}
        {roundState === 'next' && <span class="badge">next</span>}
        {roundState === 'had their turn' && (
          <span class="badge badge--done">
            <Icon name="check" class="icon icon--small" />
            done
          </span>
        )}
        {seat.muted && (
          <span class="badge badge--muted">
            <Icon name="micOff" class="icon icon--small" />
            muted
          </span>
        )}
        {seat.steppedAway && (
          <span class="badge">
            <Icon name="pause" class="icon icon--small" />
            stepped away
          </span>
        )}
        {seat.presence !== 'online' && (
          <span class="badge badge--away">
            <Icon name="away" class="icon icon--small" />
            {seat.presence === 'away' ? 'reconnecting' : 'left'}
          </span>
        )}
      </div>
      <p class="seat__name" aria-hidden="true">
        <span class="seat__number">{number}</span>
        <span class="seat__who">
          <bdi>{seat.name}</bdi>
          {isMe && <span class="seat__you"> (you)</span>}
        </span>
        {seat.role === 'facilitator' && <span class="seat__role">facilitator</span>}
        {part && (
          <span class="seat__role seat__role--cast">
            {part.role} · {castKindName[part.kind]}
          </span>
        )}
        {cameraOff && <Icon name="cameraOff" class="icon icon--small seat__camera-off" />}
      </p>
    </article>
  );
}
