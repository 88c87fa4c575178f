import '../styles/room.css';
import { useRoom } from '../session/room-context.js';
import { leads, listOfNames } from '../session/room-view.js';
import { ActivityPanel } from './activity-panel.js';
import { AgendaBar } from './agenda-bar.js';
import { Circle } from './circle.js';
import { EncryptionPanel } from './encryption-panel.js';
import { ConnectionBanner } from './connection-banner.js';
import { FacilitatorPanel } from './facilitator-panel.js';
import { Notices } from './notices.js';
import { RemoteAudio } from './remote-audio.js';
import { RoomControls } from './room-controls.js';
import { SceneStage } from './scene-stage.js';
import { ScreenStage } from './screen-stage.js';
import { t } from '../i18n/index.js';

/** The room once admitted: the circle (or the stage), what is happening now, and the controls. */
export function Room() {
  const { group, isFacilitator } = useRoom();
  return (
    <div class={`room${isFacilitator ? ' room--facilitator' : ''}`}>
      <a class="skip-link" href="#controls">
        {t('room:top.skipToControls')}
      </a>
      <header class="room__top">
        <h1 class="room__title" data-user-text>
          {group.title}
        </h1>
        <p class="room__leads" data-leads>
          {t('room:top.ledBy', { names: listOfNames(leads(group).map((lead) => lead.name)) })}
        </p>
        <AgendaBar />
        <EncryptionPanel />
      </header>
      <ConnectionBanner />
      <Notices />
      <div class="room__body">
        {/* Both panes focusable: at desktop size a scene's stage or a member's card can overflow them, and keyboard users must be able to scroll. */}
        <main class="room__main" id="circle" tabIndex={0}>
          {group.screenShare && <ScreenStage share={group.screenShare} />}
          {group.scene ? <SceneStage scene={group.scene} /> : <Circle />}
        </main>
        <aside class="room__side" tabIndex={0} aria-label={isFacilitator ? t('room:top.sideFacilitator') : t('room:top.sideMember')}>
          <ActivityPanel />
          {isFacilitator && <FacilitatorPanel />}
        </aside>
      </div>
      <RoomControls />
      <RemoteAudio />
    </div>
  );
}
