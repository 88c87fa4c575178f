import type { SessionExport } from '../../shared/protocol/groups.js';
import type { SessionRecord } from './group-records.js';

const outcomeWords: Record<string, string> = { spoke: 'spoke', passed: 'passed', 'timed-out': 'ran out of time', skipped: 'skipped', absent: 'not there' };
const fitWords: Record<string, string> = { true: 'fits', false: 'does not fit', null: 'not weighed' };
const attendanceWords: Record<string, string> = { present: 'present', late: 'late', absent: 'absent', left_early: 'left early' };

/** A session's record as JSON: what the facilitator exports (members named; feedback items never attributed). */
export function sessionJson(record: SessionRecord): SessionExport {
  const names = new Map(record.attendance.map((row) => [row.memberId, row.name]));
  return {
    group: record.group.name,
    session: record.number,
    startedAt: record.startedAt.toISOString(),
    endedAt: record.endedAt?.toISOString() ?? null,
    attendance: record.attendance.map(({ name, status }) => ({ name, status })),
    ratings: record.ratings.map(({ name, rating }) => ({ name, rating })),
    locations: record.locations.map(({ name, location }) => ({ name, location })),
    phases: record.agenda.map((phase) => ({ name: phase.name, ...(phase.theme ? { theme: phase.theme } : {}), prompts: phase.prompts })),
    rounds: record.rounds.map((round) => ({
      purpose: round.purpose,
      prompt: round.prompt,
      outcomes: Object.entries(round.outcomes).map(([memberId, outcome]) => ({ name: names.get(memberId) ?? 'a former member', outcome })),
    })),
    feedback: record.feedback,
    problems: record.problems.map((problem) => ({ member: names.get(problem.memberId) ?? 'a former member', problem: problem.problem, options: problem.options, plan: problem.plan })),
    notes: record.notes.map((note) => ({ ...(note.memberId ? { about: names.get(note.memberId) ?? 'a member' } : {}), text: note.text, writtenAt: note.createdAt.toISOString() })),
  };
}

const line = (text: string) => text.replace(/\r?\n/g, ' ');

/** The same record as Markdown, for reading or a clinical file. */
export function sessionMarkdown(record: SessionRecord, timeZone = 'UTC'): string {
  const json = sessionJson(record);
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone }).format(record.startedAt);
  const out = [`# ${line(record.group.name)}: Session ${record.number}`, '', `${when} (${timeZone})`, '', '## Attendance', ''];
  out.push(...(record.attendance.length ? record.attendance.map((row) => `- ${line(row.name)}: ${attendanceWords[row.status] ?? row.status}`) : ['- not recorded']));
  if (record.ratings.length) out.push('', '## Check-in ratings', '', ...record.ratings.map((row) => `- ${line(row.name)}: ${row.rating}/10`));
  if (record.locations.length) out.push('', '## Locations confirmed at check-in', '', ...record.locations.map((row) => `- ${line(row.name)}: ${line(row.location)}`));
  out.push('', '## Phases', '');
  for (const phase of record.agenda) {
    out.push(`- ${line(phase.name)}${phase.theme ? `: ${line(phase.theme)}` : ''}`);
    for (const prompt of phase.prompts) out.push(`  - ${line(prompt)}`);
  }
  if (json.rounds.length) {
    out.push('', '## Rounds');
    for (const round of json.rounds) out.push('', `### ${line(round.purpose)}: ${line(round.prompt)}`, '', ...round.outcomes.map((o) => `- ${line(o.name)}: ${outcomeWords[o.outcome] ?? o.outcome}`));
  }
  if (record.feedback.length) {
    out.push('', '## Released anonymous feedback');
    for (const released of record.feedback) out.push('', `### ${line(released.prompt)}`, '', ...released.items.map((item) => `- ${line(item)}`));
  }
  if (json.problems.length) {
    out.push('', '## Problem-solving');
    for (const problem of json.problems) {
      out.push('', `### ${line(problem.member)}: ${line(problem.problem ?? 'not stated')}`);
      if (problem.options.length) out.push('', ...problem.options.map((option) => `- ${fitWords[String(option.fits)]}: ${line(option.text)}`));
      if (problem.plan) out.push('', `Next step: ${line(problem.plan)}`);
    }
  }
  if (json.notes.length) out.push('', '## Facilitator notes', '', ...json.notes.map((note) => `- ${note.about ? `(${line(note.about)}) ` : ''}${line(note.text)}`));
  return `${out.join('\n')}\n`;
}
