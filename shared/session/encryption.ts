import { z } from 'zod';
import { accept, rule, type Fields, type Step } from './rules.js';
import type { RoomState } from './state.js';

const setShape = { on: z.boolean() };

/**
 * End-to-end encrypted audio and video (browsers seal every frame with a key the server never
 * holds). On in new rooms; the facilitator may turn it off, e.g. for a browser that cannot take part.
 */
export function setEncryption(state: RoomState, command: Fields<typeof setShape>): Step {
  if (state.settings.mediaEncryption === command.on) return accept(state);
  return accept({ ...state, settings: { ...state.settings, mediaEncryption: command.on } });
}

export const encryptionCommands = [rule('encryption.set', 'facilitator', setShape, setEncryption)];
