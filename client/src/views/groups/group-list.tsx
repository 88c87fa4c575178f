import { useEffect, useState } from 'preact/hooks';
import { limits } from '../../../../shared/protocol/fields.js';
import { groupLimits, weekdays, type CreateGroup } from '../../../../shared/protocol/groups.js';
import { defaultAgenda } from '../../../../shared/session/agenda.js';
import { ApiRefusal } from '../../session/http-api.js';
import { groupsApi, type GroupSummary } from '../../session/groups-api.js';
import { navigate } from '../app.js';
import { cadenceInWords, momentInWords } from './when.js';
import { TextField } from '../text-field.js';

/** A new group starts with the room's usual agenda, the check-in asking how members arrive since last time. */
const startingAgenda: CreateGroup['agenda'] = defaultAgenda.phases.map((phase) => ({
  ...phase,
  prompts: phase.name === 'Check-in' ? ['How do you arrive since the last meeting?'] : [],
}));

/** The facilitator's standing groups with their next session, and a form to start a new one. */
export function GroupList({ facilitatorKey, refuse }: { facilitatorKey: string; refuse(error: unknown): void }) {
  const [groups, setGroups] = useState<GroupSummary[] | 'off' | null>(null);
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    groupsApi.list(facilitatorKey).then(setGroups, (error: unknown) => {
      // A server run with RECORDS_ENABLED=false has no groups API: the console shows rooms only.
      if (error instanceof ApiRefusal && error.code === 'NOT_FOUND') setGroups('off');
      else refuse(error);
    });
  }, [facilitatorKey]);
  if (groups === 'off') return null;

  return (
    <section aria-labelledby="groups-title">
      <div class="console__section-head">
        <h2 id="groups-title" class="section-title">
          Groups that meet every week
        </h2>
        {!creating && (
          <button type="button" class="button" onClick={() => setCreating(true)}>
            New group
          </button>
        )}
      </div>
      {creating && (
        <NewGroupForm
          onCancel={() => setCreating(false)}
          onCreate={async (group) => {
            try {
              const created = await groupsApi.create(facilitatorKey, group);
              setCreating(false);
              navigate(`/facilitate/groups/${created.id}`);
            } catch (error) {
              refuse(error);
            }
          }}
        />
      )}
      {groups === null ? (
        <p class="quiet">Loading…</p>
      ) : groups.length === 0 ? (
        <p class="quiet">No groups yet. A group keeps its members, their goals and your notes from one week to the next.</p>
      ) : (
        <ul class="room-list">
          {groups.map((group) => (
            <li key={group.id} class="room-list__item" data-group={group.name}>
              <div class="room-list__main">
                <h3 class="room-list__title">{group.name}</h3>
                <p class="field__hint">
                  {group.closedAt ? 'Closed' : `${cadenceInWords(group.cadence)} · next: ${momentInWords(group.nextSessionAt)}`} · {group.members ?? 0} of {group.memberCap} members
                </p>
              </div>
              <a
                class="button button--primary"
                href={`/facilitate/groups/${group.id}`}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(`/facilitate/groups/${group.id}`);
                }}
              >
                Open <span class="visually-hidden">{group.name}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NewGroupForm({ onCreate, onCancel }: { onCreate(group: CreateGroup): Promise<void>; onCancel(): void }) {
  const [name, setName] = useState('');
  const [agreement, setAgreement] = useState('What is said in the group stays in the group. We speak for ourselves. We come on time, or say when we cannot.');
  const [weekday, setWeekday] = useState<(typeof weekdays)[number]>('tuesday');
  const [time, setTime] = useState('18:00');
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [feedbackK, setFeedbackK] = useState(3);
  const [memberCap, setMemberCap] = useState(8);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card stack"
      aria-label="New group"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        await onCreate({ name: name.trim(), agreement: agreement.trim(), cadence: { weekday, time, timeZone: timeZone.trim(), durationMinutes: 90 }, agenda: startingAgenda, feedbackK, memberCap });
        setBusy(false);
      }}
    >
      <h3 class="card__title">New group</h3>
      <TextField label="Name of the group" required maxLength={limits.titleLength} value={name} onValue={setName} placeholder="Tuesday evening group" />
      <label class="field">
        <span class="field__label">Group agreement</span>
        <span class="field__hint">Members read it before they join each session.</span>
        <textarea required rows={3} maxLength={groupLimits.agreementLength} value={agreement} onInput={(e) => setAgreement(e.currentTarget.value)} />
      </label>
      <div class="console__row">
        <label class="field">
          <span class="field__label">Meets every</span>
          <select value={weekday} onChange={(e) => setWeekday(e.currentTarget.value as (typeof weekdays)[number])}>
            {weekdays.map((day) => (
              <option key={day} value={day}>
                {day[0]!.toUpperCase() + day.slice(1)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field__label">At</span>
          <input type="time" required value={time} onInput={(e) => setTime(e.currentTarget.value)} />
        </label>
        <TextField label="Time zone" required maxLength={64} value={timeZone} onValue={setTimeZone} placeholder="Europe/Berlin" />
      </div>
      <div class="console__row">
        <label class="field">
          <span class="field__label">Feedback is shown once this many have answered</span>
          <input type="number" min={limits.feedbackMinK} max={12} required value={feedbackK} onInput={(e) => setFeedbackK(Number(e.currentTarget.value))} />
        </label>
        <label class="field">
          <span class="field__label">Most members</span>
          <input type="number" min={2} max={groupLimits.memberCap} required value={memberCap} onInput={(e) => setMemberCap(Number(e.currentTarget.value))} />
        </label>
      </div>
      <div class="button-row">
        <button type="submit" class="button button--primary" disabled={busy}>
          Create group
        </button>
        <button type="button" class="button button--quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
