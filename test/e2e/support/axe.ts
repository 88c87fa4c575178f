import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';

/** The WCAG 2.1 A and AA rules: what every screen of Holdspace must pass with no violation. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** Each offending element: its selector and axe's summary of what is wrong with it. */
  nodes: { target: string; summary: string }[];
}

let source: Promise<string> | null = null;
const axeSource = () => (source ??= readFile(join(dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js'), 'utf8'));

/**
 * Run axe-core in the page as it is now, against WCAG 2.1 A/AA. The script is evaluated through
 * the DevTools protocol, so the page's Content Security Policy does not need to allow it.
 */
export async function axeViolations(page: Page, options: { exclude?: string[] } = {}): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await axeSource());
  return page.evaluate(
    async ({ tags, exclude }) => {
      const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
      const result = await axe.run({ include: [document], exclude: exclude.map((selector) => [selector]) }, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), summary: n.failureSummary ?? '' })) }));
    },
    { tags: [...WCAG_21_AA], exclude: options.exclude ?? [] },
  );
}

/** A readable list of violations for a failing assertion: rule, impact, and where. */
export const describeViolations = (violations: AxeViolation[]): string =>
  violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  at ${n.target}: ${n.summary.replace(/\s+/g, ' ')}`).join('\n')}`).join('\n');
