import { Feed } from './store.js';

export interface Notice {
  id: number;
  text: string;
  tone: 'error' | 'info';
}

let next = 1;

/** Messages for the person: refusals from the server, failed devices, copied links. */
export const notices = new Feed<Notice>();

export function notify(text: string, tone: Notice['tone'] = 'error'): void {
  const notice = { id: next++, text, tone };
  notices.push(notice);
  setTimeout(() => notices.remove(notice), tone === 'error' ? 9_000 : 4_000);
}
