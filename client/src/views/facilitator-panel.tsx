import '../styles/facilitator.css';
import { useMemo, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { useRoom } from '../session/room-context.js';
import { leads, listOfNames } from '../session/room-view.js';
import { AgendaControls } from './facilitator/agenda-controls.js';
import { AlertList } from './facilitator/alert-list.js';
import { EndSession } from './facilitator/end-session.js';
import { FeedbackControls } from './facilitator/feedback-controls.js';
import { FloorControls } from './facilitator/floor-controls.js';
import { ProblemControls } from './facilitator/problem-controls.js';
import { PeopleControls } from './facilitator/people-controls.js';
import { RoundControls } from './facilitator/round-controls.js';
import { SceneControls } from './facilitator/scene-controls.js';
import { NextTurnTimeBox } from './facilitator/time-box.js';
import { ShareControls } from './facilitator/share-controls.js';
import { WaitingList } from './facilitator/waiting-list.js';

const tabs = [
  { id: 'people', Panel: PeopleControls },
  { id: 'floor', Panel: FloorControls },
  { id: 'round', Panel: RoundControls },
  { id: 'scene', Panel: SceneControls },
  { id: 'problem', Panel: ProblemControls },
  { id: 'feedback', Panel: FeedbackControls },
  { id: 'agenda', Panel: AgendaControls },
  { id: 'share', Panel: ShareControls },
] as const;

type TabId = (typeof tabs)[number]['id'];

/** The facilitator's panel: who waits, who needs a moment, and the controls for each mechanic. */
export function FacilitatorPanel() {
  const { group, me } = useRoom();
  const coLeads = leads(group).filter((lead) => lead.id !== me);
  const [current, setCurrent] = useState<TabId>('people');
  const [timeBox, setTimeBox] = useState<number | undefined>(undefined);
  const nextTurn = useMemo(() => ({ seconds: timeBox, choose: setTimeBox }), [timeBox]);
  const tabButtons = useRef<(HTMLButtonElement | null)[]>([]);
  const active = tabs.find((tab) => tab.id === current)!;
  const busy: Partial<Record<TabId, boolean>> = {
    round: group.floor.heldBy === 'round',
    scene: group.scene !== null,
    problem: group.problem !== null,
    feedback: group.feedback.open !== null && group.feedback.open.id !== group.problem?.promptId,
    share: group.screenShare !== null || group.handout !== null,
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const at = tabs.findIndex((tab) => tab.id === current);
    const to = event.key === 'ArrowRight' ? at + 1 : event.key === 'ArrowLeft' ? at - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : null;
    if (to === null) return;
    event.preventDefault();
    const index = (to + tabs.length) % tabs.length;
    setCurrent(tabs[index]!.id);
    tabButtons.current[index]?.focus();
  };

  return (
    <section class="panel" id="panel" aria-labelledby="panel-title">
      <h2 id="panel-title" class="panel__title">
        {t('facilitator:panel.title')}
      </h2>
      {coLeads.length > 0 && (
        <p class="field__hint" data-co-leads>
          {/* The names are isolated so a right-to-left name cannot reorder the sentence around it. */}
          {t('facilitator:panel.coLeads', { names: `\u2068${listOfNames(coLeads.map((lead) => lead.name))}\u2069` })}
        </p>
      )}
      <WaitingList />
      <AlertList />
      <div class="tabs" role="tablist" aria-label={t('facilitator:panel.tabs')} onKeyDown={onKeyDown}>
        {tabs.map((tab, index) => (
          <button
            key={tab.id}
            ref={(element) => {
              tabButtons.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            class="tabs__tab"
            aria-selected={tab.id === current}
            aria-controls={`tabpanel-${tab.id}`}
            tabIndex={tab.id === current ? 0 : -1}
            onClick={() => setCurrent(tab.id)}
          >
            {t(`facilitator:panel.tab.${tab.id}`)}
            {busy[tab.id] && (
              <>
                <span class="tabs__live" aria-hidden="true">
                  {' '}
                  ●
                </span>
                <span class="visually-hidden">{t('facilitator:panel.running')}</span>
              </>
            )}
          </button>
        ))}
      </div>
      <div class="tabs__panel" role="tabpanel" id={`tabpanel-${active.id}`} aria-labelledby={`tab-${active.id}`}>
        <NextTurnTimeBox.Provider value={nextTurn}>
          <active.Panel />
        </NextTurnTimeBox.Provider>
      </div>
      <EndSession />
    </section>
  );
}
