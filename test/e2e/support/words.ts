import type { Language } from '../../../client/src/i18n/catalogue.js';
import { messagesOf } from '../../../client/src/i18n/resources.js';

const messages = { en: messagesOf('en'), de: messagesOf('de') } satisfies Record<Language, Map<string, string>>;

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{\{\s*(\w+)[^}]*\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));

/**
 * What a screen in `language` says where the English screen says `english` (a catalogue message,
 * placeholders as `{{name}}`): so one flow drives the UI in either language. Text the catalogue
 * does not hold is returned as it is, as the page shows it until it is translated.
 */
export function wordsIn(language: Language, english: string, values: Record<string, string | number> = {}): string {
  if (language === 'en') return fill(english, values);
  const keys = [...messages.en].filter(([, text]) => text === english).map(([key]) => key);
  const translations = new Set(keys.map((key) => messages[language].get(key)!));
  if (translations.size > 1) throw new Error(`"${english}" has ${translations.size} translations in ${language} (${keys.join(', ')}): name one with messageIn`);
  return fill(translations.size === 1 ? [...translations][0]! : english, values);
}

/** The message of one key in `language`, for English words the catalogue holds under several keys. */
export function messageIn(language: Language, key: string, values: Record<string, string | number> = {}): string {
  const text = messages[language].get(key);
  if (text === undefined) throw new Error(`no message ${key} in ${language}`);
  return fill(text, values);
}

/** A pattern matching the message from its start, for accessible names that go on (a tab with a count). */
export const startingWith = (text: string) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
