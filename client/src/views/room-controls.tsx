import { useEffect, useRef, useState } from 'preact/hooks';
import { explain, t } from '../i18n/index.js';
import { notify } from '../session/notices.js';
import { useMedia, useRoom, type RoomContext } from '../session/room-context.js';
import { queueNumber, silenceForMe } from '../session/room-view.js';
import { useRoomSelect } from '../session/store.js';
import { DevicesDialog } from './devices-dialog.js';
import { Icon } from './icons.js';
import { LeaveDialog } from './leave-dialog.js';
import { MomentDialog } from './moment-dialog.js';
import { ReceiveModePicker } from './receive-mode.js';

type Toggles = ReturnType<typeof toggles>;

function toggles(room: RoomContext) {
  const { media, self, connection, act, say } = room;
  const device = async (kind: 'mic' | 'camera') => {
    if (!media) return notify(t('room:controls.stillConnecting'));
    const on = kind === 'mic' ? !media.state.local.micOn : !media.state.local.cameraOn;
    const result = kind === 'mic' ? await media.setMic(on) : await media.setCamera(on);
    if (!result.ok) return notify(explain(result));
    if (kind === 'mic') say(on ? t('room:controls.micOnSaid') : t('room:controls.micOffSaid'));
    else say(on ? t('room:controls.cameraOnSaid') : t('room:controls.cameraOffSaid'));
  };
  return {
    mic: () => device('mic'),
    camera: () => device('camera'),
    hand: () => {
      if (self.role !== 'member' || connection.snapshot.group?.scene) return;
      // The latest group view this page holds (the room redraws a task after it arrives): the same
      // queue the button's label shows and the others see.
      const raised = connection.snapshot.group?.floor.queue.includes(self.you.id) ?? false;
      return raised ? act({ type: 'hand.lower' }, t('room:controls.handLoweredSaid')) : act({ type: 'hand.raise' }, t('room:controls.handRaisedSaid'));
    },
  };
}

/** M, V and H work anywhere except while typing. */
function useShortcuts(actions: Toggles) {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('textarea, select, [contenteditable="true"], input:not([type=checkbox]):not([type=radio]):not([type=button])')) return;
      if (target?.closest('dialog[open]')) return;
      // The keys are in the catalogue, so what the page says and what it listens for are the same.
      const key = event.key.toUpperCase();
      const run = key === t('room:controls.key.mic') ? latest.current.mic : key === t('room:controls.key.camera') ? latest.current.camera : key === t('room:controls.key.hand') ? latest.current.hand : null;
      if (!run) return;
      event.preventDefault();
      void run();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

/**
 * What the floor does to the person's own microphone, drawn from small readings as soon as the
 * message arrives: the SFU silences them at once, and they must not keep talking into silence.
 */
function FloorNote() {
  const { connection, me } = useRoom();
  const silenced = useRoomSelect(connection, (snapshot) => snapshot.group?.seats.find((seat) => seat.id === me)?.silenced ?? null);
  const holdsFloor = useRoomSelect(connection, (snapshot) => snapshot.group?.floor.turn?.holder === me);
  const micOn = useMedia((state) => state?.local.micOn ?? false);
  if (micOn && silenced) {
    return (
      <p class="controls__note" role="status">
        {silenceForMe[silenced]}
      </p>
    );
  }
  if (!micOn && !silenced && holdsFloor) {
    return (
      <p class="controls__note" role="status">
        {t('room:controls.micOffWithFloor')}
      </p>
    );
  }
  return null;
}

