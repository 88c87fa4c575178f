/** Every reason the server gives for refusing something. Tests assert on these codes. */
export const errorCodes = [
  'INVALID',
  'UNKNOWN_EVENT',
  'UNSUPPORTED_PROTOCOL',
  'CLIENT_TOO_OLD',
  'SERVER_TOO_OLD',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'REMOVED',
  'DECLINED',
  'NOT_ADMITTED',
  'NOT_FOUND',
  'ROOM_FULL',
  'WAITING_ROOM_FULL',
  'NOT_YOUR_TURN',
  'WRONG_FLOOR_MODE',
  'NO_ROUND',
  'ROUND_RUNNING',
  'ROUND_CLOSED',
  'NO_SCENE',
  'SCENE_RUNNING',
  'SCENE_FROZEN',
  'NO_FEEDBACK_PROMPT',
  'FEEDBACK_OPEN',
  'FEEDBACK_CLOSED',
  'ALREADY_SUBMITTED',
  'NOT_ELIGIBLE',
  'TOO_FEW_MEMBERS',
  'FLOOR_NOT_ALLOWED',
  'SESSION_ENDED',
  'MEDIA_UNAVAILABLE',
  'RATE_LIMITED',
  'TOO_MANY_CONNECTIONS',
  'ROOM_LIMIT',
  'STORE_UNAVAILABLE',
  'ROOM_MOVING',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** What a person sees when a command is refused: what happened and what to do. */
export const errorMessages: Record<ErrorCode, string> = {
  INVALID: 'That request was not understood. Reload the page if this keeps happening.',
  UNKNOWN_EVENT: 'That action does not exist.',
  UNSUPPORTED_PROTOCOL: 'This page is out of date. Reload it to continue.',
  CLIENT_TOO_OLD: 'Holdspace has been updated. Please reload this page to continue.',
  SERVER_TOO_OLD: 'The server is being updated. This page reconnects by itself in a moment.',
  UNAUTHENTICATED: 'Your session has expired. Open your invite link again.',
  FORBIDDEN: 'Only the facilitator can do that.',
  REMOVED: 'The facilitator has removed you from this session.',
  DECLINED: 'The facilitator did not admit you to this session.',
  NOT_ADMITTED: 'Please wait until the facilitator lets you in.',
  NOT_FOUND: 'That person or item is not in this session.',
  ROOM_FULL: 'This group is full.',
  WAITING_ROOM_FULL: 'The waiting room is full. Try again in a moment.',
  NOT_YOUR_TURN: 'It is not your turn to speak.',
  WRONG_FLOOR_MODE: 'That does not apply in the current floor mode.',
  NO_ROUND: 'No round is running.',
  ROUND_RUNNING: 'A round is running. End it first.',
  ROUND_CLOSED: 'That round has ended.',
  NO_SCENE: 'No scene is running.',
  SCENE_RUNNING: 'A role-play scene is running. End it first.',
  SCENE_FROZEN: 'The scene is frozen. Resume it first.',
  NO_FEEDBACK_PROMPT: 'No feedback prompt is open.',
  FEEDBACK_OPEN: 'A feedback prompt is already open. Close it first.',
  FEEDBACK_CLOSED: 'That feedback prompt has closed.',
  ALREADY_SUBMITTED: 'You have already answered this prompt.',
  NOT_ELIGIBLE: 'Only members who were here when this prompt opened can answer it. You can answer the next one.',
  TOO_FEW_MEMBERS: 'Too few members are here for that.',
  FLOOR_NOT_ALLOWED: 'You cannot be heard right now: someone else holds the floor.',
  SESSION_ENDED: 'This session has ended. Thank you for being here.',
  MEDIA_UNAVAILABLE: 'Audio and video are not available right now. Retrying.',
  RATE_LIMITED: 'Too many actions at once. Wait a moment.',
  TOO_MANY_CONNECTIONS: 'This session is open in too many tabs or windows. Close one to continue here.',
  ROOM_LIMIT: 'There are as many open rooms as this server allows. End a session you no longer need, then try again.',
  STORE_UNAVAILABLE: 'The server cannot save changes right now. Nothing was changed; try again shortly.',
  ROOM_MOVING: 'This session is moving to another server. Try again in a moment.',
  INTERNAL: 'Something went wrong on the server. Nothing was changed.',
};

export type Rejection = { ok: false; code: ErrorCode; message: string; detail?: string };

export function reject(code: ErrorCode, detail?: string): Rejection {
  return detail === undefined
    ? { ok: false, code, message: errorMessages[code] }
    : { ok: false, code, message: errorMessages[code], detail };
}
