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
const stepInShape = { part: castIndex, memberId: idSchema };
const partShape = { part: castIndex };
const endShape = { sharing: roundSettingsSchema.omit({ order: true }).optional() };

export function start(state: RoomState, command: Fields<typeof startShape>, ctx: RuleContext): Step {
  if (state.scene) return refuse('SCENE_RUNNING');
  if (state.round && !state.round.closed) return refuse('ROUND_RUNNING');
  if (state.problemSolving.current) return refuse('EXERCISE_RUNNING');
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

/** Who may step onto the stage now: a member here, in the audience. */
function audienceMember(state: RoomState, scene: Scene, memberId: string): Step | null {
  if (!presentMember(state, memberId)) return refuse('NOT_FOUND');
  if (onStage(scene, memberId)) return refuse('INVALID', 'that member is already on stage');
  return null;
}

/** A member of the audience steps in behind a part, frozen or not; they are heard like the cast from now on. */
export function double(state: RoomState, command: Fields<typeof stepInShape>): Step {
  const scene = state.scene;
  if (!scene) return refuse('NO_SCENE');
  const part = scene.cast[command.part];
  if (!part || part.kind === 'double') return refuse('INVALID', 'a double stands behind a part of the cast that is not itself a double');
  const barred = audienceMember(state, scene, command.memberId);
  if (barred) return barred;
  if (scene.cast.length >= limits.castSize) return refuse('INVALID', `a cast has at most ${limits.castSize} players`);
  const cast = [...scene.cast, { role: part.role, kind: 'double' as const, memberId: command.memberId, behind: command.part }];
  return accept({ ...state, scene: { ...scene, cast } });
}

/** Someone from the audience takes over a part; the one who played it joins the audience. Doubles stay behind the part. */
export function swap(state: RoomState, command: Fields<typeof stepInShape>): Step {
  const scene = state.scene;
  if (!scene) return refuse('NO_SCENE');
  if (!scene.cast[command.part]) return refuse('INVALID', 'name a part of the cast');
  const barred = audienceMember(state, scene, command.memberId);
  if (barred) return barred;
  const cast = scene.cast.map((part, index) => (index === command.part ? { ...part, memberId: command.memberId } : part));
  return accept({ ...state, scene: { ...scene, cast } });
}

/** A double steps back into the audience; later doubles keep pointing at the same parts. */
export function undouble(state: RoomState, command: Fields<typeof partShape>): Step {
  const scene = state.scene;
  if (!scene) return refuse('NO_SCENE');
  if (scene.cast[command.part]?.kind !== 'double') return refuse('INVALID', 'only a double can step out mid-scene');
  const cast = scene.cast
    .filter((_, index) => index !== command.part)
    .map((part) => (part.behind !== undefined && part.behind > command.part ? { ...part, behind: part.behind - 1 } : part));
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

/** A member leaves the stage for good: their parts go, doubles keep pointing at the same parts, and a double whose part went stays as a plain double. */
export function withoutPlayer(scene: Scene, memberId: string): Scene {
  const kept = scene.cast.map((part, index) => ({ part, index })).filter(({ part }) => part.memberId !== memberId);
  const newIndex = new Map(kept.map(({ index }, at) => [index, at]));
  const cast = kept.map(({ part }) => {
    if (part.behind === undefined) return part;
    const { behind, ...rest } = part;
    const moved = newIndex.get(behind);
    return moved === undefined ? rest : { ...rest, behind: moved };
  });
  return { ...scene, cast };
}

export const onStage = (scene: Scene, memberId: string): boolean => scene.cast.some((part) => part.memberId === memberId);

export const sceneCommands = [
  rule('scene.start', 'facilitator', startShape, start),
  rule('scene.reverse', 'facilitator', reverseShape, reverse),
  rule('scene.double', 'facilitator', stepInShape, double),
  rule('scene.swap', 'facilitator', stepInShape, swap),
  rule('scene.undouble', 'facilitator', partShape, undouble),
  rule('scene.freeze', 'facilitator', {}, (state, _command, ctx) => freeze(state, ctx)),
  rule('scene.resume', 'facilitator', {}, (state, _command, ctx) => resume(state, ctx)),
  rule('scene.end', 'facilitator', endShape, end),
];
