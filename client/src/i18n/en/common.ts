import { errorMessages } from '../../../../shared/protocol/errors.js';

/** Words every screen shares: the language picker, durations spoken aloud, refusals by code. */
export const common = {
  language: {
    label: 'Language',
    en: 'English',
    de: 'Deutsch',
  },
  somethingWrong: 'Something went wrong. Try again.',
  screenFailed: 'This page could not load. Check your connection, then reload.',
  reload: 'Reload',
  /** The server's refusal codes, said in the person's language (the server's English is the fallback). */
  errors: errorMessages,
};
