import type { Catalogue } from '../catalogue.js';
import type { room as en } from '../en/room.js';

export const room = {
} satisfies Catalogue<typeof en>;
