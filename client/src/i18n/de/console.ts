import type { Catalogue } from '../catalogue.js';
import type { console as en } from '../en/console.js';

export const console = {
} satisfies Catalogue<typeof en>;
