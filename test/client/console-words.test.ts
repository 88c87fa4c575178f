import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../client/src/i18n/index.js';
import { startingAgenda } from '../../client/src/views/groups/starting-agenda.js';
import { cadenceInWords, dayInWords, momentInWords } from '../../client/src/views/groups/when.js';
import { defaultAgenda } from '../../shared/session/agenda.js';

const cadence = { weekday: 'tuesday', time: '18:00', timeZone: 'Europe/Berlin', durationMinutes: 90 } as const;

describe("the console's words for agendas and times", () => {
  afterEach(() => setLanguage('en'));

  it("names the default phases in the facilitator's language, with the floor modes of the model", () => {
    expect(startingAgenda({ checkInPrompt: false }).map((phase) => phase.name)).toEqual(defaultAgenda.phases.map((phase) => phase.name));
    setLanguage('de');
    const german = startingAgenda({ checkInPrompt: true });
    expect(german.map((phase) => phase.name)).toEqual(['Ankommen', 'Eingangsrunde', 'Arbeitsphase', 'Rollenspiel', 'Feedback', 'Abschlussrunde']);
    expect(german.map((phase) => phase.floorMode)).toEqual(defaultAgenda.phases.map((phase) => phase.floorMode));
    expect(german[1]!.prompts).toEqual(['Wie kommen Sie seit dem letzten Treffen hier an?']);
    expect(startingAgenda({ checkInPrompt: false }).every((phase) => phase.prompts.length === 0)).toBe(true);
  });

  it('says the cadence on the group’s clock and a moment with its time zone named, in either language', () => {
    expect(cadenceInWords(cadence)).toBe('Every Tuesday at 18:00 (Europe/Berlin)');
    expect(cadenceInWords({ ...cadence, weekday: 'sunday', time: '09:30', timeZone: 'America/New_York' })).toBe('Every Sunday at 09:30 (America/New York)');
    const moment = momentInWords('2026-12-08T17:00:00Z');
    expect(moment).toMatch(/Tuesday/);
    expect(moment).toMatch(/UTC|GMT|[A-Z]{3,4}$/);
    setLanguage('de');
    expect(cadenceInWords(cadence)).toBe('Jeden Dienstag um 18:00 (Europe/Berlin)');
    expect(momentInWords('2026-12-08T17:00:00Z')).toMatch(/^Dienstag, 8\. Dezember/);
    expect(momentInWords(null)).toBe('Keine Sitzung geplant');
    expect(dayInWords('2026-12-08T12:00:00Z')).toBe('8. Dezember 2026');
  });
});
