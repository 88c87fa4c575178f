import { useEffect, useState } from 'preact/hooks';
import { listDevices } from '../media/devices.js';
import { notify } from '../session/notices.js';
import { useMedia, useRoom } from '../session/room-context.js';
import { DevicePicker } from './device-picker.js';
import { ModalDialog } from './modal-dialog.js';

/** Switch microphone or camera in the room (a headset plugged in mid-session): the others keep receiving. */
export function DevicesDialog({ onClose }: { onClose(): void }) {
  const { media, say } = useRoom();
  const stream = useMedia((state) => state?.local.stream ?? null);
  const [devices, setDevices] = useState<{ audio: MediaDeviceInfo[]; video: MediaDeviceInfo[] }>({ audio: [], video: [] });
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const refresh = () => listDevices().then(setDevices, () => undefined);
    void refresh();
    navigator.mediaDevices?.addEventListener('devicechange', refresh);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', refresh);
  }, []);

  const tracks = stream?.getTracks() ?? [];
  const inUse = (kind: 'audio' | 'video') => tracks.find((track) => track.kind === kind)?.getSettings().deviceId ?? null;
  const choose = async (kind: 'audio' | 'video', deviceId: string | null) => {
    if (!media || !deviceId || deviceId === inUse(kind)) return;
    setBusy(true);
    await media.switchDevice(kind, deviceId);
    setBusy(false);
    if (media.state.error) return notify(media.state.error);
    const name = devices[kind].find((device) => device.deviceId === deviceId)?.label;
    say(`${kind === 'audio' ? 'Microphone' : 'Camera'} switched${name ? ` to ${name}` : ''}.`);
  };

  return (
    <ModalDialog labelledBy="devices-title" onClose={onClose}>
      <h2 id="devices-title">Microphone and camera</h2>
      <div class="pickers" aria-busy={busy}>
        {inUse('audio') !== null ? (
          <DevicePicker id="room-microphone" label="Microphone" devices={devices.audio} value={inUse('audio')} onChange={(id) => void choose('audio', id)} />
        ) : (
          <p class="field__hint">Your microphone is not in use. Turn it on with M first.</p>
        )}
        {inUse('video') !== null ? (
          <DevicePicker id="room-camera" label="Camera" devices={devices.video} value={inUse('video')} onChange={(id) => void choose('video', id)} />
        ) : (
          <p class="field__hint">Your camera is off. Turn it on with V to choose one.</p>
        )}
      </div>
      <div class="button-row">
        <button type="button" class="button" onClick={onClose}>
          Done
        </button>
      </div>
    </ModalDialog>
  );
}
