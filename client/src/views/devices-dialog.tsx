import { useEffect, useState } from 'preact/hooks';
import { listDevices } from '../media/devices.js';
import { t } from '../i18n/index.js';
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
    if (kind === 'audio') say(name ? t('room:devices.micSwitchedTo', { name }) : t('room:devices.micSwitched'));
    else say(name ? t('room:devices.cameraSwitchedTo', { name }) : t('room:devices.cameraSwitched'));
  };

  return (
    <ModalDialog labelledBy="devices-title" onClose={onClose}>
      <h2 id="devices-title">{t('room:devices.title')}</h2>
      <div class="pickers" aria-busy={busy}>
        {inUse('audio') !== null ? (
          <DevicePicker id="room-microphone" label={t('room:devices.microphone')} devices={devices.audio} value={inUse('audio')} onChange={(id) => void choose('audio', id)} />
        ) : (
          <p class="field__hint">{t('room:devices.micNotInUse')}</p>
        )}
        {inUse('video') !== null ? (
          <DevicePicker id="room-camera" label={t('room:devices.camera')} devices={devices.video} value={inUse('video')} onChange={(id) => void choose('video', id)} />
        ) : (
          <p class="field__hint">{t('room:devices.cameraOff')}</p>
        )}
      </div>
      <div class="button-row">
        <button type="button" class="button" onClick={onClose}>
          {t('room:devices.done')}
        </button>
      </div>
    </ModalDialog>
  );
}
