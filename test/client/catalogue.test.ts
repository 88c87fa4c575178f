import { describe, expect, it } from 'vitest';
import { languages } from '../../client/src/i18n/catalogue.js';
import { catalogues, messagesOf } from '../../client/src/i18n/resources.js';
import { clock, duration } from '../../client/src/i18n/format.js';
import { setLanguage, t } from '../../client/src/i18n/index.js';
import { errorCodes } from '../../shared/protocol/errors.js';

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((match) => match[1]).sort();

const messages = Object.fromEntries(languages.map((language) => [language, messagesOf(language)]));

describe('the message catalogue', () => {
  it('has the same keys in every language', () => {
    const english = [...messages.en!.keys()].sort();
    expect(english.length).toBeGreaterThan(errorCodes.length);
    for (const language of languages) expect([...messages[language]!.keys()].sort(), language).toEqual(english);
  });

  it('has no empty message and the same placeholders in each translation', () => {
    for (const language of languages) {
      for (const [key, text] of messages[language]!) {
        expect(text.trim(), `${language} ${key}`).not.toBe('');
        expect(placeholders(text), `${language} ${key}`).toEqual(placeholders(messages.en!.get(key)!));
      }
    }
  });

  it('gives every plural its "other" form beside "one"', () => {
    for (const key of messages.en!.keys()) {
      if (key.endsWith('_one')) expect(messages.en!.has(key.replace(/_one$/, '_other')), key).toBe(true);
    }
  });

  it('says every refusal code in German', () => {
    setLanguage('de');
    try {
      for (const code of errorCodes) expect(t(`errors.${code}`)).toBe((catalogues.de.common.errors as Record<string, string>)[code]);
      expect(duration(90)).toBe('1,5 Minuten');
      expect(clock(65)).toBe('1:05');
    } finally {
      setLanguage('en');
    }
    expect(duration(30)).toBe('30 seconds');
    expect(duration(90)).toBe('1.5 minutes');
    expect(clock(3723)).toBe('1:02:03');
  });
});
