import { useState } from 'preact/hooks';
import { groupLimits } from '../../../shared/protocol/groups.js';
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
      aria-label="Where you are"
      onSubmit={(event) => {
        event.preventDefault();
        act({ type: 'location.confirm', location: location.trim() }, 'Thank you. Only the facilitator sees where you are.');
      }}
    >
      <TextField label="Where are you right now, in a few words?" hint="Only the facilitator sees it, in case you need help during the session." required maxLength={groupLimits.locationLength} value={location} onValue={setLocation} placeholder="At home in Leipzig" />
      <button type="submit" class="button button--small">
        Confirm
      </button>
    </form>
  );
}
