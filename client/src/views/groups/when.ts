import { t } from '../../i18n/index.js';
import { date, dateTime } from '../../i18n/format.js';
import { weekdays, type Cadence } from '../../../../shared/protocol/groups.js';

/** 2025-01-06 was a Monday: the weekday's name comes from Intl for a day that was one. */
export const weekdayName = (weekday: Cadence['weekday']): string => {
  const monday = Date.UTC(2025, 0, 6);
  return dateTime(monday + weekdays.indexOf(weekday) * 86_400_000, { weekday: 'long', timeZone: 'UTC' });
};

/** "18:00" as the group's wall clock says it, in the reader's language (always a 24-hour clock, as it was typed). */
const wallClock = (time: string): string => {
  const [hours, minutes] = time.split(':').map(Number);
  return dateTime(Date.UTC(2025, 0, 6, hours ?? 0, minutes ?? 0), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
};

/** "Every Tuesday at 18:00 (Europe/Berlin)": the group's own clock, its time zone named. */
export function cadenceInWords(cadence: Cadence): string {
  return t('console:when.cadence', { weekday: weekdayName(cadence.weekday), time: wallClock(cadence.time), timeZone: cadence.timeZone.replace(/_/g, ' ') });
}

/** A moment in the reader's own time zone, which is named ("Tuesday, 8 December at 18:00 CET"). */
export function momentInWords(iso: string | null): string {
  if (!iso) return t('console:when.noSession');
  return dateTime(iso, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
}

export function dayInWords(iso: string): string {
  return date(iso, { day: 'numeric', month: 'long', year: 'numeric' });
}
