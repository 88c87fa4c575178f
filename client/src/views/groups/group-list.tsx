import { useEffect, useState } from 'preact/hooks';
import { limits } from '../../../../shared/protocol/fields.js';
import { groupLimits, weekdays, type CreateGroup } from '../../../../shared/protocol/groups.js';
import { ApiRefusal } from '../../session/http-api.js';
import { groupsApi, type GroupSummary } from '../../session/groups-api.js';
import { navigate } from '../app.js';
import { cadenceInWords, momentInWords, weekdayName } from './when.js';
import { startingAgenda } from './starting-agenda.js';
import { t } from '../../i18n/index.js';
import { TextField } from '../text-field.js';

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
          {t('console:groups.title')}
        </h2>
        {!creating && (
          <button type="button" class="button" onClick={() => setCreating(true)}>
            {t('console:groups.new')}
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
        <p class="quiet">{t('console:loading')}</p>
      ) : groups.length === 0 ? (
        <p class="quiet">{t('console:groups.none')}</p>
      ) : (
        <ul class="room-list">
          {groups.map((group) => (
            <li key={group.id} class="room-list__item" data-group={group.name}>
              <div class="room-list__main">
                <h3 class="room-list__title" data-user-text>
                  {group.name}
                </h3>
                <p class="field__hint">
                  {group.closedAt
                    ? t('console:groups.closedSummary', { members: group.members ?? 0, cap: group.memberCap })
                    : t('console:groups.summary', { cadence: cadenceInWords(group.cadence), next: momentInWords(group.nextSessionAt), members: group.members ?? 0, cap: group.memberCap })}
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
                {t('console:groups.open')}{' '}
                <span class="visually-hidden" data-user-text>
                  {group.name}
                </span>
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
  const [agreement, setAgreement] = useState(() => t('console:groups.form.agreementText'));
  const [weekday, setWeekday] = useState<(typeof weekdays)[number]>('tuesday');
  const [time, setTime] = useState('18:00');
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [feedbackK, setFeedbackK] = useState(3);
  const [memberCap, setMemberCap] = useState(8);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card stack"
      aria-label={t('console:groups.form.title')}
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        await onCreate({ name: name.trim(), agreement: agreement.trim(), cadence: { weekday, time, timeZone: timeZone.trim(), durationMinutes: 90 }, agenda: startingAgenda({ checkInPrompt: true }), feedbackK, memberCap });
        setBusy(false);
      }}
    >
      <h3 class="card__title">{t('console:groups.form.title')}</h3>
      <TextField label={t('console:groups.form.name')} required maxLength={limits.titleLength} value={name} onValue={setName} placeholder={t('console:groups.form.namePlaceholder')} />
      <label class="field">
        <span class="field__label">{t('console:groups.form.agreement')}</span>
        <span class="field__hint">{t('console:groups.form.agreementHint')}</span>
        <textarea required rows={3} maxLength={groupLimits.agreementLength} value={agreement} onInput={(e) => setAgreement(e.currentTarget.value)} />
      </label>
      <div class="console__row">
        <label class="field">
          <span class="field__label">{t('console:groups.form.weekday')}</span>
          <select value={weekday} onChange={(e) => setWeekday(e.currentTarget.value as (typeof weekdays)[number])}>
            {weekdays.map((day) => (
              <option key={day} value={day}>
                {weekdayName(day)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field__label">{t('console:groups.form.at')}</span>
          <input type="time" required value={time} onInput={(e) => setTime(e.currentTarget.value)} />
        </label>
        <TextField label={t('console:groups.form.timeZone')} required maxLength={64} value={timeZone} onValue={setTimeZone} placeholder={t('console:groups.form.timeZonePlaceholder')} />
      </div>
      <div class="console__row">
        <label class="field">
          <span class="field__label">{t('console:groups.form.feedbackK')}</span>
          <input type="number" min={limits.feedbackMinK} max={12} required value={feedbackK} onInput={(e) => setFeedbackK(Number(e.currentTarget.value))} />
        </label>
        <label class="field">
          <span class="field__label">{t('console:groups.form.memberCap')}</span>
          <input type="number" min={2} max={groupLimits.memberCap} required value={memberCap} onInput={(e) => setMemberCap(Number(e.currentTarget.value))} />
        </label>
      </div>
      <div class="button-row">
        <button type="submit" class="button button--primary" disabled={busy}>
          {t('console:groups.form.create')}
        </button>
        <button type="button" class="button button--quiet" onClick={onCancel}>
          {t('console:cancel')}
        </button>
      </div>
    </form>
  );
}
