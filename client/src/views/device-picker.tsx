/** One select of microphones or cameras, as on the pre-join page and in the room's device dialog. */
export function DevicePicker({ id, label, devices, value, onChange }: { id: string; label: 'Microphone' | 'Camera'; devices: MediaDeviceInfo[]; value: string | null | undefined; onChange(deviceId: string | null): void }) {
  return (
    <div class="field">
      <label class="field__label" for={id}>
        {label}
      </label>
      <select id={id} value={value ?? ''} disabled={devices.length === 0} onChange={(e) => onChange(e.currentTarget.value || null)}>
        {devices.length === 0 && <option value="">None found</option>}
        {devices.map((device, i) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || `${label} ${i + 1}`}
          </option>
        ))}
      </select>
    </div>
  );
}
