import { handFloor } from './floor.js';
import { z } from 'zod';
import { idSchema, limits, secondsSchema, textSchema } from '../protocol/fields.js';
import { openRound, roundSettingsSchema } from './round.js';
import { accept, memberSeats, presentMember, refuse, rule, type Fields, type RuleContext, type Step } from './rules.js';
import type { RoomState, Scene } from './state.js';

const castMemberSchema = z.strictObject({
  role: textSchema(limits.roleLength),
  kind: z.enum(['protagonist', 'antagonist', 'double', 'other']),
  memberId: idSchema,
});
const castIndex = z.number().int().min(0).max(limits.castSize - 1);
const startShape = {
  title: textSchema(limits.titleLength),
  setting: textSchema(limits.settingLength).optional(),
  cast: z.array(castMemberSchema).min(1).max(limits.castSize),
  durationSeconds: secondsSchema.optional(),
};
const reverseShape = { roleA: castIndex, roleB: castIndex };
const endShape = { sharing: roundSettingsSchema.omit({ order: true }).optional() };

export function start(state: RoomState, command: Fields<typeof startShape>, ctx: RuleContext): Step {
  if (state.scene) return refuse('SCENE_RUNNING');
  if (state.round && !state.round.closed) return refuse('ROUND_RUNNING');
  const members = command.cast.map((part) => part.memberId);
  if (new Set(members).size !== members.length) return refuse('INVALID', 'each member plays one role');
  if (!members.every((id) => presentMember(state, id))) return refuse('NOT_FOUND');
  if (command.cast.filter((part) => part.kind === 'protagonist').length !== 1) return refuse('INVALID', 'a scene has one protagonist');
  const scene: Scene = {
    id: ctx.newId(),
    title: command.title,
    setting: command.setting ?? null,
    cast: command.cast.map((part) => ({ ...part })),
    startedAt: ctx.now,
    endsAt: command.durationSeconds === undefined ? null : ctx.now + command.durationSeconds * 1000,
    frozenAt: null,
  };
  // The cast holds the floor together while the scene runs; nobody holds it alone.
  return accept({ ...handFloor(state, null, ctx, null), scene });
}

export function reverse(state: RoomState, command: Fields<typeof reverseShape>): Step {
  const scene = state.scene;
  if (!scene) return refuse('NO_SCENE');
  const a = scene.cast[command.roleA];
  const b = scene.cast[command.roleB];
  if (!a || !b || command.roleA === command.roleB) return refuse('INVALID', 'name two different roles of the cast');
  const cast = scene.cast.map((part, index) =>
    index === command.roleA ? { ...part, memberId: b.memberId } : index === command.roleB ? { ...part, memberId: a.memberId } : part,
  );
  return accept({ ...state, scene: { ...scene, cast } });
}

export function freeze(state: RoomState, ctx: RuleContext): Step {
  if (!state.scene) return refuse('NO_SCENE');
  if (state.scene.frozenAt !== null) return refuse('SCENE_FROZEN');
  return accept({ ...state, scene: { ...state.scene, frozenAt: ctx.now } });
}

export function resume(state: RoomState, ctx: RuleContext): Step {
  const scene = state.scene;
  if (!scene) return refuse('NO_SCENE');
  if (scene.frozenAt === null) return accept(state);
  const paused = ctx.now - scene.frozenAt;
  return accept({ ...state, scene: { ...scene, frozenAt: null, endsAt: scene.endsAt === null ? null : scene.endsAt + paused } });
}

export const audienceOf = (state: RoomState, scene: Scene): string[] =>
  memberSeats(state).filter((id) => !scene.cast.some((part) => part.memberId === id));

export function end(state: RoomState, command: Fields<typeof endShape>, ctx: RuleContext): Step {
  const scene = state.scene;
  if (!scene) return refuse('NO_SCENE');
  const ended = { ...state, scene: null };
  if (!command.sharing) return accept(ended);
  return openRound(ended, { ...command.sharing, order: 'seats' }, 'sharing', ctx, audienceOf(state, scene));
}

/** The scene timer ran out (a frozen scene's timer is stopped). */
export function expire(state: RoomState, ctx: RuleContext): RoomState {
  const scene = state.scene;
  if (!scene || scene.frozenAt !== null || scene.endsAt === null || scene.endsAt > ctx.now) return state;
  return { ...state, scene: null };
}

export const onStage = (scene: Scene, memberId: string): boolean => scene.cast.some((part) => part.memberId === memberId);

export const sceneCommands = [
  rule('scene.start', 'facilitator', startShape, start),
  rule('scene.reverse', 'facilitator', reverseShape, reverse),
  rule('scene.freeze', 'facilitator', {}, (state, _command, ctx) => freeze(state, ctx)),
  rule('scene.resume', 'facilitator', {}, (state, _command, ctx) => resume(state, ctx)),
  rule('scene.end', 'facilitator', endShape, end),
];
