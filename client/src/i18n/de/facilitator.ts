import type { Catalogue } from '../catalogue.js';
import type { facilitator as en } from '../en/facilitator.js';

export const facilitator = {
} satisfies Catalogue<typeof en>;
