import { floorHolder, floorOwner } from './floor.js';
import { onStage } from './scene.js';
import type { RoomState } from './state.js';

export type Silence = 'MUTED_BY_FACILITATOR' | 'AUDIENCE' | 'NO_STICK' | 'EXERCISE' | 'NOT_ADMITTED';

/**
 * Whether a participant may be heard now. The SFU pauses microphones by this answer and the
 * client explains it; the facilitator can always be heard.
 */
export function mayBeHeard(state: RoomState, participantId: string): { allowed: true } | { allowed: false; reason: Silence } {
  const person = state.participants[participantId];
  if (!person || person.status !== 'admitted') return { allowed: false, reason: 'NOT_ADMITTED' };
  if (person.role === 'facilitator') return { allowed: true };
  if (person.muted) return { allowed: false, reason: 'MUTED_BY_FACILITATOR' };
  if (state.scene) return onStage(state.scene, participantId) ? { allowed: true } : { allowed: false, reason: 'AUDIENCE' };
  if (floorOwner(state) === 'problem' && state.problemSolving.current!.memberId !== participantId) return { allowed: false, reason: 'EXERCISE' };
  if (state.floor.mode === 'stick' && floorHolder(state) !== participantId) return { allowed: false, reason: 'NO_STICK' };
  return { allowed: true };
}
