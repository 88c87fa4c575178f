import { useEffect, useState } from 'preact/hooks';
import type { Attendance } from '../../../../shared/protocol/groups.js';
import { groupsApi, type SessionExport, type SessionSummary } from '../../session/groups-api.js';
import { dayInWords } from './when.js';
import { t } from '../../i18n/index.js';

const attendanceKeys = { present: 'present', late: 'late', absent: 'absent', left_early: 'leftEarly' } as const satisfies Record<Attendance, string>;

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
        {t('console:history.title')}
      </h2>
      {ended.length === 0 ? (
        <p class="quiet">{t('console:history.none')}</p>
      ) : (
        <ul class="room-list">
          {ended.map((session) => (
            <li key={session.id} class="room-list__item" data-session={session.number}>
              <div class="room-list__main">
                <h3 class="room-list__title">
                  {t('console:history.session', { number: session.number, date: dayInWords(session.startedAt) })}
                </h3>
                <p class="field__hint" data-attendance>
                  {!records[session.number]
                    ? t('console:history.loadingAttendance')
                    : records[session.number]!.attendance.length === 0
                      ? t('console:history.noAttendance')
                      : records[session.number]!.attendance.map((a, index) => (
                          <span key={a.name}>
                            {index > 0 && ' · '}
                            {t(`console:history.${attendanceKeys[a.status]}`, { name: a.name })}
                          </span>
                        ))}
                </p>
              </div>
              <div class="button-row">
                <button type="button" class="button button--small" onClick={() => groupsApi.exportSession(facilitatorKey, groupId, session.number, 'md').catch(refuse)}>
                  {t('console:history.summary')} <span class="visually-hidden">{t('console:history.ofSession', { number: session.number })}</span>
                </button>
                <button type="button" class="button button--small button--quiet" onClick={() => groupsApi.exportSession(facilitatorKey, groupId, session.number, 'json').catch(refuse)}>
                  {t('console:history.data')} <span class="visually-hidden">{t('console:history.ofSession', { number: session.number })}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
