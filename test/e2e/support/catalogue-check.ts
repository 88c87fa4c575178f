import type { Page } from 'playwright-core';
import type { Language } from '../../../client/src/i18n/catalogue.js';
import { messagesOf } from '../../../client/src/i18n/resources.js';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each message as a pattern: its placeholders stand for any text (a name, a number, a time). */
function patterns(language: Language): RegExp[] {
  return [...messagesOf(language).values()].map((message) => {
    const parts = message.split(/\{\{[^}]*\}\}/).map((part) => escape(part.trim()).replace(/\s+/g, '\\s+'));
    return new RegExp(`^${parts.join('[\\s\\S]+?')}$`);
  });
}

/** What carries no words of its own: numbers, times, punctuation, symbols. */
const wordless = /^[\p{N}\p{P}\p{S}\s]*$/u;

export interface StrayText {
  text: string;
  /** Where it was: the text of an element, or one of its attributes a person meets (aria-label, title, placeholder, alt). */
  where: string;
}

/**
 * Every visible text and every spoken label on the page that is neither a message of the
 * language's catalogue nor user data. User data (names, notes, answers, titles a person typed)
 * is marked in the views with `data-user-text` on its element, so it is left out with its subtree.
 */
export async function textOutsideCatalogue(page: Page, language: Language): Promise<StrayText[]> {
  const seen = await page.evaluate(() => {
    const out: { text: string; where: string }[] = [];
    const userText = (element: Element | null) => Boolean(element?.closest('[data-user-text]'));
    const visible = (element: Element) => {
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    const describe = (element: Element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className && typeof element.className === 'string' ? `.${element.className.split(' ')[0]}` : ''}`;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const parent = node.parentElement;
      if (!text || !parent || userText(parent) || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(parent.tagName)) continue;
      // Screen-reader-only text is read aloud: it counts even though it takes no room.
      if (!visible(parent) && !parent.closest('.visually-hidden, [aria-live]')) continue;
      out.push({ text, where: describe(parent) });
    }
    for (const element of Array.from(document.body.querySelectorAll('[aria-label], [title], [placeholder], img[alt], [aria-description]'))) {
      if (userText(element)) continue;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description']) {
        const text = element.getAttribute(name)?.trim();
        if (text) out.push({ text, where: `${describe(element)}[${name}]` });
      }
    }
    return out;
  });
  const known = patterns(language);
  return seen.filter(({ text }) => !wordless.test(text) && !known.some((pattern) => pattern.test(text)));
}
