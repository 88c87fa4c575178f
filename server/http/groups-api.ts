import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { idSchema } from '../../shared/protocol/fields.js';
import { addMemberBody, startSessionBody, createGroupBody, goalBody, goalUpdateBody, memberBody, noteBody, noteUpdateBody, progressBody, updateGroupBody, updateMemberBody, type MyGroup } from '../../shared/protocol/groups.js';
import { FailureBudget } from '../realtime/limits.js';
import { groupCalendar, nextSessionAt } from '../records/calendar.js';
import type { Group, GroupRecords, MemberIdentity } from '../records/group-records.js';
import { sessionJson, sessionMarkdown } from '../records/session-export.js';
import { ApiError, asyncRoute, parse } from './api-error.js';
import type { AccountBook } from '../accounts/account-book.js';
import type { AuditTrail } from '../accounts/audit-trail.js';
import type { FacilitatorAccess } from './facilitator-access.js';
import type { GroupSessions } from '../groups/group-sessions.js';
import type { AuditAction } from '../accounts/audit-trail.js';

export interface GroupsApiOptions {
  records: GroupRecords;
  /** Sessions in the live room; without them the session routes do not exist. */
  sessions: GroupSessions | null;
  /** True once the server is shutting down: no new session opens. */
  draining: () => boolean;
  /** The signed-in facilitator of each request. */
  access: FacilitatorAccess;
  /** Who leads which group. */
  accounts: AccountBook;
  audit: AuditTrail;
  publicUrl: () => string;
  /** Failed member links per address and minute. */
  entryPerMinute: number;
}

const recordId = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/);
const groupParams = z.strictObject({ groupId: recordId });
const memberParams = z.strictObject({ groupId: recordId, memberId: recordId });
const noteParams = z.strictObject({ groupId: recordId, noteId: recordId });
const sessionParams = z.strictObject({ groupId: recordId, number: z.coerce.number().int().min(1).max(100_000) });
const goalParams = z.strictObject({ goalId: idSchema });
const notesQuery = z.strictObject({ session: z.coerce.number().int().min(1).optional(), memberId: recordId.optional() });
const exportQuery = z.strictObject({ format: z.enum(['md', 'json']).default('md'), timeZone: z.string().max(64).optional() });

/** Larger bodies than the rooms API takes: notes and agreements are longer than a name. */
const json = express.json({ limit: '64kb', strict: true });

const linkUrl = (base: string, secret: string) => `${base}/group#link=${secret}`;
const withNext = (group: Group, now: Date) => ({ ...group, nextSessionAt: nextSessionAt(group, now) });
const fileName = (group: Group, extension: string) => `${group.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'group'}.${extension}`;

