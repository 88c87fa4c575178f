import type { Cadence } from '../../../../shared/protocol/groups.js';

/** "Every Tuesday at 18:00 (Europe/Berlin)" */
export function cadenceInWords(cadence: Cadence): string {
  return `Every ${cadence.weekday[0]!.toUpperCase()}${cadence.weekday.slice(1)} at ${cadence.time} (${cadence.timeZone.replace(/_/g, ' ')})`;
}

/** A moment in the reader's own time zone, in full words. */
export function momentInWords(iso: string | null): string {
  if (!iso) return 'No session planned';
  return new Date(iso).toLocaleString(undefined, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
}

export function dayInWords(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
}
