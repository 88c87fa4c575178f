import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { useRoom } from '../session/room-context.js';
import { floorModeHint, floorModeName } from '../session/room-view.js';
import { Icon } from './icons.js';

/** Where the session is: its phases in order, the current one marked in words, not only colour. */
export function AgendaBar() {
  const { group, isFacilitator, act } = useRoom();
  const { phases, current } = group.agenda;
  const theme = phases[current]?.theme;
  const list = useRef<HTMLOListElement>(null);
  // On a narrow screen the phases scroll sideways: keep the current one in sight.
  useEffect(() => {
    const now = list.current?.children[current] as HTMLElement | undefined;
    if (list.current && now) list.current.scrollLeft = Math.max(0, now.offsetLeft - list.current.offsetLeft - 16);
  }, [current]);
  return (
    <nav class="agenda" aria-label={t('room:agenda.label')}>
      {/* Focusable so keyboard users can scroll it where it scrolls sideways (a phone). */}
      <ol class="agenda__phases" ref={list} tabIndex={0} aria-label={t('room:agenda.phases')}>
        {phases.map((phase, index) => {
          const state = index < current ? 'past' : index === current ? 'now' : 'next';
          const content = (
            <>
              {state === 'past' && <Icon name="check" class="icon icon--small" />}
              <span data-user-text>{phase.name}</span>
              {state === 'now' && <span class="agenda__now">{t('room:agenda.now')}</span>}
            </>
          );
          return (
            <li key={index} class={`agenda__phase agenda__phase--${state}`} aria-current={state === 'now' ? 'step' : undefined}>
              {isFacilitator && state !== 'now' ? (
                <button type="button" class="agenda__go" title={t('room:agenda.moveTo', { name: phase.name })}
                  onClick={() => act({ type: 'phase.go', index }, t('room:agenda.movedSaid', { name: phase.name }))}>
                  {content}
                </button>
              ) : (
                <span class="agenda__label">{content}</span>
              )}
            </li>
          );
        })}
      </ol>
      {theme && (
        <p class="agenda__theme" data-theme>
          <span class="agenda__theme-label">{t('room:agenda.theme')} </span>
          <span data-user-text>{theme}</span>
        </p>
      )}
      <p class="agenda__floor" title={floorModeHint[group.floor.mode]}>
        <span class="visually-hidden">{t('room:agenda.floor')} </span>
        {floorModeName[group.floor.mode]}
        <span class="agenda__floor-hint"> · {floorModeHint[group.floor.mode]}</span>
      </p>
    </nav>
  );
}
