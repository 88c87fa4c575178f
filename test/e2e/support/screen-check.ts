import type { Page } from 'playwright-core';
import type { Language } from '../../../client/src/i18n/catalogue.js';
import { axeViolations, describeViolations } from './axe.js';
import { textOutsideCatalogue } from './catalogue-check.js';

/** The sizes every screen is checked at: a laptop and a phone. */
export const SCREEN_SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

/**
 * What is wrong with the screen as it stands, at desktop and phone size: every text outside the
 * language's catalogue (not user data) and every WCAG 2.1 A/AA fault axe finds; empty when none.
 * Gathered, not thrown, so one fault does not hide the next; the page ends at desktop size.
 */
export async function screenFaults(page: Page, screen: string, language: Language): Promise<string[]> {
  const faults: string[] = [];
  for (const size of SCREEN_SIZES) {
    await page.setViewportSize(size);
    const at = `${screen} at ${size.width}x${size.height}`;
    for (const { text, where } of await textOutsideCatalogue(page, language)) faults.push(`${at}: "${text}" (${where})`);
    const violations = await axeViolations(page);
    if (violations.length) faults.push(`${at}:\n${describeViolations(violations)}`);
  }
  await page.setViewportSize(SCREEN_SIZES[0]);
  return faults;
}
