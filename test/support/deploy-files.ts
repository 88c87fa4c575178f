import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const deploy = fileURLToPath(new URL('../../deploy/', import.meta.url));

/** A file of deploy/, as an operator copies it. */
export const deployFile = (name: string) => readFile(`${deploy}${name}`, 'utf8');

/**
 * A `key=value` config (coturn's) from the deploy/ template: each key in `set` replaces that
 * key's lines (null drops them, true keeps a bare flag), keys the template lacks are added.
 */
export function withSettings(template: string, set: Record<string, string | true | null>): string {
  const lines = template.split('\n').filter((line) => {
    const key = line.trim().split('=')[0]!;
    return !(key in set) || line.trim().startsWith('#');
  });
  for (const [key, value] of Object.entries(set)) {
    if (value === true) lines.push(key);
    else if (value !== null) lines.push(`${key}=${value}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Replace every placeholder of a template, failing if one is missing (the template changed under the test). */
export function filledIn(template: string, values: Record<string, string>): string {
  let text = template;
  for (const [placeholder, value] of Object.entries(values)) {
    if (!text.includes(placeholder)) throw new Error(`the deploy template no longer contains ${placeholder}`);
    text = text.split(placeholder).join(value);
  }
  return text;
}