/** The facilitator's routes for standing groups: groups, roster and links, sessions, notes, export and calendar. */
export function createGroupsApi(options: GroupsApiOptions): express.Router {
  const { records, access, accounts, audit } = options;
  const api = express.Router();
  api.use(json);
  const leadParams = z.strictObject({ accountId: recordId });
  const group = async (groupId: string) => {
    const found = await records.getGroup(groupId);
    if (!found) throw new ApiError('NOT_FOUND', 'no such group');
    return found;
  };
  /** Any signed-in facilitator; a route naming a group also needs its lead (an administrator too): others are told it does not exist. */
  const facilitator = (handler: (req: Request, res: Response, by: string) => Promise<void>) =>
    asyncRoute(async (req, res) => {
      const { account } = await access.requireAccount(req);
      const groupId = (req.params as { groupId?: string }).groupId;
      if (groupId !== undefined && !(recordId.safeParse(groupId).success && (await accounts.isLead(account.id, groupId)))) throw new ApiError('NOT_FOUND', 'no such group');
      await handler(req, res, account.id);
    });
  const noted = (action: AuditAction, by: string, groupId: string, subject: string | null = null) => audit.record({ action, actor: by, groupId, subject });

  api.post('/', facilitator(async (req, res, by) => {
    const created = await records.createGroup(parse(createGroupBody, req.body ?? {}));
    await accounts.addLead(created.id, by);
    await noted('group.created', by, created.id);
    res.status(201).json({ group: withNext(created, new Date()) });
  }));

  api.get('/', facilitator(async (_req, res, by) => {
    const now = new Date();
    const led = await accounts.groupsLedBy(by);
    const groups = (await records.listGroups()).filter((g) => led.has(g.id));
    res.json({ groups: await Promise.all(groups.map(async (g) => ({ ...withNext(g, now), members: (await records.roster(g.id)).length }))) });
  }));

  api.get('/:groupId', facilitator(async (req, res) => {
    const { groupId } = parse(groupParams, req.params);
    const found = await group(groupId);
    res.json({ group: withNext(found, new Date()), members: await records.roster(groupId, true), sessions: await records.sessions(groupId), leads: await accounts.leads(groupId) });
  }));

  /** A lead adds another facilitator as co-lead: they see and steer this group too. */
  api.post('/:groupId/leads', facilitator(async (req, res, by) => {
    const { groupId } = parse(groupParams, req.params);
    const { accountId } = parse(leadParams, req.body ?? {});
    if (!(await accounts.account(accountId))) throw new ApiError('NOT_FOUND', 'no such facilitator');
    await accounts.addLead(groupId, accountId);
    await noted('group.lead-added', by, groupId, accountId);
    res.status(201).json({ leads: await accounts.leads(groupId) });
  }));

  api.patch('/:groupId', facilitator(async (req, res, by) => {
    const { groupId } = parse(groupParams, req.params);
    const updated = await records.updateGroup(groupId, parse(updateGroupBody, req.body ?? {}));
    if (!updated) throw new ApiError('NOT_FOUND', 'no such group');
    await noted('group.changed', by, groupId);
    res.json({ group: withNext(updated, new Date()) });
  }));

  api.post('/:groupId/members', facilitator(async (req, res, by) => {
    const { groupId } = parse(groupParams, req.params);
    const added = await records.addMember(groupId, parse(addMemberBody, req.body ?? {}));
    await noted('member.added', by, groupId, added.member.id);
    res.status(201).json({ member: added.member, link: linkUrl(options.publicUrl(), added.link) });
  }));

  api.patch('/:groupId/members/:memberId', facilitator(async (req, res) => {
    const { groupId, memberId } = parse(memberParams, req.params);
    const { emergencyContact } = parse(updateMemberBody, req.body ?? {});
    res.json({ member: await records.setEmergencyContact(groupId, memberId, emergencyContact) });
  }));

  /** The member leaves the group: their seat is free and their link ends; their records follow retention. */
  api.delete('/:groupId/members/:memberId', facilitator(async (req, res, by) => {
    const { groupId, memberId } = parse(memberParams, req.params);
    await records.removeMember(groupId, memberId);
    await noted('member.removed', by, groupId, memberId);
    await options.sessions?.revoke(groupId, memberId);
    res.status(204).end();
  }));

  /** Copy a member's link: only its hash is kept, so a copy is a new link and the old one stops working. */
  api.post('/:groupId/members/:memberId/link', facilitator(async (req, res, by) => {
    const { groupId, memberId } = parse(memberParams, req.params);
    const link = await records.issueLink(groupId, memberId);
    await noted('member.link-issued', by, groupId, memberId);
    res.json({ link: linkUrl(options.publicUrl(), link) });
  }));

  api.delete('/:groupId/members/:memberId/link', facilitator(async (req, res, by) => {
    const { groupId, memberId } = parse(memberParams, req.params);
    await records.revokeLink(groupId, memberId);
    await noted('member.link-revoked', by, groupId, memberId);
    // Open sockets included: the member leaves the running session now, not at their next reconnect.
    await options.sessions?.revoke(groupId, memberId);
    res.status(204).end();
  }));

  api.delete('/:groupId/members/:memberId/data', facilitator(async (req, res, by) => {
    const { groupId, memberId } = parse(memberParams, req.params);
    await options.sessions?.revoke(groupId, memberId);
    await records.deleteMemberData(groupId, memberId);
    await noted('member.data-deleted', by, groupId, memberId);
    res.status(204).end();
  }));

  /** Session N opens the live room: the group's agenda, k, cap and roster; the facilitator's token back. */
  api.post('/:groupId/sessions', facilitator(async (req, res, by) => {
    const { groupId } = parse(groupParams, req.params);
    const { facilitatorName } = parse(startSessionBody, req.body ?? {});
    if (!options.sessions) throw new ApiError('NOT_FOUND');
    if (options.draining()) throw new ApiError('DRAINING');
    // Members see the lead by the name of their account, as every co-lead is seen.
    const lead = await accounts.account(by);
    const started = await options.sessions.start(groupId, lead?.name ?? facilitatorName, by);
    await noted('session.started', by, groupId, started.roomId);
    res.status(201).json(started);
  }));

  /** Another lead joins the running session as its facilitator. */
  api.post('/:groupId/sessions/current/facilitate', facilitator(async (req, res, by) => {
    const { groupId } = parse(groupParams, req.params);
    if (!options.sessions) throw new ApiError('NOT_FOUND');
    const lead = await accounts.account(by);
    res.json(await options.sessions.facilitate(groupId, { accountId: by, name: lead?.name ?? '' }));
  }));

  api.get('/:groupId/sessions', facilitator(async (req, res) => {
    const { groupId } = parse(groupParams, req.params);
    await group(groupId);
    res.json({ sessions: await records.sessions(groupId) });
  }));

  api.get('/:groupId/sessions/:number/export', facilitator(async (req, res, by) => {
    const { groupId, number } = parse(sessionParams, req.params);
    const query = parse(exportQuery, req.query);
    const found = await group(groupId);
    const record = await records.sessionRecord(groupId, number);
    if (!record) throw new ApiError('NOT_FOUND', `no session ${number} in this group`);
    const name = fileName(found, '').replace(/\.$/, `-session-${number}`);
    await noted('session.exported', by, groupId, record.id);
    if (query.format === 'json') {
      res.set('Content-Disposition', `attachment; filename="${name}.json"`).json(sessionJson(record));
      return;
    }
    res.set('Content-Disposition', `attachment; filename="${name}.md"`).type('text/markdown; charset=utf-8').send(sessionMarkdown(record, query.timeZone ?? found.cadence.timeZone));
  }));

  api.get('/:groupId/goals', facilitator(async (req, res) => {
    const { groupId } = parse(groupParams, req.params);
    await group(groupId);
    res.json({ goals: await records.goalsByMember(groupId) });
  }));

  api.get('/:groupId/notes', facilitator(async (req, res) => {
    const { groupId } = parse(groupParams, req.params);
    await group(groupId);
    res.json({ notes: await records.notes(groupId, parse(notesQuery, req.query)) });
  }));

  api.post('/:groupId/notes', facilitator(async (req, res) => {
    const { groupId } = parse(groupParams, req.params);
    res.status(201).json({ note: await records.addNote(groupId, parse(noteBody, req.body ?? {})) });
  }));

  api.patch('/:groupId/notes/:noteId', facilitator(async (req, res) => {
    const { groupId, noteId } = parse(noteParams, req.params);
    res.json({ note: await records.updateNote(groupId, noteId, parse(noteUpdateBody, req.body ?? {}).text) });
  }));

  api.delete('/:groupId/notes/:noteId', facilitator(async (req, res) => {
    const { groupId, noteId } = parse(noteParams, req.params);
    await records.deleteNote(groupId, noteId);
    res.status(204).end();
  }));

  api.get('/:groupId/calendar.ics', facilitator(async (req, res) => {
    const { groupId } = parse(groupParams, req.params);
    const found = await group(groupId);
    res.set('Content-Disposition', `attachment; filename="${fileName(found, 'ics')}"`).type('text/calendar; charset=utf-8').send(groupCalendar(found, { now: new Date() }));
  }));

  return api;
}

