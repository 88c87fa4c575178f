/** The standing-groups API as the browser uses it: the facilitator's groups, and a member's own page by personal link. */
import type { z } from 'zod';
import type {
  CreateGroup,
  goalSchema,
  GroupLead,
  GroupSettings,
  MemberSession,
  myGroupSchema,
  noteSchema,
  rosterMemberSchema,
  sessionExportSchema,
  sessionSummarySchema,
  StartedSession,
} from '../../../shared/protocol/groups.js';
import { t } from '../i18n/index.js';
import { ApiRefusal, call } from './http-api.js';

/** Answers as they arrive: the server's shapes from shared/protocol/groups.ts, dates as ISO strings. */
type Sent<S extends z.ZodType> = z.input<S>;

export interface GroupSummary extends GroupSettings<string> {
  nextSessionAt: string | null;
  members?: number;
}

export type RosterMember = Sent<typeof rosterMemberSchema>;
export type SessionSummary = Sent<typeof sessionSummarySchema>;
export type Goal = Sent<typeof goalSchema>;
export type Note = Sent<typeof noteSchema>;
export type SessionExport = Sent<typeof sessionExportSchema>;
export type MyGroup = Sent<typeof myGroupSchema>;

const g = (groupId: string) => `/api/groups/${encodeURIComponent(groupId)}`;

/** Fetch a file the API answers (export, calendar) and hand it to the browser as a download. */
async function download(path: string, init: { key?: string; body?: unknown }, fallbackName: string): Promise<void> {
  const headers: Record<string, string> = {};
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method: init.body === undefined ? 'GET' : 'POST', headers, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) }).catch(() => null);
  if (!response) throw new ApiRefusal('OFFLINE', t('console:api.offline'));
  if (!response.ok) {
    const answer = (await response.json().catch(() => null)) as { code?: string; message?: string } | null;
    throw new ApiRefusal(answer?.code ?? 'INTERNAL', answer?.message ?? t('console:api.fileNotMade'));
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const anchor = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const groupsApi = {
  list: (key: string) => call<{ groups: GroupSummary[] }>('/api/groups', { key }).then((answer) => answer.groups),
  create: (key: string, group: CreateGroup) => call<{ group: GroupSummary }>('/api/groups', { key, body: group }).then((answer) => answer.group),
  get: (key: string, groupId: string) => call<{ group: GroupSummary; members: RosterMember[]; sessions: SessionSummary[]; leads: GroupLead[] }>(g(groupId), { key }),
  /** Another facilitator leads this group too: they see and steer it, and enter its sessions as facilitator. */
  addLead: (key: string, groupId: string, accountId: string) => call<{ leads: GroupLead[] }>(`${g(groupId)}/leads`, { key, body: { accountId } }).then((a) => a.leads),
  /** A lead enters the running session as facilitator (whoever started it). */
  facilitateSession: (key: string, groupId: string) => call<StartedSession>(`${g(groupId)}/sessions/current/facilitate`, { key, body: {} }),
  addMember: (key: string, groupId: string, name: string, emergencyContact?: string) =>
    call<{ member: RosterMember; link: string }>(`${g(groupId)}/members`, { key, body: emergencyContact ? { name, emergencyContact } : { name } }),
  /** Only the link's hash is kept, so a copy is a new link: the one before stops working. */
  issueLink: (key: string, groupId: string, memberId: string) => call<{ link: string }>(`${g(groupId)}/members/${encodeURIComponent(memberId)}/link`, { key, body: {} }).then((a) => a.link),
  revokeLink: (key: string, groupId: string, memberId: string) => call<void>(`${g(groupId)}/members/${encodeURIComponent(memberId)}/link`, { key, method: 'DELETE' }),
  removeMember: (key: string, groupId: string, memberId: string) => call<void>(`${g(groupId)}/members/${encodeURIComponent(memberId)}`, { key, method: 'DELETE' }),
  goals: (key: string, groupId: string) => call<{ goals: Record<string, Goal[]> }>(`${g(groupId)}/goals`, { key }).then((a) => a.goals),
  notes: (key: string, groupId: string) => call<{ notes: Note[] }>(`${g(groupId)}/notes`, { key }).then((a) => a.notes),
  addNote: (key: string, groupId: string, note: { text: string; session?: number; memberId?: string }) => call<{ note: Note }>(`${g(groupId)}/notes`, { key, body: note }).then((a) => a.note),
  sessionRecord: (key: string, groupId: string, number: number) => call<SessionExport>(`${g(groupId)}/sessions/${number}/export?format=json`, { key }),
  exportSession: (key: string, groupId: string, number: number, format: 'md' | 'json') =>
    download(`${g(groupId)}/sessions/${number}/export?format=${format}&timeZone=${encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone)}`, { key }, `session-${number}.${format}`),
  startSession: (key: string, groupId: string) => call<StartedSession>(`${g(groupId)}/sessions`, { key, body: {} }),
  calendar: (key: string, groupId: string) => download(`${g(groupId)}/calendar.ics`, { key }, 'group.ics'),

  me: (link: string) => call<MyGroup>('/api/me', { body: { link } }),
  addGoal: (link: string, text: string, visibleToGroup: boolean) => call<{ goal: Goal }>('/api/me/goals', { body: { link, text, visibleToGroup } }).then((a) => a.goal),
  updateGoal: (link: string, goalId: string, change: { visibleToGroup?: boolean }) => call<{ goal: Goal }>(`/api/me/goals/${encodeURIComponent(goalId)}`, { body: { link, ...change } }).then((a) => a.goal),
  addProgress: (link: string, goalId: string, note: string) => call<{ goal: Goal }>(`/api/me/goals/${encodeURIComponent(goalId)}/progress`, { body: { link, note } }).then((a) => a.goal),
  /** Refused NO_SESSION_RUNNING while the group is not meeting. */
  joinSession: (link: string) => call<MemberSession>('/api/me/session', { body: { link } }),
  myCalendar: (link: string) => download('/api/me/calendar.ics', { body: { link } }, 'group.ics'),
};
