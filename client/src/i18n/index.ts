import i18next from 'i18next';
import { useEffect, useState } from 'preact/hooks';
import type { ErrorCode } from '../../../shared/protocol/errors.js';
import { languages, type Language } from './catalogue.js';
import { catalogues, type en } from './resources.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: typeof en;
  }
}

const stored = 'holdspace.language';

/** The remembered choice, else the browser's first language we speak, else English. */
function firstLanguage(): Language {
  const saved = globalThis.localStorage?.getItem(stored);
  if (languages.includes(saved as Language)) return saved as Language;
  const wanted = globalThis.navigator?.languages ?? [];
  for (const tag of wanted) {
    const base = tag.toLowerCase().split('-')[0] as Language;
    if (languages.includes(base)) return base;
  }
  return 'en';
}

const i18n = i18next.createInstance();
void i18n.init({
  resources: catalogues,
  lng: firstLanguage(),
  fallbackLng: false,
  defaultNS: 'common',
  ns: Object.keys(catalogues.en),
  // Preact escapes text itself; escaping here would show entities.
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
  // i18next advertises its paid service in every visitor's console otherwise.
  showSupportNotice: false,
});
if (globalThis.document) document.documentElement.lang = i18n.language;

/** Every string a person reads goes through here. */
export const t = i18n.t.bind(i18n);

export const language = (): Language => i18n.language as Language;

const listeners = new Set<(language: Language) => void>();

export function setLanguage(next: Language): void {
  if (next === language()) return;
  void i18n.changeLanguage(next);
  globalThis.localStorage?.setItem(stored, next);
  if (globalThis.document) document.documentElement.lang = next;
  for (const listener of listeners) listener(next);
}

/** The language now; the component redraws when it changes (the app's root uses it, so everything does). */
export function useLanguage(): Language {
  const [current, setCurrent] = useState(language);
  useEffect(() => {
    listeners.add(setCurrent);
    return () => void listeners.delete(setCurrent);
  }, []);
  return current;
}

/** A refusal in the person's language, from its code; the server's own words if the code is unknown to this page. */
export function explain(refusal: { code?: string; message?: string }): string {
  const code = refusal.code as ErrorCode | undefined;
  if (code && i18n.exists(`common:errors.${code}`)) return t(`errors.${code}`);
  return refusal.message ?? t('somethingWrong');
}
