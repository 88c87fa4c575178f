import '../styles/circle.css';
import type { JSX } from 'preact';
import { t } from '../i18n/index.js';
import { useRoom } from '../session/room-context.js';
import { floorModeHint, floorModeName, nameOf, roundTitle, seatOf } from '../session/room-view.js';
import { CountdownRing } from './countdown-ring.js';
import { Icon } from './icons.js';
import { SeatMedia, SeatTile } from './seat-tile.js';

/** Tile width (% of the circle's width) that lets n seats sit round the ellipse without touching. */
const tileWidth = (n: number) => (n <= 4 ? 19 : n <= 7 ? 16.5 : n <= 10 ? 14.5 : 12.5);

/** Seat i of n round an ellipse, clockwise from the top, in % of the circle's box. */
export function seatPosition(i: number, n: number): { x: number; y: number } {
  const w = tileWidth(n);
  // The circle is 16:10, so a 4:3 tile is 1.2 w tall in % of the height.
  const rx = 50 - w / 2 - 1;
  const ry = 50 - (1.2 * w) / 2 - 1.5;
  const angle = -Math.PI / 2 + (i * 2 * Math.PI) / n;
  return { x: 50 + rx * Math.cos(angle), y: 50 + ry * Math.sin(angle) };
}

/** The circle: every screen shows the seats in the server's order; the floor holder in the middle. */
export function Circle() {
  const { group } = useRoom();
  const n = group.seats.length;
  const layout = { '--tile': `${tileWidth(n)}%` } as JSX.CSSProperties;
  return (
    <section class="circle" style={layout} aria-labelledby="circle-title">
      <h2 id="circle-title" class="visually-hidden">
        {t('room:circle.title', { count: n })}
      </h2>
      <div class="circle__centre">
        <Spotlight />
      </div>
      <ol class="circle__seats">
        {group.seats.map((seat, i) => {
          const { x, y } = seatPosition(i, n);
          return (
            <li key={seat.id} class="circle__seat" style={{ '--x': `${x.toFixed(2)}%`, '--y': `${y.toFixed(2)}%` } as JSX.CSSProperties}>
              <SeatTile seat={seat} number={i + 1} />
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** The middle of the circle: whoever holds the floor, large; otherwise what the floor is now. */
function Spotlight() {
  const { group, me, snapshot } = useRoom();
  const turn = group.floor.turn;
  const holder = seatOf(group, turn?.holder);
  const round = group.floor.heldBy === 'round' ? group.round : null;
  if (!turn || !holder) {
    const queue = group.floor.queue;
    return (
      <div class="spotlight spotlight--empty">
        <p class="spotlight__mode">{floorModeName[group.floor.mode]}</p>
        <p class="spotlight__hint">{round ? (round.order === 'volunteers' ? t('room:circle.volunteerWait') : t('room:circle.roundFinishing')) : floorModeHint[group.floor.mode]}</p>
        {queue.length > 0 && (
          <p class="spotlight__queue">
            <Icon name="hand" class="icon icon--small" /> {t('room:circle.handsUp')}{' '}
            {queue.map((id, i) => (
              <span key={id}>
                {i > 0 && ', '}
                {i + 1}. <bdi data-user-text>{nameOf(group, id)}</bdi>
              </span>
            ))}
          </p>
        )}
      </div>
    );
  }
  const isMe = holder.id === me;
  return (
    <figure class="spotlight" aria-label={isMe ? t('room:circle.youHaveFloor') : t('room:circle.hasFloor', { name: holder.name })}>
      <div class="spotlight__media">
        <SeatMedia seat={holder} large />
      </div>
      <figcaption class="spotlight__caption">
        <span class="spotlight__name">{isMe ? t('room:circle.youHaveFloor') : t('room:circle.hasFloor', { name: holder.name })}</span>
        {round && (
          <span class="spotlight__context" data-user-text={round.purpose === 'custom' ? '' : undefined}>
            {roundTitle(round)}
          </span>
        )}
        {group.floor.meToo > 0 && (
          <span class="spotlight__metoo">
            <Icon name="heart" class="icon icon--small" /> {t('room:circle.meToo', { count: group.floor.meToo })}
          </span>
        )}
        {turn.endsAt !== null && <CountdownRing startedAt={turn.startedAt} endsAt={turn.endsAt} warnAt={turn.warnAt} clockOffsetMs={snapshot.clockOffsetMs} size="large" />}
      </figcaption>
    </figure>
  );
}
