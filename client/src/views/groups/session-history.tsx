import { useEffect, useState } from 'preact/hooks';
import type { Attendance } from '../../../../shared/protocol/groups.js';
import { groupsApi, type SessionExport, type SessionSummary } from '../../session/groups-api.js';
import { dayInWords } from './when.js';

const attendanceWords: Record<Attendance, string> = { present: 'present', late: 'late', absent: 'absent', left_early: 'left early' };

/** Past sessions, newest first: date, who came, and the summary to download. */
export function SessionHistory({ facilitatorKey, groupId, sessions, refuse }: { facilitatorKey: string; groupId: string; sessions: SessionSummary[]; refuse(error: unknown): void }) {
  const [records, setRecords] = useState<Record<number, SessionExport>>({});
  const ended = sessions.filter((session) => session.endedAt);
  useEffect(() => {
    // Attendance is in each session's record; the last ten are enough for this page.
    for (const session of ended.slice(0, 10)) {
      groupsApi.sessionRecord(facilitatorKey, groupId, session.number).then((record) => setRecords((held) => ({ ...held, [session.number]: record })), refuse);
    }
  }, [facilitatorKey, groupId, ended.map((s) => s.number).join()]);

  return (
    <section aria-labelledby="sessions-title" class="card">
      <h2 id="sessions-title" class="card__title">
        Past sessions
      </h2>
      {ended.length === 0 ? (
        <p class="quiet">No session has ended yet.</p>
      ) : (
        <ul class="room-list">
          {ended.map((session) => (
            <li key={session.id} class="room-list__item" data-session={session.number}>
              <div class="room-list__main">
                <h3 class="room-list__title">
                  Session {session.number} · {dayInWords(session.startedAt)}
                </h3>
                <p class="field__hint" data-attendance>
                  {records[session.number]
                    ? records[session.number]!.attendance.map((a) => `${a.name}: ${attendanceWords[a.status]}`).join(' · ') || 'No attendance written'
                    : 'Loading attendance…'}
                </p>
              </div>
              <div class="button-row">
                <button type="button" class="button button--small" onClick={() => groupsApi.exportSession(facilitatorKey, groupId, session.number, 'md').catch(refuse)}>
                  Summary (Markdown) <span class="visually-hidden">of session {session.number}</span>
                </button>
                <button type="button" class="button button--small button--quiet" onClick={() => groupsApi.exportSession(facilitatorKey, groupId, session.number, 'json').catch(refuse)}>
                  Data (JSON) <span class="visually-hidden">of session {session.number}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
