import type { Catalogue } from '../catalogue.js';
import type { session as en } from '../en/session.js';

export const session = {
} satisfies Catalogue<typeof en>;