/** The person's own controls: devices, hand, me too, their turn, a moment, leaving. */
export function RoomControls() {
  const room = useRoom();
  const { group, self, me, media, isFacilitator, act } = room;
  const actions = toggles(room);
  useShortcuts(actions);
  const [momentOpen, setMomentOpen] = useState(false);
  const [leaveOpen, setLeaveOpen] = useState(false);
  const [devicesOpen, setDevicesOpen] = useState(false);
  const turn = group.floor.turn;
  const [meTooFor, setMeTooFor] = useState<number | null>(null);

  const micOn = useMedia((state) => state?.local.micOn ?? false);
  const cameraOn = useMedia((state) => state?.local.cameraOn ?? false);
  const silenced = group.seats.find((seat) => seat.id === me)?.silenced ?? null;
  const hand = queueNumber(group, me);
  const holdsFloor = turn?.holder === me;
  const stick = group.floor.stick;
  const steppedAway = self.role === 'member' ? self.steppedAway : null;

  return (
    <footer class="controls" id="controls" tabIndex={-1} aria-label={t('room:controls.label')}>
      <FloorNote />
      <div class="controls__row">
        <button
          type="button"
          class={`control${micOn ? '' : ' control--off'}`}
          aria-pressed={micOn}
          aria-keyshortcuts={t('room:controls.key.mic')}
          onClick={() => void actions.mic()}
          disabled={!media}
        >
          <Icon name={micOn ? 'mic' : 'micOff'} />
          <span class="control__label">{micOn ? (silenced ? t('room:controls.micPaused') : t('room:controls.micOn')) : t('room:controls.micOff')}</span>
          <kbd class="control__key">{t('room:controls.key.mic')}</kbd>
        </button>
        <button
          type="button"
          class={`control${cameraOn ? '' : ' control--off'}`}
          aria-pressed={cameraOn}
          aria-keyshortcuts={t('room:controls.key.camera')}
          onClick={() => void actions.camera()}
          disabled={!media}
        >
          <Icon name={cameraOn ? 'camera' : 'cameraOff'} />
          <span class="control__label">{cameraOn ? t('room:controls.cameraOn') : t('room:controls.cameraOff')}</span>
          <kbd class="control__key">{t('room:controls.key.camera')}</kbd>
        </button>
        <button type="button" class="control" aria-haspopup="dialog" onClick={() => setDevicesOpen(true)} disabled={!media}>
          <Icon name="settings" />
          <span class="control__label">{t('room:controls.devices')}</span>
        </button>
        <ReceiveModePicker />

        {/* The audience watches a scene: no raise-hand then (the server refuses it too). */}
        {!isFacilitator && !group.scene && (
          <button type="button" class={`control${hand ? ' control--active' : ''}`} aria-pressed={hand !== null} aria-keyshortcuts={t('room:controls.key.hand')} onClick={() => void actions.hand()}>
            <Icon name="hand" />
            <span class="control__label">{hand ? t('room:controls.handUp', { number: hand }) : t('room:controls.raiseHand')}</span>
            <kbd class="control__key">{t('room:controls.key.hand')}</kbd>
          </button>
        )}

        {!isFacilitator && turn && !holdsFloor && (
          <button
            type="button"
            class="control"
            disabled={meTooFor === turn.startedAt}
            onClick={async () => {
              if (await act({ type: 'meToo' }, t('room:controls.meTooSaid'))) setMeTooFor(turn.startedAt);
            }}
          >
            <Icon name="heart" />
            <span class="control__label">{meTooFor === turn.startedAt ? t('room:controls.meTooSent') : t('room:controls.meToo')}</span>
          </button>
        )}

        {group.floor.heldBy === 'round' && group.round?.current === me && (
          // On a phone the round card is below the circle: the turn's two answers sit here too.
          <>
            <button type="button" class="control control--primary control--phone-only" onClick={() => act({ type: 'turn.done' }, t('room:round.doneSaid'))}>
              <Icon name="check" />
              <span class="control__label">{t('room:round.done')}</span>
            </button>
            <button type="button" class="control control--phone-only" onClick={() => act({ type: 'round.pass' }, t('room:round.passSaid'))}>
              <span class="control__label">{t('room:round.pass')}</span>
            </button>
          </>
        )}
        {holdsFloor && group.floor.heldBy !== 'round' && (
          <button type="button" class="control control--primary" onClick={() => act({ type: 'turn.done' }, stick ? t('room:controls.stickMovesSaid') : t('room:controls.floorOpenSaid'))}>
            <Icon name="check" />
            <span class="control__label">{t('room:round.done')}</span>
          </button>
        )}
        {stick && (holdsFloor || isFacilitator) && (
          <>
            <button type="button" class="control" onClick={() => act({ type: 'stick.pass', direction: 'previous' }, t('room:controls.passBackSaid'))}>
              <span class="control__label">{t('room:controls.passBack')}</span>
            </button>
            <button type="button" class="control" onClick={() => act({ type: 'stick.pass', direction: 'next' }, t('room:controls.passOnSaid'))}>
              <Icon name="stick" />
              <span class="control__label">{isFacilitator && !turn ? t('room:controls.startStick') : t('room:controls.passOn')}</span>
            </button>
          </>
        )}

        {!isFacilitator &&
          (steppedAway ? (
            <button type="button" class="control control--active" onClick={() => act({ type: 'moment.back' }, t('room:controls.backSaid'))}>
              <Icon name="pause" />
              <span class="control__label">{t('room:controls.back')}</span>
            </button>
          ) : (
            <button type="button" class="control" aria-haspopup="dialog" onClick={() => setMomentOpen(true)}>
              <Icon name="pause" />
              <span class="control__label">{t('room:controls.needMoment')}</span>
            </button>
          ))}

        {isFacilitator && (
          // On a phone the panel sits below the circle: one tap brings its tabs and main actions into sight.
          <a class="control control--phone-only" href="#panel">
            <Icon name="stick" />
            <span class="control__label">{t('room:controls.panel')}</span>
          </a>
        )}

        <button type="button" class="control control--leave" aria-haspopup="dialog" onClick={() => setLeaveOpen(true)}>
          <Icon name="leave" />
          <span class="control__label">{t('room:controls.leave')}</span>
        </button>
      </div>
      <p class="controls__keys" aria-hidden="true">
        {t('room:controls.shortcuts')} <kbd>{t('room:controls.key.mic')}</kbd> {t('room:controls.keyMicrophone')} · <kbd>{t('room:controls.key.camera')}</kbd>{' '}
        {t('room:controls.keyCamera')}
        {!isFacilitator && (
          <>
            {' · '}
            <kbd>{t('room:controls.key.hand')}</kbd> {t('room:controls.keyHand')}
          </>
        )}
      </p>
      {momentOpen && (
        <MomentDialog
          onClose={() => setMomentOpen(false)}
          onChoose={async (tellGroup) => {
            setMomentOpen(false);
            await act({ type: 'moment.need', tellGroup }, t('room:controls.momentSaid'));
          }}
        />
      )}
      {devicesOpen && <DevicesDialog onClose={() => setDevicesOpen(false)} />}
      {leaveOpen && <LeaveDialog isFacilitator={isFacilitator} onClose={() => setLeaveOpen(false)} onLeave={room.leave} />}
    </footer>
  );
}
