import { z } from 'zod';
import { displayNameSchema, floorModeSchema, limits, textSchema } from './fields.js';

/** Bodies of the standing-group API (server/http/groups-api.ts), shared with the console that sends them. */

export const groupLimits = {
  agreementLength: 4000,
  themeLength: 200,
  promptsPerPhase: 12,
  noteLength: 4000,
  goalLength: 500,
  progressLength: 1000,
  contactLength: 300,
  locationLength: 200,
  memberCap: 15,
  retentionMonths: 120,
} as const;

export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** An IANA zone this server's Intl knows, e.g. Europe/Berlin. */
export const timeZoneSchema = z.string().max(64).refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as Europe/Berlin or America/New_York');

/** When the group meets: every week on this weekday at this local time in this zone. */
export const cadenceSchema = z.strictObject({
  weekday: z.enum(weekdays),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM, e.g. 18:00'),
  timeZone: timeZoneSchema,
  durationMinutes: z.number().int().min(15).max(480).default(90),
});
export type Cadence = z.infer<typeof cadenceSchema>;

export const agendaPhaseSchema = z.strictObject({
  name: textSchema(40),
  floorMode: floorModeSchema.optional(),
  theme: textSchema(groupLimits.themeLength).optional(),
  prompts: z.array(textSchema(limits.promptLength)).max(groupLimits.promptsPerPhase).default([]),
});
export const groupAgendaSchema = z.array(agendaPhaseSchema).min(1).max(limits.agendaPhases);
export type GroupAgenda = z.infer<typeof groupAgendaSchema>;

/** A standing group as the facilitator set it up: kept with `Date`s, sent as ISO strings. */
export interface GroupSettings<Time = Date> {
  id: string;
  name: string;
  agreement: string;
  cadence: Cadence;
  agenda: GroupAgenda;
  feedbackK: number;
  memberCap: number;
  retentionMonths: number;
  createdAt: Time;
  closedAt: Time | null;
}

export const feedbackKSchema = z.number().int().min(limits.feedbackMinK).max(12);

export const createGroupBody = z.strictObject({
  name: textSchema(limits.titleLength),
  agreement: textSchema(groupLimits.agreementLength),
  cadence: cadenceSchema,
  agenda: groupAgendaSchema,
  feedbackK: feedbackKSchema.default(3),
  memberCap: z.number().int().min(2).max(groupLimits.memberCap).default(12),
  retentionMonths: z.number().int().min(1).max(groupLimits.retentionMonths).optional(),
});
export type CreateGroup = z.infer<typeof createGroupBody>;

export const updateGroupBody = z.strictObject({
  name: textSchema(limits.titleLength).optional(),
  agreement: textSchema(groupLimits.agreementLength).optional(),
  cadence: cadenceSchema.optional(),
  agenda: groupAgendaSchema.optional(),
  feedbackK: feedbackKSchema.optional(),
  memberCap: z.number().int().min(2).max(groupLimits.memberCap).optional(),
  retentionMonths: z.number().int().min(1).max(groupLimits.retentionMonths).optional(),
  /** Close the group (its records' retention starts), or reopen it with false. */
  closed: z.boolean().optional(),
});
export type UpdateGroup = z.infer<typeof updateGroupBody>;

export const addMemberBody = z.strictObject({
  name: displayNameSchema,
  emergencyContact: textSchema(groupLimits.contactLength).optional(),
});

export const updateMemberBody = z.strictObject({
  emergencyContact: textSchema(groupLimits.contactLength).nullable(),
});

export const noteBody = z.strictObject({
  text: textSchema(groupLimits.noteLength),
  /** The session the note is about, by number ("Session 7"). */
  session: z.number().int().min(1).optional(),
  memberId: z.string().max(64).optional(),
});
export const noteUpdateBody = z.strictObject({ text: textSchema(groupLimits.noteLength) });

/** A member's personal link secret, as the member's page sends it. */
export const memberLinkSchema = z.string().regex(/^[A-Za-z0-9_-]{32,128}$/, 'expected the secret from a personal link');

export const memberBody = z.strictObject({ link: memberLinkSchema });
export const goalBody = z.strictObject({ link: memberLinkSchema, text: textSchema(groupLimits.goalLength), visibleToGroup: z.boolean().default(false) });
export const goalUpdateBody = z.strictObject({ link: memberLinkSchema, text: textSchema(groupLimits.goalLength).optional(), visibleToGroup: z.boolean().optional() });
export const progressBody = z.strictObject({ link: memberLinkSchema, note: textSchema(groupLimits.progressLength) });

export const attendanceSchema = z.enum(['present', 'late', 'absent', 'left_early']);
export type Attendance = z.infer<typeof attendanceSchema>;

/** `POST /api/groups/:groupId/sessions` (facilitator key): open the group's next session in a live room. */
export const startSessionBody = z.strictObject({ facilitatorName: displayNameSchema.default('Facilitator') });
/** Its answer (201): the room (its id is the session's id) and the facilitator's session token, as `POST /api/rooms`. */
export interface StartedSession {
  roomId: string;
  number: number;
  token: string;
}

/**
 * `POST /api/me/session` with `memberBody`: a session token for the group's running room, where
 * the participant id is the member's id. Refused `NO_SESSION_RUNNING` (409) when no session runs;
 * that refusal's `nextSessionAt` says when the next one is planned.
 */
export interface MemberSession {
  roomId: string;
  memberId: string;
  number: number;
  token: string;
}
export interface NoSessionRunning {
  ok: false;
  code: 'NO_SESSION_RUNNING';
  message: string;
  nextSessionAt: string | null;
}
