import { t } from '../i18n/index.js';

/** One select of microphones or cameras, as on the pre-join page and in the room's device dialog. */
export function DevicePicker({ id, label, devices, value, onChange }: { id: string; label: string; devices: MediaDeviceInfo[]; value: string | null | undefined; onChange(deviceId: string | null): void }) {
  return (
    <div class="field">
      <label class="field__label" for={id}>
        {label}
      </label>
      <select id={id} value={value ?? ''} disabled={devices.length === 0} onChange={(e) => onChange(e.currentTarget.value || null)}>
        {devices.length === 0 && <option value="">{t('room:devices.noneFound')}</option>}
        {devices.map((device, i) => (
          // A device's own name comes from the system, not from us.
          <option key={device.deviceId} value={device.deviceId} data-user-text={device.label ? '' : undefined}>
            {device.label || (device.kind === 'audioinput' ? t('room:devices.microphoneNumber', { number: i + 1 }) : t('room:devices.cameraNumber', { number: i + 1 }))}
          </option>
        ))}
      </select>
    </div>
  );
}
