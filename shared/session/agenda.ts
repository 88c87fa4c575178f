import { z } from 'zod';
import { limits, textSchema } from '../protocol/fields.js';
import { agendaPhaseSchema, groupLimits } from '../protocol/groups.js';
import { accept, refuse, rule, type Fields, type Step } from './rules.js';
import type { Agenda, AgendaPhase, RoomState } from './state.js';

const phaseIndex = z.number().int().min(0).max(limits.agendaPhases - 1);
/** A phase as a command gives it: a group's agenda phase, where leaving out the prompts means none. */
const phaseSchema = agendaPhaseSchema.extend({ prompts: z.array(textSchema(limits.promptLength)).max(groupLimits.promptsPerPhase).optional() });
const agendaShape = { phases: z.array(phaseSchema).min(1).max(limits.agendaPhases) };
const phaseShape = { index: phaseIndex };
const addShape = { phase: phaseSchema };
const editShape = { index: phaseIndex, phase: phaseSchema };
const moveShape = { index: phaseIndex, to: phaseIndex };

const phase = (name: string, floorMode: AgendaPhase['floorMode']): AgendaPhase => ({ name, floorMode, prompts: [] });

export const defaultAgenda: Agenda = {
  phases: [phase('Arrival', 'open'), phase('Check-in', 'stick'), phase('Work', 'queue'), phase('Role-play', 'queue'), phase('Feedback', 'queue'), phase('Check-out', 'stick')],
  current: 0,
};

/** A phase as the state keeps it: no empty optional keys, its own copy of the prompts. */
export function agendaPhase(input: { name: string; floorMode?: AgendaPhase['floorMode']; theme?: string; prompts?: string[] }): AgendaPhase {
  return {
    name: input.name,
    ...(input.floorMode ? { floorMode: input.floorMode } : {}),
    ...(input.theme ? { theme: input.theme } : {}),
    prompts: [...(input.prompts ?? [])],
  };
}

const withAgenda = (state: RoomState, phases: AgendaPhase[], current: number): RoomState => ({ ...state, agenda: { phases, current } });

export function setAgenda(state: RoomState, command: Fields<typeof agendaShape>): Step {
  const current = Math.min(state.agenda.current, command.phases.length - 1);
  return accept(withAgenda(state, command.phases.map(agendaPhase), current));
}

export function addPhase(state: RoomState, command: Fields<typeof addShape>): Step {
  if (state.agenda.phases.length >= limits.agendaPhases) return refuse('AGENDA_FULL');
  return accept(withAgenda(state, [...state.agenda.phases, agendaPhase(command.phase)], state.agenda.current));
}

/** Rename a phase, or change its floor mode, theme or prompts; the floor itself changes only on moving to a phase. */
export function editPhase(state: RoomState, command: Fields<typeof editShape>): Step {
  if (!state.agenda.phases[command.index]) return refuse('NOT_FOUND');
  const phases = state.agenda.phases.map((old, index) => (index === command.index ? agendaPhase(command.phase) : old));
  return accept(withAgenda(state, phases, state.agenda.current));
}

/** Move a phase to another place; the session stays in the phase it was in, wherever that lands. */
export function movePhase(state: RoomState, command: Fields<typeof moveShape>): Step {
  const { phases, current } = state.agenda;
  const moving = phases[command.index];
  if (!moving || command.to >= phases.length) return refuse('NOT_FOUND');
  if (command.index === command.to) return accept(state);
  const rest = phases.filter((_, index) => index !== command.index);
  const next = [...rest.slice(0, command.to), moving, ...rest.slice(command.to)];
  return accept(withAgenda(state, next, next.indexOf(phases[current]!)));
}

/** Remove a phase other than the one the session is in, which keeps the agenda from ever being empty. */
export function removePhase(state: RoomState, command: Fields<typeof phaseShape>): Step {
  const { phases, current } = state.agenda;
  if (!phases[command.index]) return refuse('NOT_FOUND');
  if (command.index === current) return refuse('PHASE_CURRENT');
  return accept(withAgenda(state, phases.filter((_, index) => index !== command.index), command.index < current ? current - 1 : current));
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
  rule('phase.add', 'facilitator', addShape, addPhase),
  rule('phase.edit', 'facilitator', editShape, editPhase),
  rule('phase.move', 'facilitator', moveShape, movePhase),
  rule('phase.remove', 'facilitator', phaseShape, removePhase),
];
