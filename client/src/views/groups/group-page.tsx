import '../../styles/console.css';
import { useEffect, useState } from 'preact/hooks';
import { accountApi } from '../../session/account-api.js';
import { FacilitatorGate, type Facilitator } from '../facilitator-gate.js';
import type { StartedSession } from '../../../../shared/protocol/groups.js';
import { groupsApi, type Goal, type GroupSummary, type Note, type RosterMember, type SessionSummary } from '../../session/groups-api.js';
import { ApiRefusal, refusalText } from '../../session/http-api.js';
import { t } from '../../i18n/index.js';
import { LanguagePicker } from '../../i18n/language-picker.js';
import { notify } from '../../session/notices.js';
import { saveSession } from '../../session/saved-session.js';
import { navigate } from '../app.js';
import { Notices } from '../notices.js';
import { PreJoin } from '../pre-join.js';
import { GroupNotes } from './group-notes.js';
import { Roster } from './roster.js';
import { SessionHistory } from './session-history.js';
import { cadenceInWords, momentInWords } from './when.js';

interface Loaded {
  leads: { id: string; name: string }[];
  group: GroupSummary;
  members: RosterMember[];
  sessions: SessionSummary[];
  notes: Note[];
  goals: Record<string, Goal[]>;
}

/** One standing group for its facilitator: roster and links, past sessions, notes, export, calendar, and the next session. */
export function GroupPage({ groupId }: { groupId: string }) {
  return <FacilitatorGate>{(facilitator) => <GroupPageBody groupId={groupId} facilitator={facilitator} />}</FacilitatorGate>;
}

function GroupPageBody({ groupId, facilitator }: { groupId: string; facilitator: Facilitator }) {
  const key = facilitator.credential;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [started, setStarted] = useState<StartedSession | null>(null);
  const [starting, setStarting] = useState(false);

  const refuse = (error: unknown) => {
    if (error instanceof ApiRefusal && (error.code === 'UNAUTHENTICATED' || error.code === 'SIGNED_OUT')) facilitator.leave();
    notify(refusalText(error));
  };
  const load = async () => {
    try {
      const [page, notes, goals] = await Promise.all([groupsApi.get(key, groupId), groupsApi.notes(key, groupId), groupsApi.goals(key, groupId)]);
      setLoaded({ ...page, leads: page.leads ?? [], notes, goals });
    } catch (error) {
      refuse(error);
    }
  };
  useEffect(() => void load(), [groupId]);

  if (started && loaded) {
    return (
      <PreJoin
        roomTitle={t('console:group.sessionTitle', { name: loaded.group.name, number: started.number })}
        role="facilitator"
        busy={false}
        error={null}
        onJoin={(media) => {
          saveSession({ roomId: started.roomId, token: started.token, role: 'facilitator', media });
          navigate(`/room/${started.roomId}`);
        }}
      />
    );
  }
  if (!loaded) {
    return (
      <main class="page console" aria-busy="true">
        <p class="quiet">{t('console:group.loading')}</p>
        <Notices />
      </main>
    );
  }

  const { group, members, sessions, notes, goals } = loaded;
  const running = sessions.find((session) => !session.endedAt);
  const nextNumber = running?.number ?? (sessions[0]?.number ?? 0) + 1;
  const current = members.filter((member) => !member.leftAt);

  const start = async () => {
    setStarting(true);
    try {
      // The live session's route (feat/groups-live); a server without it answers NOT_FOUND, told as it is.
      setStarted(running ? await groupsApi.facilitateSession(key, groupId) : await groupsApi.startSession(key, groupId));
    } catch (error) {
      refuse(error);
    }
    setStarting(false);
  };

  return (
    <main class="page console">
      <header class="console__head">
        <div>
          <p class="brand brand--small">
            <a
              href="/facilitate"
              onClick={(event) => {
                event.preventDefault();
                navigate('/facilitate');
              }}
            >
              {t('console:group.back')}
            </a>
          </p>
          <h1 data-user-text>{group.name}</h1>
          <p class="field__hint">
            {group.closedAt ? t('console:group.closed') : t('console:group.cadence', { cadence: cadenceInWords(group.cadence), next: momentInWords(group.nextSessionAt) })}
          </p>
        </div>
        <div class="button-row">
          <LanguagePicker />
          <button type="button" class="button button--quiet button--small" onClick={() => groupsApi.calendar(key, groupId).catch(refuse)}>
            {t('console:group.calendar')}
          </button>
          {!group.closedAt && (
            <button type="button" class="button button--primary" disabled={starting || current.length === 0} onClick={start}>
              {t(running ? 'console:group.return' : 'console:group.start', { number: nextNumber })}
            </button>
          )}
        </div>
      </header>
      <section class="card card--calm" aria-label={t('console:group.agreement')}>
        <h2 class="card__title">{t('console:group.agreement')}</h2>
        <p class="note-list__text" data-user-text>
          {group.agreement}
        </p>
        <p class="field__hint">{t('console:group.settings', { k: group.feedbackK, cap: group.memberCap, count: group.retentionMonths })}</p>
      </section>
      {facilitator.signedIn && <Leads facilitatorKey={key} groupId={groupId} leads={loaded.leads} refuse={refuse} reload={load} />}
      <Roster facilitatorKey={key} groupId={groupId} members={members} goals={goals} full={current.length >= group.memberCap} refuse={refuse} reload={load} />
      <SessionHistory facilitatorKey={key} groupId={groupId} sessions={sessions} refuse={refuse} />
      <GroupNotes
        facilitatorKey={key}
        groupId={groupId}
        notes={notes}
        members={members}
        sessionNumbers={sessions.map((session) => session.number)}
        refuse={refuse}
        reload={load}
      />
      <Notices />
    </main>
  );
}

/** Who leads the group; a lead adds a colleague as co-lead. */
function Leads({ facilitatorKey, groupId, leads, refuse, reload }: { facilitatorKey: string; groupId: string; leads: { id: string; name: string }[]; refuse(error: unknown): void; reload(): Promise<void> }) {
  const [colleagues, setColleagues] = useState<{ id: string; name: string }[]>([]);
  const [chosen, setChosen] = useState('');
  useEffect(() => void accountApi.colleagues().then(setColleagues, refuse), []);
  const others = colleagues.filter((colleague) => !leads.some((lead) => lead.id === colleague.id));
  return (
    <section class="card" aria-labelledby="leads-title">
      <h2 id="leads-title" class="card__title">
        {t('console:group.leads.title')}
      </h2>
      <p data-leads data-user-text>
        {leads.map((lead) => lead.name).join(', ')}
      </p>
      {others.length > 0 && (
        <form
          class="console__create"
          onSubmit={async (event) => {
            event.preventDefault();
            if (!chosen) return;
            await groupsApi.addLead(facilitatorKey, groupId, chosen).then(() => notify(t('console:group.leads.added'), 'info'), refuse);
            await reload();
          }}
        >
          <label class="field">
            <span class="field__label">{t('console:group.leads.add')}</span>
            <select value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
              <option value="">{t('console:group.leads.choose')}</option>
              {others.map((colleague) => (
                <option key={colleague.id} value={colleague.id} data-user-text>
                  {colleague.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="button" disabled={!chosen}>
            {t('console:group.leads.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
