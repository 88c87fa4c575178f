import type { CommandOf } from '../protocol/commands.js';
import { accept, refuse, type Step } from './rules.js';
import type { Agenda, RoomState } from './state.js';

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

export function setAgenda(state: RoomState, command: CommandOf<'agenda.set'>): Step {
  const current = Math.min(state.agenda.current, command.phases.length - 1);
  return accept({ ...state, agenda: { phases: command.phases.map((phase) => ({ ...phase })), current } });
}

/** Moving to a phase sets the floor mode it asks for. */
export function goToPhase(state: RoomState, command: CommandOf<'phase.go'>): Step {
  const phase = state.agenda.phases[command.index];
  if (!phase) return refuse('NOT_FOUND');
  const mode = phase.floorMode ?? state.floor.mode;
  return accept({ ...state, agenda: { ...state.agenda, current: command.index }, floor: { ...state.floor, mode } });
}
