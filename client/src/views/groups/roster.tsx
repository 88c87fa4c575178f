import { useState } from 'preact/hooks';
import { limits } from '../../../../shared/protocol/fields.js';
import { groupLimits } from '../../../../shared/protocol/groups.js';
import { groupsApi, type Goal, type RosterMember } from '../../session/groups-api.js';
import { notify } from '../../session/notices.js';
import { TextField } from '../text-field.js';

interface RosterProps {
  facilitatorKey: string;
  groupId: string;
  members: RosterMember[];
  goals: Record<string, Goal[]>;
  full: boolean;
  refuse(error: unknown): void;
  reload(): Promise<void>;
}

/** The group's members: add one, give out or end their personal link, let them leave. */
export function Roster({ facilitatorKey, groupId, members, goals, full, refuse, reload }: RosterProps) {
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [links, setLinks] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const show = async (memberId: string, link: string, told: string) => {
    setLinks((held) => ({ ...held, [memberId]: link }));
    await navigator.clipboard.writeText(link).then(
      () => notify(told, 'info'),
      () => notify('Copy the personal link from the box below the member.', 'info'),
    );
  };
  const act = async (run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      refuse(error);
    }
  };
  const current = members.filter((member) => !member.leftAt);

  return (
    <section aria-labelledby="roster-title" class="card">
      <h2 id="roster-title" class="card__title">
        Members
      </h2>
      {current.length === 0 ? (
        <p class="quiet">No members yet. Add them here; each gets a personal link that works every week.</p>
      ) : (
        <ul class="room-list">
          {current.map((member) => (
            <li key={member.id} class="room-list__item room-list__item--stacked" data-member={member.name}>
              <div class="room-list__main">
                <h3 class="room-list__title">{member.name}</h3>
                <p class="field__hint">
                  {member.hasLink ? 'Has a personal link' : 'No working link'}
                  {member.emergencyContact ? ` · Emergency contact: ${member.emergencyContact}` : ' · No emergency contact'}
                </p>
                {(goals[member.id] ?? []).map((goal) => (
                  <p key={goal.id} class="field__hint" data-goal>
                    Goal{goal.visibleToGroup ? ' (shared with the group)' : ' (private)'}: {goal.text}
                    {goal.progress.length > 0 ? ` · latest progress: ${goal.progress[goal.progress.length - 1]!.note}` : ''}
                  </p>
                ))}
              </div>
              <div class="button-row">
                <button
                  type="button"
                  class="button"
                  onClick={() =>
                    act(async () => {
                      if (member.hasLink && !confirm(`Give ${member.name} a new personal link? The link they have now stops working.`)) return;
                      await show(member.id, await groupsApi.issueLink(facilitatorKey, groupId, member.id), `A new personal link for ${member.name} is copied. Send it to them privately; their old link no longer works.`);
                      await reload();
                    })
                  }
                >
                  {member.hasLink ? 'New personal link' : 'Give a personal link'} <span class="visually-hidden">for {member.name}</span>
                </button>
                {member.hasLink && (
                  <button
                    type="button"
                    class="button button--quiet"
                    onClick={() =>
                      act(async () => {
                        if (!confirm(`End ${member.name}'s personal link? It stops working at once, also in a session they are in.`)) return;
                        await groupsApi.revokeLink(facilitatorKey, groupId, member.id);
                        setLinks(({ [member.id]: _, ...rest }) => rest);
                        notify(`${member.name}'s link no longer works.`, 'info');
                        await reload();
                      })
                    }
                  >
                    End link <span class="visually-hidden">of {member.name}</span>
                  </button>
                )}
                <button
                  type="button"
                  class="button button--quiet"
                  onClick={() =>
                    act(async () => {
                      if (!confirm(`Remove ${member.name} from the group? Their seat is freed and their link ends; their records are kept until the group's retention ends.`)) return;
                      await groupsApi.removeMember(facilitatorKey, groupId, member.id);
                      await reload();
                    })
                  }
                >
                  Remove <span class="visually-hidden">{member.name}</span> from the group
                </button>
              </div>
              {links[member.id] && (
                <label class="field room-list__invite">
                  <span class="field__label">Personal link for {member.name} (works every week; send it to them only)</span>
                  <input type="text" readOnly value={links[member.id]} onFocus={(e) => e.currentTarget.select()} data-member-link />
                </label>
              )}
            </li>
          ))}
        </ul>
      )}
      {full ? (
        <p class="quiet">The group is full.</p>
      ) : (
        <form
          class="console__create"
          aria-label="Add a member"
          onSubmit={async (event) => {
            event.preventDefault();
            setBusy(true);
            await act(async () => {
              const added = await groupsApi.addMember(facilitatorKey, groupId, name.trim(), contact.trim() || undefined);
              setName('');
              setContact('');
              await reload();
              await show(added.member.id, added.link, `${added.member.name} is added. Their personal link is copied: send it to them privately.`);
            });
            setBusy(false);
          }}
        >
          <TextField label="Member's name" required maxLength={limits.nameLength} value={name} onValue={setName} />
          <TextField label="Emergency contact (optional)" maxLength={groupLimits.contactLength} value={contact} onValue={setContact} placeholder="Name and phone number" />
          <button type="submit" class="button button--primary" disabled={busy}>
            Add member
          </button>
        </form>
      )}
    </section>
  );
}
