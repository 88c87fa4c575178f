import '../styles/facilitator.css';
import { useMemo, useRef, useState } from 'preact/hooks';
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
  { id: 'people', label: 'People', Panel: PeopleControls },
  { id: 'floor', label: 'Floor', Panel: FloorControls },
  { id: 'round', label: 'Round', Panel: RoundControls },
  { id: 'scene', label: 'Scene', Panel: SceneControls },
  { id: 'problem', label: 'Problem', Panel: ProblemControls },
  { id: 'feedback', label: 'Feedback', Panel: FeedbackControls },
  { id: 'agenda', label: 'Agenda', Panel: AgendaControls },
  { id: 'share', label: 'Share', Panel: ShareControls },
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
        Facilitator panel
      </h2>
      {coLeads.length > 0 && (
        <p class="field__hint" data-co-leads>
          Co-facilitating with <bdi>{listOfNames(coLeads.map((lead) => lead.name))}</bdi>: you both see this panel and can do everything in it.
        </p>
      )}
      <WaitingList />
      <AlertList />
      <div class="tabs" role="tablist" aria-label="Facilitator controls" onKeyDown={onKeyDown}>
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
            {tab.label}
            {busy[tab.id] && (
              <>
                <span class="tabs__live" aria-hidden="true">
                  {' '}
                  ●
                </span>
                <span class="visually-hidden">, running</span>
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
