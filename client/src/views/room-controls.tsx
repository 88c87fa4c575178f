import { useEffect, useRef, useState } from 'preact/hooks';
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
    if (!media) return notify('Audio and video are still connecting. Try again in a moment.');
    const on = kind === 'mic' ? !media.state.local.micOn : !media.state.local.cameraOn;
    const result = kind === 'mic' ? await media.setMic(on) : await media.setCamera(on);
    if (!result.ok) return notify(result.message);
    say(`${kind === 'mic' ? 'Microphone' : 'Camera'} ${on ? 'on' : 'off'}.`);
  };
  return {
    mic: () => device('mic'),
    camera: () => device('camera'),
    hand: () => {
      if (self.role !== 'member' || connection.snapshot.group?.scene) return;
      // The latest group view this page holds (the room redraws a task after it arrives): the same
      // queue the button's label shows and the others see.
      const raised = connection.snapshot.group?.floor.queue.includes(self.you.id) ?? false;
      return raised ? act({ type: 'hand.lower' }, 'Hand lowered.') : act({ type: 'hand.raise' }, 'Hand raised.');
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
      const key = event.key.toLowerCase();
      const run = key === 'm' ? latest.current.mic : key === 'v' ? latest.current.camera : key === 'h' ? latest.current.hand : null;
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
        You have the floor, and your microphone is off. Press M to turn it on.
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
    <footer class="controls" id="controls" tabIndex={-1} aria-label="Your controls">
      <FloorNote />
      <div class="controls__row">
        <button
          type="button"
          class={`control${micOn ? '' : ' control--off'}`}
          aria-pressed={micOn}
          aria-keyshortcuts="M"
          onClick={() => void actions.mic()}
          disabled={!media}
        >
          <Icon name={micOn ? 'mic' : 'micOff'} />
          <span class="control__label">{micOn ? (silenced ? 'Mic paused' : 'Mic on') : 'Mic off'}</span>
          <kbd class="control__key">M</kbd>
        </button>
        <button
          type="button"
          class={`control${cameraOn ? '' : ' control--off'}`}
          aria-pressed={cameraOn}
          aria-keyshortcuts="V"
          onClick={() => void actions.camera()}
          disabled={!media}
        >
          <Icon name={cameraOn ? 'camera' : 'cameraOff'} />
          <span class="control__label">{cameraOn ? 'Camera on' : 'Camera off'}</span>
          <kbd class="control__key">V</kbd>
        </button>
        <button type="button" class="control" aria-haspopup="dialog" onClick={() => setDevicesOpen(true)} disabled={!media}>
          <Icon name="settings" />
          <span class="control__label">Devices</span>
        </button>
        <ReceiveModePicker />

        {/* The audience watches a scene: no raise-hand then (the server refuses it too). */}
        {!isFacilitator && !group.scene && (
          <button type="button" class={`control${hand ? ' control--active' : ''}`} aria-pressed={hand !== null} aria-keyshortcuts="H" onClick={() => void actions.hand()}>
            <Icon name="hand" />
            <span class="control__label">{hand ? `Hand up · number ${hand}` : 'Raise hand'}</span>
            <kbd class="control__key">H</kbd>
          </button>
        )}

        {!isFacilitator && turn && !holdsFloor && (
          <button
            type="button"
            class="control"
            disabled={meTooFor === turn.startedAt}
            onClick={async () => {
              if (await act({ type: 'meToo' }, 'You sent a quiet me too.')) setMeTooFor(turn.startedAt);
            }}
          >
            <Icon name="heart" />
            <span class="control__label">{meTooFor === turn.startedAt ? 'Me too sent' : 'Me too'}</span>
          </button>
        )}

        {group.floor.heldBy === 'round' && group.round?.current === me && (
          // On a phone the round card is below the circle: the turn's two answers sit here too.
          <>
            <button type="button" class="control control--primary control--phone-only" onClick={() => act({ type: 'turn.done' }, 'Thank you. Your turn is done.')}>
              <Icon name="check" />
              <span class="control__label">I'm done</span>
            </button>
            <button type="button" class="control control--phone-only" onClick={() => act({ type: 'round.pass' }, 'You passed. That is fine.')}>
              <span class="control__label">Pass</span>
            </button>
          </>
        )}
        {holdsFloor && group.floor.heldBy !== 'round' && (
          <button type="button" class="control control--primary" onClick={() => act({ type: 'turn.done' }, stick ? 'Thank you. The stick moves on.' : 'Thank you. The floor is open.')}>
            <Icon name="check" />
            <span class="control__label">I'm done</span>
          </button>
        )}
        {stick && (holdsFloor || isFacilitator) && (
          <>
            <button type="button" class="control" onClick={() => act({ type: 'stick.pass', direction: 'previous' }, 'You passed the stick back.')}>
              <span class="control__label">← Pass back</span>
            </button>
            <button type="button" class="control" onClick={() => act({ type: 'stick.pass', direction: 'next' }, 'You passed the stick on.')}>
              <Icon name="stick" />
              <span class="control__label">{isFacilitator && !turn ? 'Start the stick' : 'Pass the stick →'}</span>
            </button>
          </>
        )}

        {!isFacilitator &&
          (steppedAway ? (
            <button type="button" class="control control--active" onClick={() => act({ type: 'moment.back' }, 'Welcome back.')}>
              <Icon name="pause" />
              <span class="control__label">I'm back</span>
            </button>
          ) : (
            <button type="button" class="control" aria-haspopup="dialog" onClick={() => setMomentOpen(true)}>
              <Icon name="pause" />
              <span class="control__label">I need a moment</span>
            </button>
          ))}

        {isFacilitator && (
          // On a phone the panel sits below the circle: one tap brings its tabs and main actions into sight.
          <a class="control control--phone-only" href="#panel">
            <Icon name="stick" />
            <span class="control__label">Panel</span>
          </a>
        )}

        <button type="button" class="control control--leave" aria-haspopup="dialog" onClick={() => setLeaveOpen(true)}>
          <Icon name="leave" />
          <span class="control__label">Leave</span>
        </button>
      </div>
      <p class="controls__keys" aria-hidden="true">
        Shortcuts: <kbd>M</kbd> microphone · <kbd>V</kbd> camera{isFacilitator ? '' : <> · <kbd>H</kbd> hand</>}
      </p>
      {momentOpen && (
        <MomentDialog
          onClose={() => setMomentOpen(false)}
          onChoose={async (tellGroup) => {
            setMomentOpen(false);
            await act({ type: 'moment.need', tellGroup }, 'The facilitator knows you need a moment.');
          }}
        />
      )}
      {devicesOpen && <DevicesDialog onClose={() => setDevicesOpen(false)} />}
      {leaveOpen && <LeaveDialog isFacilitator={isFacilitator} onClose={() => setLeaveOpen(false)} onLeave={room.leave} />}
    </footer>
  );
}
