import '../styles/stage.css';
import type { Scene } from '../../../shared/session/state.js';
import { t } from '../i18n/index.js';
import { useRoom } from '../session/room-context.js';
import { castKindName, castPart, seatOf } from '../session/room-view.js';
import { CountdownRing } from './countdown-ring.js';
import { SeatTile } from './seat-tile.js';

/** Role-play: the cast large on stage with their roles, the audience small, in seat order. */
export function SceneStage({ scene }: { scene: Scene }) {
  const { group, me, snapshot, isFacilitator } = useRoom();
  const mine = castPart(scene, me);
  const audience = group.seats.filter((seat) => !castPart(scene, seat.id));
  const frozen = scene.frozenAt !== null;
  return (
    <section class={`stage${frozen ? ' stage--frozen' : ''}`} aria-labelledby="stage-title">
      <header class="stage__head">
        <div>
          <p class="stage__kicker">{t('room:stage.kicker')}</p>
          <h2 id="stage-title" class="stage__title" data-user-text>
            {scene.title}
          </h2>
          {scene.setting && (
            <p class="stage__setting" data-user-text>
              {scene.setting}
            </p>
          )}
        </div>
        {scene.endsAt !== null && (
          <CountdownRing
            startedAt={scene.startedAt}
            endsAt={scene.endsAt}
            warnAt={null}
            clockOffsetMs={snapshot.clockOffsetMs}
            size="large"
            frozenAt={scene.frozenAt}
          />
        )}
      </header>
      {frozen && (
        <p class="stage__frozen" role="status">
          {t('room:stage.frozen')}
        </p>
      )}
      <p class="stage__you">
        {mine ? t(`room:stage.youPlay.${mine.kind}`, { role: mine.role }) : isFacilitator ? t('room:stage.directing') : t('room:stage.audienceYou')}
      </p>
      <ul class="stage__cast" aria-label={t('room:stage.cast')}>
        {scene.cast.map((part, index) => {
          const seat = seatOf(group, part.memberId);
          if (!seat) return null;
          return (
            <li key={index} class={`stage__part stage__part--${part.kind}`}>
              <p class="stage__role">
                <span class="stage__role-name" data-user-text>
                  {part.role}
                </span>
                <span class="stage__role-kind">{part.behind !== undefined ? t('room:stage.doubleOf', { role: part.role }) : castKindName[part.kind]}</span>
              </p>
              <SeatTile seat={seat} number={group.seats.indexOf(seat) + 1} size="stage" />
            </li>
          );
        })}
      </ul>
      <div class="stage__audience">
        <h3 class="stage__audience-title">{t('room:stage.audience')}</h3>
        <ul class="stage__audience-seats">
          {audience.map((seat) => (
            <li key={seat.id}>
              <SeatTile seat={seat} number={group.seats.indexOf(seat) + 1} size="audience" />
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
