import { describe, expect, it } from 'vitest';
import { expectPublished, expectRefused, expectSealed, groupRoom, START, type TestRoom } from './fixtures.test-support.js';
import { testAnonymiser } from './fixtures.test-support.js';
import { facilitatorView, groupView, memberView } from './projection.js';

const seatOf = (room: TestRoom, id: string) => groupView(room.state).seats.find((seat) => seat.id === id)!;
const withoutVersion = <T extends { version: number }>(view: T) => ({ ...view, version: 0 });

describe('“I need a moment”', () => {
  it('asked privately: the facilitator is alerted, the member sees it noted, the group sees nothing', () => {
    const room = groupRoom({ members: 3 });
    const groupBefore = groupView(room.state);
    room.after(5_000);
    const before = room.state;
    expectSealed(room.act(room.m(1), 'moment.need', { tellGroup: false }), before);
    expect(facilitatorView(room.state).alerts).toEqual([{ memberId: room.m(1), name: 'Member 2', at: START + 5_000, toldGroup: false, dropped: null }]);
    expect(memberView(room.state, room.m(1), testAnonymiser).steppedAway).toBe('private');
    expect(withoutVersion(groupView(room.state))).toEqual(withoutVersion(groupBefore));
  });

  it('asked with the group told: the seat shows them stepped away', () => {
    const room = groupRoom({ members: 3 });
    room.act(room.m(1), 'moment.need', { tellGroup: true });
    expect(seatOf(room, room.m(1)).steppedAway).toBe(true);
    expect(facilitatorView(room.state).alerts).toMatchObject([{ memberId: room.m(1), toldGroup: true }]);
  });

  it('telling the group after asking privately keeps one alert, from the first time', () => {
    const room = groupRoom({ members: 2 });
    room.act(room.m(0), 'moment.need', { tellGroup: false });
    room.after(3_000).act(room.m(0), 'moment.need', { tellGroup: true });
    expect(facilitatorView(room.state).alerts).toEqual([{ memberId: room.m(0), name: 'Member 1', at: START, toldGroup: true, dropped: null }]);
    expect(seatOf(room, room.m(0)).steppedAway).toBe(true);
  });

  it('asking again the same way publishes nothing', () => {
    const room = groupRoom({ members: 2 });
    room.act(room.m(0), 'moment.need', { tellGroup: true });
    expect(room.act(room.m(0), 'moment.need', { tellGroup: true })).toMatchObject({ ok: true, published: false });
  });

  it('coming back clears the alert and the stepped-away mark', () => {
    const room = groupRoom({ members: 2 });
    room.act(room.m(0), 'moment.need', { tellGroup: true });
    const before = room.state;
    expectPublished(room.act(room.m(0), 'moment.back'), before);
    expect(facilitatorView(room.state).alerts).toEqual([]);
    expect(seatOf(room, room.m(0)).steppedAway).toBe(false);
    expect(memberView(room.state, room.m(0), testAnonymiser).steppedAway).toBeNull();
  });

  it('coming back when not away publishes nothing', () => {
    const room = groupRoom({ members: 2 });
    expect(room.act(room.m(0), 'moment.back')).toMatchObject({ ok: true, published: false });
  });

  it('the facilitator acknowledges the alert: it leaves their list, the member stays stepped away until back', () => {
    const room = groupRoom({ members: 2 });
    room.act(room.m(0), 'moment.need', { tellGroup: true });
    room.act(room.m(1), 'moment.need', { tellGroup: false });
    const before = room.state;
    expectSealed(room.act(room.facilitator, 'alert.ack', { memberId: room.m(0) }), before);
    expect(facilitatorView(room.state).alerts.map((alert) => alert.memberId)).toEqual([room.m(1)]);
    expect(seatOf(room, room.m(0)).steppedAway).toBe(true);
  });

  it('asking again after an acknowledgement alerts the facilitator again', () => {
    const room = groupRoom({ members: 2 });
    room.act(room.m(0), 'moment.need', { tellGroup: false });
    room.lead('alert.ack', { memberId: room.m(0) });
    room.act(room.m(0), 'moment.need', { tellGroup: false });
    expect(facilitatorView(room.state).alerts.map((alert) => alert.memberId)).toEqual([room.m(0)]);
  });

  it('acknowledging an alert nobody raised is refused with NOT_FOUND', () => {
    const room = groupRoom({ members: 2 });
    expectRefused(room, room.facilitator, room.command('alert.ack', { memberId: room.m(0) }), 'NOT_FOUND');
  });
});
