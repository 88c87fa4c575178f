import type { GroupView, SelfView } from '../../../shared/session/projection.js';
import { t } from '../i18n/index.js';
import { castPart, floorModeName, nameOf, roundTitle } from './room-view.js';

export interface Announcement {
  text: string;
  /** Interrupts the screen reader: for what the person must act on now. */
  urgent: boolean;
}

export interface Seen {
  group: GroupView | null;
  self: SelfView | null;
}

function announceProblem(group: GroupView, was: GroupView, me: string, say: (text: string, urgent?: boolean) => void): void {
  const problem = group.problem;
  const old = was.problem;
  if (!problem) {
    if (old) say(t('session:say.problemEnded'));
    return;
  }
  if (old?.id === problem.id && old.step === problem.step) return;
  const mine = problem.memberId === me;
  const name = nameOf(group, problem.memberId);
  if (problem.step === 'define') say(mine ? t('session:say.problemDefineMine') : t('session:say.problemDefine', { name }), mine);
  if (problem.step === 'options') say(mine ? t('session:say.problemOptionsMine') : t('session:say.problemOptions'));
  if (problem.step === 'weigh') say(mine ? t('session:say.problemWeighMine') : t('session:say.problemWeigh', { name }), mine);
  if (problem.step === 'plan') say(mine ? t('session:say.problemPlanMine') : t('session:say.problemPlan', { name }), mine);
}

/** What changed between two states, in the words a screen reader should say. */
export function announce(before: Seen, after: Seen): Announcement[] {
  const out: Announcement[] = [];
  const say = (text: string, urgent = false) => out.push({ text, urgent });
  const { group, self } = after;
  if (!group || !self) return out;
  const me = self.you.id;
  const was = before.group;

  if (!was) {
    if (before.self) say(t('session:say.welcome', { title: group.title }));
    return out;
  }

  if (group.ended) {
    if (!was.ended) say(t('session:say.ended'));
    return out;
  }

  if (was.agenda.current !== group.agenda.current) {
    const phase = group.agenda.phases[group.agenda.current];
    if (phase) say(t('session:say.phase', { name: phase.name, number: group.agenda.current + 1, total: group.agenda.phases.length }));
  }
  if (was.floor.mode !== group.floor.mode) say(t('session:say.floorMode', { mode: floorModeName[group.floor.mode] }));

  const round = group.floor.heldBy === 'round' ? group.round : null;
  const oldRound = was.round;
  if (round && round.id !== oldRound?.id) {
    say(t('session:say.roundStarted', { round: roundTitle(round), prompt: round.prompt }));
  }
  if (group.round?.closed && oldRound?.id === group.round.id && !oldRound.closed) say(t('session:say.roundEnded'));

  const holder = group.floor.turn?.holder ?? null;
  const oldHolder = was.floor.turn?.holder ?? null;
  if (holder !== oldHolder) {
    if (holder === me) say(round ? t('session:say.yourTurnRound') : t('session:say.yourTurn'), true);
    else if (holder) say(t('session:say.hasFloor', { name: nameOf(group, holder) }));
    else if (oldHolder && !group.scene) say(t('session:say.floorFree'));
  }
  if (round && round.next === me && oldRound?.next !== me && holder !== me) say(t('session:say.youreNext'));

  const scene = group.scene;
  const oldScene = was.scene;
  if (scene && scene.id !== oldScene?.id) {
    const part = castPart(scene, me);
    const title = scene.title;
    say(part ? t('session:say.sceneYouPlay', { title, role: part.role }) : self.role === 'facilitator' ? t('session:say.sceneYouDirect', { title }) : t('session:say.sceneYouWatch', { title }));
  } else if (scene && oldScene) {
    const part = castPart(scene, me);
    const oldPart = castPart(oldScene, me);
    const onStage = new Set(scene.cast.map((p) => p.memberId));
    const wasOnStage = new Set(oldScene.cast.map((p) => p.memberId));
    const steppedIn = scene.cast.filter((p) => !wasOnStage.has(p.memberId));
    const steppedOut = oldScene.cast.filter((p) => !onStage.has(p.memberId));
    for (const p of steppedIn) {
      const doubling = p.kind === 'double' && p.behind !== undefined;
      if (p.memberId === me) say(t(doubling ? 'session:say.youDouble' : 'session:say.youPlay', { role: p.role }), true);
      else say(t(doubling ? 'session:say.theyDouble' : 'session:say.theyPlay', { name: nameOf(group, p.memberId), role: p.role }));
    }
    for (const p of steppedOut) say(p.memberId === me ? t('session:say.youStepBack') : t('session:say.theyStepBack', { name: nameOf(group, p.memberId) }), p.memberId === me);
    if (steppedIn.length === 0 && steppedOut.length === 0) {
      if (part && oldPart && part.role !== oldPart.role) say(t('session:say.youReversed', { role: part.role }), true);
      else if (scene.cast.some((p, i) => oldScene.cast[i]?.memberId !== p.memberId)) say(t('session:say.reversed'));
    }
    if (scene.frozenAt !== null && oldScene.frozenAt === null) say(t('session:say.frozen'));
    if (scene.frozenAt === null && oldScene.frozenAt !== null) say(t('session:say.goesOn'));
  } else if (!scene && oldScene) say(t('session:say.sceneEnded'));

  announceProblem(group, was, me, say);

  const prompt = group.feedback.open;
  // Anonymous options are a feedback prompt underneath; the exercise announces its own step.
  if (prompt && prompt.id !== was.feedback.open?.id && prompt.id !== group.problem?.promptId) say(t('session:say.feedbackOpen', { question: prompt.question }));
  for (const result of group.feedback.results.slice(was.feedback.results.length)) {
    say(result.status === 'released' ? t('session:say.feedbackReleased', { question: result.prompt.question }) : t('session:say.feedbackWithheld'));
  }

  const mine = group.seats.find((seat) => seat.id === me);
  const oldMine = was.seats.find((seat) => seat.id === me);
  if (mine && oldMine && mine.muted !== oldMine.muted) say(mine.muted ? t('session:say.paused') : t('session:say.unpaused'), true);

  if (self.role === 'facilitator' && before.self?.role === 'facilitator') {
    const waitingBefore = new Set(before.self.waiting.map((person) => person.id));
    for (const person of self.waiting) if (!waitingBefore.has(person.id)) say(t('session:say.waiting', { name: person.name }));
    const alertsBefore = new Set(before.self.alerts.map((alert) => alert.memberId));
    for (const alert of self.alerts) if (!alertsBefore.has(alert.memberId)) say(t('session:say.needsMoment', { name: alert.name }), true);
  }
  return out;
}