/** A member's own routes, authenticated by the secret of their personal link (in the body, never in a URL). */
export function createMemberApi(options: GroupsApiOptions): express.Router {
  const { records } = options;
  const api = express.Router();
  api.use(json);
  // Wrong links spend their address's budget, checked first so a spent budget reveals nothing.
  const linkFailures = new FailureBudget('member-link-failures', options.entryPerMinute);
  const memberOf = async <T extends { link: string }>(req: Request, schema: z.ZodType<T>): Promise<{ body: T; member: MemberIdentity; group: Group }> => {
    const address = req.ip ?? 'unknown';
    if (await linkFailures.spent(address)) throw new ApiError('RATE_LIMITED');
    const link = memberBody.shape.link.safeParse((req.body as { link?: unknown } | undefined)?.link);
    const member = link.success ? await records.verifyMemberLink(link.data) : null;
    const found = member && (await records.getGroup(member.groupId));
    if (!member || !found) throw new ApiError((await linkFailures.fail(address)) === 'over' ? 'RATE_LIMITED' : 'MEMBER_LINK_INVALID');
    return { body: parse(schema, req.body ?? {}), member, group: found };
  };

  api.post('/', asyncRoute(async (req, res) => {
    const { member, group } = await memberOf(req, memberBody);
    const page: MyGroup = {
      member: { id: member.memberId, name: member.name },
      group: { name: group.name, agreement: group.agreement, cadence: group.cadence, nextSessionAt: nextSessionAt(group, new Date()) },
      goals: await records.goalsOf(member.memberId),
    };
    res.json(page);
  }));

  /** The group's running session, entered as this member: same id, name and seat every week, on any device. */
  api.post('/session', asyncRoute(async (req, res) => {
    const { member } = await memberOf(req, memberBody);
    if (!options.sessions) throw new ApiError('NOT_FOUND');
    res.status(201).json(await options.sessions.enter(member));
  }));

  // A goal written during a session shows at once in the running room.
  const goalsChanged = (member: MemberIdentity) => options.sessions?.goalsChanged(member.groupId, member.memberId);

  api.post('/goals', asyncRoute(async (req, res) => {
    const { body, member } = await memberOf(req, goalBody);
    const goal = await records.addGoal(member.memberId, { text: body.text, visibleToGroup: body.visibleToGroup });
    await goalsChanged(member);
    res.status(201).json({ goal });
  }));

  api.post('/goals/:goalId', asyncRoute(async (req, res) => {
    const { body, member } = await memberOf(req, goalUpdateBody);
    const { goalId } = parse(goalParams, req.params);
    const goal = await records.updateGoal(member.memberId, goalId, { text: body.text, visibleToGroup: body.visibleToGroup });
    await goalsChanged(member);
    res.json({ goal });
  }));

  api.post('/goals/:goalId/progress', asyncRoute(async (req, res) => {
    const { body, member } = await memberOf(req, progressBody);
    const { goalId } = parse(goalParams, req.params);
    const goal = await records.addProgress(member.memberId, goalId, body.note);
    await goalsChanged(member);
    res.status(201).json({ goal });
  }));

  api.post('/calendar.ics', asyncRoute(async (req, res) => {
    const { group } = await memberOf(req, memberBody);
    res.set('Content-Disposition', `attachment; filename="${fileName(group, 'ics')}"`).type('text/calendar; charset=utf-8').send(groupCalendar(group, { now: new Date() }));
  }));

  return api;
}
