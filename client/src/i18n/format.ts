import { language } from './index.js';

/** Dates, times and durations, always through Intl in the chosen language. */

/** "30 seconds", "1.5 minutes" / "1,5 Minuten": a length of time said in words. */
export function duration(seconds: number): string {
  const [value, unit] = seconds < 60 ? [seconds, 'second'] : seconds < 3600 ? [seconds / 60, 'minute'] : [seconds / 3600, 'hour'];
  return new Intl.NumberFormat(language(), { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 1 }).format(value);
}

/** "1:05", "12:00", "1:02:03": a countdown or an elapsed time, as a clock shows it. */
export function clock(totalSeconds: number): string {
  const total = Math.max(0, Math.round(totalSeconds));
  const two = new Intl.NumberFormat(language(), { minimumIntegerDigits: 2, useGrouping: false });
  const one = new Intl.NumberFormat(language(), { useGrouping: false });
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = two.format(total % 60);
  return hours > 0 ? `${one.format(hours)}:${two.format(minutes)}:${seconds}` : `${one.format(minutes)}:${seconds}`;
}

type When = string | number | Date;

export const dateTime = (when: When, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string =>
  new Intl.DateTimeFormat(language(), options).format(new Date(when));

export const date = (when: When, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }): string => dateTime(when, options);

/** "in 3 days", "vor 2 Stunden". */
export function relative(when: When, now = Date.now()): string {
  const seconds = (new Date(when).getTime() - now) / 1000;
  const format = new Intl.RelativeTimeFormat(language(), { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86_400], ['hour', 3600], ['minute', 60]];
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  return format.format(Math.round(seconds), 'second');
}

/** A count in the language's digits and grouping. */
export const count = (value: number): string => new Intl.NumberFormat(language()).format(value);
