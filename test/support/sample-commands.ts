import type { Intent } from '../../client/src/session/connection.js';
import type { CommandType } from '../../shared/protocol/commands.js';

/** One well-formed example of every command, for matrices over the whole protocol. */
export function sampleCommands(ids: { member: string; other: string; prompt: string }): { [T in CommandType]: Extract<Intent, { type: T }> } {
  const round = { prompt: 'How are you arriving?', order: 'seats' as const, moodScale: false };
  return {
    admit: { type: 'admit', memberId: ids.member },
    decline: { type: 'decline', memberId: ids.member },
    remove: { type: 'remove', memberId: ids.member },
    'seats.reorder': { type: 'seats.reorder', order: [ids.other, ids.member] },
    'agenda.set': { type: 'agenda.set', phases: [{ name: 'Open' }] },
    'phase.go': { type: 'phase.go', index: 1 },
    'floor.mode': { type: 'floor.mode', mode: 'stick' },
    'floor.grant': { type: 'floor.grant', to: ids.member },
    'floor.next': { type: 'floor.next' },
    'floor.release': { type: 'floor.release' },
    'queue.reorder': { type: 'queue.reorder', order: [] },
    'queue.remove': { type: 'queue.remove', memberId: ids.member },
    'member.mute': { type: 'member.mute', memberId: ids.member, muted: true },
    'round.start': { type: 'round.start', round },
    'round.next': { type: 'round.next' },
    'round.end': { type: 'round.end' },
    'scene.start': { type: 'scene.start', title: 'A scene', cast: [{ role: 'Me', kind: 'protagonist', memberId: ids.member }] },
    'scene.reverse': { type: 'scene.reverse', roleA: 0, roleB: 1 },
    'scene.freeze': { type: 'scene.freeze' },
    'scene.resume': { type: 'scene.resume' },
    'scene.end': { type: 'scene.end' },
    'feedback.open': { type: 'feedback.open', question: 'What did you notice?', answer: 'text', audience: 'group', k: 3 },
    'feedback.close': { type: 'feedback.close' },
    'alert.ack': { type: 'alert.ack', memberId: ids.member },
    'session.end': { type: 'session.end' },
    'handout.show': { type: 'handout.show', handout: { kind: 'text', text: 'The window of tolerance' } },
    'handout.hide': { type: 'handout.hide' },
    'hand.raise': { type: 'hand.raise' },
    'hand.lower': { type: 'hand.lower' },
    'stick.pass': { type: 'stick.pass', direction: 'next' },
    'turn.done': { type: 'turn.done' },
    'round.pass': { type: 'round.pass' },
    'round.volunteer': { type: 'round.volunteer' },
    'round.rate': { type: 'round.rate', rating: 5 },
    'feedback.submit': { type: 'feedback.submit', promptId: ids.prompt, text: 'thank you' },
    'moment.need': { type: 'moment.need', tellGroup: false },
    'moment.back': { type: 'moment.back' },
    'location.confirm': { type: 'location.confirm', location: 'at home' },
    meToo: { type: 'meToo' },
    leave: { type: 'leave' },
  };
}
