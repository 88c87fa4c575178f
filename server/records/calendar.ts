import type { Cadence } from '../../shared/protocol/groups.js';
import type { Group } from './group-records.js';

const dayMs = 86_400_000;

/** The wall-clock parts of an instant in a time zone. */
function zoned(instant: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'long' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  return { year: Number(part('year')), month: Number(part('month')), day: Number(part('day')), hour: Number(part('hour')), minute: Number(part('minute')), second: Number(part('second')), weekday: part('weekday').toLowerCase() };
}

/** The instant a local wall-clock time in a zone happens (the later one across a DST change is not needed: sessions are not at 2-3 am). */
function instantOf(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const seen = zoned(guess, timeZone);
    const offset = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second) - guess;
    guess = wall - offset;
  }
  return guess;
}

/** The next `count` meetings of a weekly cadence that start after `after`, in its own time zone (DST included). */
export function upcomingSessions(cadence: Cadence, after: Date, count = 1): { start: Date; end: Date }[] {
  const [hour, minute] = cadence.time.split(':').map(Number) as [number, number];
  const found: { start: Date; end: Date }[] = [];
  for (let offset = 0; found.length < count && offset < count * 7 + 8; offset++) {
    const day = zoned(after.getTime() + offset * dayMs, cadence.timeZone);
    if (day.weekday !== cadence.weekday) continue;
    const start = instantOf(day.year, day.month, day.day, hour, minute, cadence.timeZone);
    if (start <= after.getTime() || found.some((session) => session.start.getTime() === start)) continue;
    found.push({ start: new Date(start), end: new Date(start + cadence.durationMinutes * 60_000) });
  }
  return found;
}

export const nextSessionAt = (group: Group, now: Date): Date | null => (group.closedAt ? null : (upcomingSessions(group.cadence, now, 1)[0]?.start ?? null));

const icsTime = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const icsText = (text: string) => text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Fold a content line at 75 octets, as RFC 5545 3.1 asks, never inside a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (octets + size > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/**
 * The group's schedule as an iCalendar file (RFC 5545): its coming meetings as events in UTC,
 * computed in the group's time zone so daylight saving moves nothing. The group's name and
 * nothing of its members.
 */
export function groupCalendar(group: Group, options: { now: Date; weeks?: number; url?: string }): string {
  const sessions = group.closedAt ? [] : upcomingSessions(group.cadence, options.now, options.weeks ?? 26);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Holdspace//Standing groups//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${icsText(group.name)}`,
    ...sessions.flatMap(({ start, end }) => [
      'BEGIN:VEVENT',
      `UID:${group.id}-${icsTime(start)}@holdspace`,
      `DTSTAMP:${icsTime(options.now)}`,
      `DTSTART:${icsTime(start)}`,
      `DTEND:${icsTime(end)}`,
      `SUMMARY:${icsText(group.name)}`,
      `DESCRIPTION:${icsText(`Weekly group session, ${group.cadence.weekday}s at ${group.cadence.time} (${group.cadence.timeZone}). Join through your personal link.`)}`,
      ...(options.url ? [`URL:${options.url}`] : []),
      'TRANSP:OPAQUE',
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
