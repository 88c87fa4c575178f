import { z } from 'zod';
import { floorModeSchema, limits, textSchema } from '../protocol/fields.js';
import { accept, refuse, rule, type Fields, type Step } from './rules.js';
import type { Agenda, RoomState } from './state.js';

const phaseSchema = z.strictObject({ name: textSchema(40), floorMode: floorModeSchema.optional() });
const agendaShape = { phases: z.array(phaseSchema).min(1).max(limits.agendaPhases) };
const phaseShape = { index: z.number().int().min(0).max(limits.agendaPhases - 1) };

export const defaultAgenda: Agenda = {
  phases: [
    { name: 'Arrival', floorMode: 'open' },
    { name: 'Check-in', floorMode: 'stick' },
    { name: 'Work', floorMode: 'queue' },
    { name: 'Role-play', floorMode: 'queue' },
    { name: 'Feedback', floorMode: 'queue' },
    { name: 'Check-out', floorMode: 'stick' },
  ],
  current: 0,
};

export function setAgenda(state: RoomState, command: Fields<typeof agendaShape>): Step {
  const current = Math.min(state.agenda.current, command.phases.length - 1);
  return accept({ ...state, agenda: { phases: command.phases.map((phase) => ({ ...phase })), current } });
}

/** Moving to a phase sets the floor mode it asks for. */
export function goToPhase(state: RoomState, command: Fields<typeof phaseShape>): Step {
  const phase = state.agenda.phases[command.index];
  if (!phase) return refuse('NOT_FOUND');
  const mode = phase.floorMode ?? state.floor.mode;
  return accept({ ...state, agenda: { ...state.agenda, current: command.index }, floor: { ...state.floor, mode } });
}

export const agendaCommands = [
  rule('agenda.set', 'facilitator', agendaShape, setAgenda),
  rule('phase.go', 'facilitator', phaseShape, goToPhase),
];
