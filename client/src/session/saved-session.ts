import type { LocalMediaOptions } from '../media/media-session.js';

/** What a tab keeps so a reload rejoins the same room as the same person. */
export interface SavedSession {
  roomId: string;
  token: string;
  role: 'facilitator' | 'member';
  media: LocalMediaOptions;
}

const KEY = 'holdspace.session';

export function loadSession(): SavedSession | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const saved = JSON.parse(raw) as Partial<SavedSession>;
    if (typeof saved.roomId !== 'string' || typeof saved.token !== 'string' || (saved.role !== 'facilitator' && saved.role !== 'member')) return null;
    return { roomId: saved.roomId, token: saved.token, role: saved.role, media: saved.media ?? { audio: true, video: true } };
  } catch {
    return null;
  }
}

export function saveSession(session: SavedSession): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function forgetSession(): void {
  sessionStorage.removeItem(KEY);
}
