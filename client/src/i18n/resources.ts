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
