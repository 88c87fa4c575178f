import { z } from 'zod';
import { idSchema } from '../protocol/fields.js';
import type { RoomState } from './state.js';

/**
 * Which simulcast layer of whose video each receiver gets, and in what order a short link gives
 * it up: the rule the SFU applies to every consumer from the receiver's own tile sizes and
 * choice, and from who the room looks at. Tile sizes are hints for bandwidth, never authority.
 */

/** A member's choice: everything, video only of whoever holds the floor, or no incoming video. */
export const receiveModeSchema = z.enum(['all', 'save', 'audio']);
export type ReceiveMode = z.infer<typeof receiveModeSchema>;

/** One remote tile as the receiver renders it: width in CSS pixels, and whether any of it shows. */
export const tileHintSchema = z.strictObject({
  participantId: idSchema,
  source: z.enum(['camera', 'screen']),
  width: z.number().int().min(0).max(16_384),
  visible: z.boolean(),
});
export type TileHint = z.infer<typeof tileHintSchema>;

/** A receiver reports at most this many tiles (a room holds at most 16 media peers, with a screen). */
export const MAX_TILES = 64;

/** Who the room looks at: the focus is the floor holder, else the scene's cast, else whoever is heard. */
export interface Attention {
  focus: string[];
  floorHolder: string | null;
  speaking: string[];
  cast: string[];
}

export interface LayerChoice {
  paused: boolean;
  spatialLayer: number;
  temporalLayer: number;
  /** mediasoup's consumer priority, 1-255: the higher, the later it loses bitrate. */
  priority: number;
}

export interface Received {
  kind: 'audio' | 'video';
  source: 'mic' | 'camera' | 'screen';
  participantId: string;
}

const TOP_LAYER = 2;
const PRIORITY = { audio: 255, screen: 240, floorHolder: 220, attended: 180, other: 100 } as const;

export function attentionOf(state: RoomState, speaking: string[]): Attention {
  const floorHolder = state.floor.turn?.holder ?? null;
  const cast = state.scene?.cast.map((part) => part.memberId) ?? [];
  const focus = floorHolder ? [floorHolder] : cast.length > 0 ? cast : speaking;
  return { focus, floorHolder, speaking, cast };
}

/** Simulcast layers are 1/4, 1/2 and full width of a 1280 px camera: the smallest that fills the tile. */
export function spatialLayerFor(width: number): number {
  return width <= 320 ? 0 : width <= 640 ? 1 : TOP_LAYER;
}

export function chooseLayers(received: Received, hint: TileHint | undefined, mode: ReceiveMode, attention: Attention): LayerChoice {
  if (received.kind === 'audio') return { paused: false, spatialLayer: 0, temporalLayer: 0, priority: PRIORITY.audio };
  const who = received.participantId;
  const inFocus = attention.focus.includes(who);
  const attended = inFocus || attention.speaking.includes(who) || attention.cast.includes(who);
  const priority =
    received.source === 'screen' ? PRIORITY.screen : who === attention.floorHolder ? PRIORITY.floorHolder : attended ? PRIORITY.attended : PRIORITY.other;
  const spatialLayer = hint ? spatialLayerFor(hint.width) : TOP_LAYER;
  // Someone merely listening, in a small tile, moves little: half the frames do.
  const temporalLayer = attended || spatialLayer > 0 ? TOP_LAYER : 1;
  const wanted = mode === 'all' || (mode === 'save' && (inFocus || received.source === 'screen'));
  const paused = !wanted || (hint !== undefined && !hint.visible);
  return { paused, spatialLayer, temporalLayer, priority };
}

/** The highest spatial layer any receiver of one video wants; the sender need not encode above it. */
export function topLayerWanted(choices: LayerChoice[]): number {
  return Math.max(0, ...choices.filter((choice) => !choice.paused).map((choice) => choice.spatialLayer));
}
