import { describe, expect, it } from 'vitest';
import { groupRoom, roundSettings } from './fixtures.test-support.js';
import { attentionOf, chooseLayers, spatialLayerFor, topLayerWanted, type Attention, type LayerChoice, type ReceiveMode, type TileHint } from './video-layers.js';

const nobody: Attention = { focus: [], floorHolder: null, speaking: [], cast: [] };
const tile = (width: number, visible = true): TileHint => ({ participantId: 'member-ana', source: 'camera', width, visible });
const camera = { kind: 'video' as const, source: 'camera' as const, participantId: 'member-ana' };
const mic = { kind: 'audio' as const, source: 'mic' as const, participantId: 'member-ana' };
const screen = { kind: 'video' as const, source: 'screen' as const, participantId: 'member-ana' };
const holding: Attention = { focus: ['member-ana'], floorHolder: 'member-ana', speaking: [], cast: [] };
const speaking: Attention = { focus: ['member-ana'], floorHolder: null, speaking: ['member-ana'], cast: [] };
const elsewhere: Attention = { focus: ['member-ben'], floorHolder: 'member-ben', speaking: ['member-ben'], cast: [] };

describe('which layer a tile gets', () => {
  it.each([
    [0, 0],
    [180, 0],
    [320, 0],
    [321, 1],
    [640, 1],
    [641, 2],
    [1920, 2],
  ])('a tile %i CSS pixels wide gets spatial layer %i', (width, layer) => {
    expect(spatialLayerFor(width)).toBe(layer);
  });
});

describe('choosing layers and priorities per consumer', () => {
  const cases: [string, Parameters<typeof chooseLayers>[0], TileHint | undefined, ReceiveMode, Attention, LayerChoice][] = [
    ['audio is never paused and always first, whatever the mode', mic, undefined, 'audio', nobody, { paused: false, spatialLayer: 0, temporalLayer: 0, priority: 255 }],
    ['a tile not reported yet keeps today’s top layer', camera, undefined, 'all', nobody, { paused: false, spatialLayer: 2, temporalLayer: 2, priority: 100 }],
    ['a small tile of someone listening: lowest layer, half the frames', camera, tile(200), 'all', nobody, { paused: false, spatialLayer: 0, temporalLayer: 1, priority: 100 }],
    ['a middle tile of someone listening', camera, tile(500), 'all', nobody, { paused: false, spatialLayer: 1, temporalLayer: 2, priority: 100 }],
    ['the floor holder, large: top layer, high priority', camera, tile(1000), 'all', holding, { paused: false, spatialLayer: 2, temporalLayer: 2, priority: 220 }],
    ['the floor holder in a small tile: small layer, every frame, high priority', camera, tile(200), 'all', holding, { paused: false, spatialLayer: 0, temporalLayer: 2, priority: 220 }],
    ['someone speaking without the floor: raised priority', camera, tile(200), 'all', speaking, { paused: false, spatialLayer: 0, temporalLayer: 2, priority: 180 }],
    ['an invisible tile pauses', camera, tile(640, false), 'all', holding, { paused: true, spatialLayer: 1, temporalLayer: 2, priority: 220 }],
    ['audio only pauses every video', camera, tile(1000), 'audio', holding, { paused: true, spatialLayer: 2, temporalLayer: 2, priority: 220 }],
    ['audio only pauses a screen too', screen, tile(1000), 'audio', nobody, { paused: true, spatialLayer: 2, temporalLayer: 2, priority: 240 }],
    ['save bandwidth keeps the floor holder', camera, tile(1000), 'save', holding, { paused: false, spatialLayer: 2, temporalLayer: 2, priority: 220 }],
    ['save bandwidth pauses someone else while another holds the floor', camera, tile(200), 'save', elsewhere, { paused: true, spatialLayer: 0, temporalLayer: 1, priority: 100 }],
    ['save bandwidth pauses a tile not reported yet unless it is in focus', camera, undefined, 'save', elsewhere, { paused: true, spatialLayer: 2, temporalLayer: 2, priority: 100 }],
    ['save bandwidth keeps a shared screen', screen, tile(1000), 'save', elsewhere, { paused: false, spatialLayer: 2, temporalLayer: 2, priority: 240 }],
  ];
  it.each(cases)('%s', (_, reception, hint, mode, attention, expected) => {
    expect(chooseLayers(reception, hint, mode, attention)).toEqual(expected);
  });
});

describe('the top layer a sender still needs', () => {
  const choice = (spatialLayer: number, paused = false): LayerChoice => ({ paused, spatialLayer, temporalLayer: 2, priority: 100 });
  it.each([
    ['nobody receives: only the lowest layer', [], 0],
    ['everyone sees a small tile', [choice(0), choice(0)], 0],
    ['one large tile needs the top', [choice(0), choice(2)], 2],
    ['a paused consumer wants nothing', [choice(0), choice(2, true)], 0],
    ['a middle tile', [choice(1), choice(0, true)], 1],
  ])('%s', (_, choices, expected) => {
    expect(topLayerWanted(choices)).toBe(expected);
  });
});

describe('who the room looks at', () => {
  it('the floor holder is the focus; speaking members are noted beside', () => {
    const room = groupRoom({ members: 3 });
    room.lead('round.start', { round: roundSettings() });
    const attention = attentionOf(room.state, [room.m(2)]);
    expect(attention).toEqual({ focus: [room.m(0)], floorHolder: room.m(0), speaking: [room.m(2)], cast: [] });
  });

  it('in a scene the cast is the focus', () => {
    const room = groupRoom({ members: 3 });
    room.lead('scene.start', { title: 'The kitchen', cast: [{ role: 'Me', kind: 'protagonist', memberId: room.m(1) }, { role: 'Mother', kind: 'antagonist', memberId: room.m(2) }] });
    expect(attentionOf(room.state, [])).toMatchObject({ focus: [room.m(1), room.m(2)], floorHolder: null, cast: [room.m(1), room.m(2)] });
  });

  it('with the floor open, whoever is speaking is the focus', () => {
    const room = groupRoom({ members: 3 });
    expect(attentionOf(room.state, [room.m(1)])).toEqual({ focus: [room.m(1)], floorHolder: null, speaking: [room.m(1)], cast: [] });
  });
});
