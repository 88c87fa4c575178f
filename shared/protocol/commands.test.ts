import { describe, expect, it } from 'vitest';
import { displayNameSchema } from './commands.js';

const rows = <const T extends { name: string }>(list: readonly T[]): [string, T][] => list.map((row) => [row.name, row]);

describe('a display name on its own', () => {
  it.each(rows([
    { name: 'a plain name', given: 'Ana', kept: 'Ana' },
    { name: 'spaces around it are trimmed', given: '  Ana Lee  ', kept: 'Ana Lee' },
    { name: 'runs of any kind of space become one space', given: 'Ana\u00A0\u2003 Lee', kept: 'Ana Lee' },
    { name: 'a decomposed accent is composed (NFC)', given: 'Jose\u0301', kept: 'Jos\u00E9' },
    { name: 'a name in Arabic script', given: 'مريم', kept: 'مريم' },
    { name: 'a name in Persian with a zero-width non-joiner inside', given: 'می\u200Cخواهم', kept: 'می\u200Cخواهم' },
    { name: 'an emoji made of several joined emoji', given: 'Sam \u{1F469}\u200D\u{1F469}\u200D\u{1F467}', kept: 'Sam \u{1F469}\u200D\u{1F469}\u200D\u{1F467}' },
    { name: 'an emoji with its variation selector', given: 'Kim \u2764\uFE0F', kept: 'Kim \u2764\uFE0F' },
    { name: 'a Vietnamese name with stacked accents', given: 'Nguyễn', kept: 'Nguyễn' },
  ]))('accepts %s', (_, { given, kept }) => {
    expect(displayNameSchema.parse(given)).toBe(kept);
  });

  it.each(rows([
    { name: 'a right-to-left override', given: 'Ana\u202Erotatilicaf', says: /direction/ },
    { name: 'a left-to-right isolate', given: '\u2066Ana\u2069', says: /direction/ },
    { name: 'a right-to-left mark', given: 'Ana\u200F', says: /direction/ },
    { name: 'only zero-width spaces', given: '\u200B\u200B\u200B', says: /invisible/ },
    { name: 'a zero-width space inside a name', given: 'A\u200Bna', says: /invisible/ },
    { name: 'a soft hyphen inside a name', given: 'A\u00ADna', says: /invisible/ },
    { name: 'only a Hangul filler', given: '\u3164', says: /invisible/ },
    { name: 'only a braille blank', given: '\u2800\u2800', says: /visible/ },
    { name: 'only combining marks', given: '\u0301\u0308', says: /visible/ },
    { name: 'only spaces', given: '   ', says: /visible/ },
    { name: 'a newline', given: 'Ana\nFacilitator', says: /control/ },
    { name: 'a tab', given: 'Ana\tLee', says: /control/ },
    { name: 'an escape character', given: '\u001B[31mAna', says: /control/ },
    { name: 'a C1 control character', given: 'Ana\u0085', says: /control/ },
    { name: 'a lone high surrogate', given: 'Ana\uD800', says: /broken/ },
    { name: 'a lone low surrogate', given: '\uDC00Ana', says: /broken/ },
    { name: 'letters buried under piles of accents', given: 'A\u0301\u0302\u0303\u0304\u0305\u0306\u0307na', says: /accents/ },
    { name: 'a name longer than 40 characters', given: 'A'.repeat(41), says: /40/ },
  ]))('refuses %s, saying why', (_, { given, says }) => {
    const parsed = displayNameSchema.safeParse(given);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(says);
  });
});
