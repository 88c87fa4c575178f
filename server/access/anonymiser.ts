import { createHmac } from 'node:crypto';
import type { Anonymiser } from '../../shared/session/rules.js';

/**
 * Tags who answered a feedback prompt with a key only this server's secret derives: the store
 * (Redis, its dump, its slow log) holds tags it cannot map back to members.
 */
export function feedbackAnonymiser(secret: string): Anonymiser {
  const key = createHmac('sha256', secret).update('holdspace feedback tags v1').digest();
  return (memberId, promptId) => createHmac('sha256', key).update(`${promptId}\u0000${memberId}`).digest('base64url').slice(0, 22);
}
