import { common as deCommon } from './de/common.js';
import { console as deConsole } from './de/console.js';
import { facilitator as deFacilitator } from './de/facilitator.js';
import { room as deRoom } from './de/room.js';
import { session as deSession } from './de/session.js';
import { common } from './en/common.js';
import { console } from './en/console.js';
import { facilitator } from './en/facilitator.js';
import { room } from './en/room.js';
import { session } from './en/session.js';
import type { Language } from './catalogue.js';

/** The one message catalogue: a namespace per room of the client, English and German with the same keys. */
export const en = { common, room, session, facilitator, console };
export const de = { common: deCommon, room: deRoom, session: deSession, facilitator: deFacilitator, console: deConsole };

export const catalogues: Record<Language, typeof en> = { en, de };

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix: string, out: Map<string, string>): Map<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix.endsWith(':') ? `${prefix}${key}` : `${prefix}.${key}`;
    if (typeof value === 'string') out.set(path, value);
    else flatten(value, path, out);
  }
  return out;
}

/** Every message of a language as `namespace:path.to.key` → text: what checks of the catalogue read. */
export function messagesOf(language: Language): Map<string, string> {
  const out = new Map<string, string>();
  for (const [namespace, tree] of Object.entries(catalogues[language])) flatten(tree as Tree, `${namespace}:`, out);
  return out;
}
