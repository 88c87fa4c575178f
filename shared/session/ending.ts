import * as feedback from './feedback.js';
import * as floor from './floor.js';
import * as problemSolving from './problem-solving.js';
import { accept, rule, type RuleContext, type Step } from './rules.js';
import type { RoomState } from './state.js';

/**
 * The facilitator closes the session: an open feedback prompt closes by its own rule (released
 * only if k answered), everything live stops, and nothing more is accepted.
 */
export function endSession(state: RoomState, ctx: RuleContext): Step {
  let next = state;
  // An exercise still running is ended by its own rule, so the record keeps it as it stood.
  if (next.problemSolving.current) {
    const ended = problemSolving.end(next, ctx);
    if (ended.ok) next = ended.state;
  }
  if (next.feedback.open) {
    const closed = feedback.close(next, ctx);
    if (closed.ok) next = closed.state;
  }
  next = floor.handFloor(next, null, ctx, null);
  return accept({
    ...next,
    round: next.round && { ...next.round, closed: true },
    scene: null,
    alerts: [],
    floor: { ...next.floor, queue: [], meToo: { count: 0, by: [] } },
    endedAt: ctx.now,
  });
}

export const endingCommands = [rule('session.end', 'facilitator', {}, (state, _command, ctx) => endSession(state, ctx))];
