import { t } from '../i18n/index.js';
import { useServerNow } from '../session/store.js';
import { formatDuration } from '../session/room-view.js';

const RADIUS = 44;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

/** A time box drawn from the server's absolute deadline, corrected by the measured clock offset. */
export function CountdownRing({
  startedAt,
  endsAt,
  warnAt,
  clockOffsetMs,
  size = 'small',
  frozenAt = null,
}: {
  startedAt: number;
  endsAt: number;
  warnAt: number | null;
  clockOffsetMs: number;
  size?: 'small' | 'large';
  /** A frozen timer shows the time left at the moment it stopped. */
  frozenAt?: number | null;
}) {
  const ticking = useServerNow(clockOffsetMs, frozenAt === null);
  const now = frozenAt ?? ticking;
  const total = Math.max(1, endsAt - startedAt);
  const left = Math.max(0, endsAt - now);
  const warn = (warnAt !== null && now >= warnAt) || left === 0;
  const words = left === 0 ? t('room:ring.up') : warn ? t('room:ring.almostLeft', { time: formatDuration(left) }) : t('room:ring.left', { time: formatDuration(left) });
  return (
    <div class={`ring ring--${size}${warn ? ' ring--warn' : ''}`} role="timer" aria-label={words}>
      <svg viewBox="0 0 100 100" aria-hidden="true" focusable="false">
        <circle class="ring__track" cx="50" cy="50" r={RADIUS} />
        <circle
          class="ring__left"
          cx="50"
          cy="50"
          r={RADIUS}
          stroke-dasharray={CIRCUMFERENCE.toFixed(2)}
          stroke-dashoffset={(CIRCUMFERENCE * (1 - left / total)).toFixed(2)}
          transform="rotate(-90 50 50)"
        />
      </svg>
      <span class="ring__time" aria-hidden="true">
        {formatDuration(left)}
      </span>
      {warn && size === 'large' && (
        <span class="ring__note" aria-hidden="true">
          {left === 0 ? t('room:ring.noteUp') : t('room:ring.noteAlmost')}
        </span>
      )}
    </div>
  );
}
