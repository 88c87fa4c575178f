import { useState } from 'preact/hooks';
import { groupLimits } from '../../../shared/protocol/groups.js';
import { t } from '../i18n/index.js';
import { useRoom } from '../session/room-context.js';
import { TextField } from './text-field.js';

/** At a standing group's check-in, a member says where they are in a few words; only the facilitator sees it. */
export function LocationPrompt() {
  const { self, act } = useRoom();
  const [location, setLocation] = useState('');
  if (self.role !== 'member' || !self.group || self.group.location !== null) return null;
  return (
    <form
      class="inline-form location-prompt"
      aria-label={t('room:location.label')}
      onSubmit={(event) => {
        event.preventDefault();
        act({ type: 'location.confirm', location: location.trim() }, t('room:location.confirmedSaid'));
      }}
    >
      <TextField
        label={t('room:location.question')}
        hint={t('room:location.hint')}
        required
        maxLength={groupLimits.locationLength}
        value={location}
        onValue={setLocation}
        placeholder={t('room:location.placeholder')}
      />
      <button type="submit" class="button button--small">
        {t('room:location.confirm')}
      </button>
    </form>
  );
}
