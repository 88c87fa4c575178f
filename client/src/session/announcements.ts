import type { GroupView, SelfView } from '../../../shared/session/projection.js';
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
    if (old) say('The problem-solving exercise has ended.');
    return;
  }
  if (old?.id === problem.id && old.step === problem.step) return;
  const mine = problem.memberId === me;
  const name = nameOf(group, problem.memberId);
  if (problem.step === 'define') say(mine ? 'Problem-solving: you bring a problem. You have the floor: say it, and write it in a sentence.' : `Problem-solving: ${name} brings a problem and states it. Please listen.`, mine);
  if (problem.step === 'options') say(mine ? 'Problem-solving, options: the others offer ideas. Listen; you weigh them next.' : 'Problem-solving, options: offer your ideas.');
  if (problem.step === 'weigh') say(mine ? 'Problem-solving, weigh: mark the options that fit you.' : `Problem-solving, weigh: ${name} marks what fits. Please listen.`, mine);
  if (problem.step === 'plan') say(mine ? 'Problem-solving, plan: write your next step.' : `Problem-solving, plan: ${name} writes their next step.`, mine);
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
    if (before.self) say(`You're in. Welcome to ${group.title}.`);
    return out;
  }

  if (group.ended) {
    if (!was.ended) say('The session has ended. Thank you for being here.');
    return out;
  }

  if (was.agenda.current !== group.agenda.current) {
    const phase = group.agenda.phases[group.agenda.current];
    if (phase) say(`Now: ${phase.name}, part ${group.agenda.current + 1} of ${group.agenda.phases.length}.`);
  }
  if (was.floor.mode !== group.floor.mode) say(`The floor is now: ${floorModeName[group.floor.mode]}.`);

  const round = group.floor.heldBy === 'round' ? group.round : null;
  const oldRound = was.round;
  if (round && round.id !== oldRound?.id) {
    say(`${roundTitle(round)} started: ${round.prompt}`);
  }
  if (group.round?.closed && oldRound?.id === group.round.id && !oldRound.closed) say('The round has ended.');

  const holder = group.floor.turn?.holder ?? null;
  const oldHolder = was.floor.turn?.holder ?? null;
  if (holder !== oldHolder) {
    if (holder === me) say(round ? "It's your turn. Press Done when you have finished, or Pass." : "It's your turn. You have the floor.", true);
    else if (holder) say(`${nameOf(group, holder)} has the floor.`);
    else if (oldHolder && !group.scene) say('Nobody holds the floor now.');
  }
  if (round && round.next === me && oldRound?.next !== me && holder !== me) say("You're next.");

  const scene = group.scene;
  const oldScene = was.scene;
  if (scene && scene.id !== oldScene?.id) {
    const part = castPart(scene, me);
    say(`Role-play started: ${scene.title}. ${part ? `You play ${part.role}.` : self.role === 'facilitator' ? 'You are directing.' : 'You are in the audience.'}`);
  } else if (scene && oldScene) {
    const part = castPart(scene, me);
    const oldPart = castPart(oldScene, me);
    const onStage = new Set(scene.cast.map((p) => p.memberId));
    const wasOnStage = new Set(oldScene.cast.map((p) => p.memberId));
    const steppedIn = scene.cast.filter((p) => !wasOnStage.has(p.memberId));
    const steppedOut = oldScene.cast.filter((p) => !onStage.has(p.memberId));
    for (const p of steppedIn) {
      const doubling = p.kind === 'double' && p.behind !== undefined;
      if (p.memberId === me) say(`${doubling ? `You step in as the double of ${p.role}` : `You now play ${p.role}`}: you can be heard now.`, true);
      else say(`${nameOf(group, p.memberId)} ${doubling ? `steps in as the double of ${p.role}` : `now plays ${p.role}`}.`);
    }
    for (const p of steppedOut) say(p.memberId === me ? 'You step back into the audience.' : `${nameOf(group, p.memberId)} steps back into the audience.`, p.memberId === me);
    if (steppedIn.length === 0 && steppedOut.length === 0) {
      if (part && oldPart && part.role !== oldPart.role) say(`Roles reversed: you now play ${part.role}.`, true);
      else if (scene.cast.some((p, i) => oldScene.cast[i]?.memberId !== p.memberId)) say('Roles reversed.');
    }
    if (scene.frozenAt !== null && oldScene.frozenAt === null) say('The scene is frozen.');
    if (scene.frozenAt === null && oldScene.frozenAt !== null) say('The scene goes on.');
  } else if (!scene && oldScene) say('The scene has ended.');

  announceProblem(group, was, me, say);

  const prompt = group.feedback.open;
  // Anonymous options are a feedback prompt underneath; the exercise announces its own step.
  if (prompt && prompt.id !== was.feedback.open?.id && prompt.id !== group.problem?.promptId) say(`Anonymous feedback is open: ${prompt.question}`);
  for (const result of group.feedback.results.slice(was.feedback.results.length)) {
    say(result.status === 'released' ? `Feedback results are in for: ${result.prompt.question}` : 'Too few people answered the feedback, so it stays hidden.');
  }

  const mine = group.seats.find((seat) => seat.id === me);
  const oldMine = was.seats.find((seat) => seat.id === me);
  if (mine && oldMine && mine.muted !== oldMine.muted) say(mine.muted ? 'The facilitator paused your microphone.' : 'The facilitator unpaused your microphone.', true);

  if (self.role === 'facilitator' && before.self?.role === 'facilitator') {
    const waitingBefore = new Set(before.self.waiting.map((person) => person.id));
    for (const person of self.waiting) if (!waitingBefore.has(person.id)) say(`${person.name} is waiting to join.`);
    const alertsBefore = new Set(before.self.alerts.map((alert) => alert.memberId));
    for (const alert of self.alerts) if (!alertsBefore.has(alert.memberId)) say(`${alert.name} needs a moment.`, true);
  }
  return out;
}
