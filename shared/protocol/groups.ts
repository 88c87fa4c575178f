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

/** A moment as the API sends it (ISO 8601) and as the records hold it (a Date): `z.input` is the wire, `z.output` the records. */
const moment = z.codec(z.iso.datetime(), z.date(), { decode: (iso) => new Date(iso), encode: (date) => date.toISOString() });

/**
 * Answers of the groups API, one schema each for the server's records (`z.output`, Dates) and the
 * browser (`z.input`, ISO strings); the server may send more fields than the browser reads.
 */
export const rosterMemberSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The link itself is never stored, only whether one is live. */
  hasLink: z.boolean(),
  addedAt: moment,
  leftAt: moment.nullable(),
  emergencyContact: z.string().nullable(),
});

/** A facilitator who leads a group: named as colleagues and members see them. */
export const groupLeadSchema = z.object({ id: z.string(), name: z.string() });
export type GroupLead = z.infer<typeof groupLeadSchema>;
export const sessionSummarySchema = z.object({ id: z.string(), number: z.number().int(), startedAt: moment, endedAt: moment.nullable() });

export const goalSchema = z.object({
  id: z.string(),
  text: z.string(),
  visibleToGroup: z.boolean(),
  createdAt: moment,
  progress: z.array(z.object({ id: z.string(), note: z.string(), createdAt: moment })),
});

export const noteSchema = z.object({
  id: z.string(),
  /** The session it is about, by number, or null. */
  session: z.number().int().nullable(),
  memberId: z.string().nullable(),
  text: z.string(),
  createdAt: moment,
});

/** `POST /api/me` with `memberBody`: a member's own page. */
export const myGroupSchema = z.object({
  member: z.object({ id: z.string(), name: z.string() }),
  group: z.object({ name: z.string(), agreement: z.string(), cadence: cadenceSchema.required(), nextSessionAt: moment.nullable() }),
  goals: z.array(goalSchema),
});
export type MyGroup = z.output<typeof myGroupSchema>;

/** A session's record as its JSON export: a document for a clinical file, members by name, times as written. */
export const sessionExportSchema = z.object({
  group: z.string(),
  session: z.number().int(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  attendance: z.array(z.object({ name: z.string(), status: attendanceSchema })),
  ratings: z.array(z.object({ name: z.string(), rating: z.number() })),
  locations: z.array(z.object({ name: z.string(), location: z.string() })),
  phases: z.array(z.object({ name: z.string(), theme: z.string().optional(), prompts: z.array(z.string()) })),
  rounds: z.array(z.object({ purpose: z.string(), prompt: z.string(), outcomes: z.array(z.object({ name: z.string(), outcome: z.string() })) })),
  feedback: z.array(z.object({ prompt: z.string(), items: z.array(z.string()) })),
  /** Problem-solving exercises: whose problem, the options with the member's marks, the plan; never who offered an option. */
  problems: z.array(
    z.object({ member: z.string(), problem: z.string().nullable(), options: z.array(z.object({ text: z.string(), fits: z.boolean().nullable() })), plan: z.string().nullable() }),
  ),
  notes: z.array(z.object({ about: z.string().optional(), text: z.string(), writtenAt: z.iso.datetime() })),
});
export type SessionExport = z.output<typeof sessionExportSchema>;

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
