import { accept, refuse, type RuleContext, type Step } from './rules.js';
import type { RoomState } from './state.js';

/**
 * Who shares a screen, as the SFU reports it: the server feeds this from the screen producer's
 * life, so the room says who shares, never a client's claim.
 */
export function screenShared(state: RoomState, participantId: string, on: boolean, ctx: RuleContext): Step {
  const person = state.participants[participantId];
  if (!person || person.status !== 'admitted') return refuse('NOT_FOUND');
  if (person.role !== 'facilitator') return refuse('FORBIDDEN', 'only the facilitator shares a screen');
  if (on) return state.screenShare?.by === participantId ? accept(state) : accept({ ...state, screenShare: { by: participantId, since: ctx.now } });
  return state.screenShare?.by === participantId ? accept({ ...state, screenShare: null }) : accept(state);
}
