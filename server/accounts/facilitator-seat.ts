import { createHash } from 'node:crypto';

/**
 * The participant id a signed-in lead takes in any live room: the same for an account every time,
 * so a lead who comes back (new tab, new device, restart) returns to their own seat, and two leads
 * have two seats. Derived, so the account's id itself never reaches members' screens.
 */
export const leadSeat = (accountId: string): string => `lead-${createHash('sha256').update(`holdspace-lead:${accountId}`).digest('base64url').slice(0, 22)}`;
