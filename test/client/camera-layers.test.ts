import { describe, expect, it } from 'vitest';
import { cameraConstraints } from '../../client/src/media/devices.js';
import { CAMERA_ENCODINGS } from '../../client/src/media/media-link.js';
import { spatialLayerFor } from '../../shared/session/video-layers.js';

describe('the camera the product opens and the layer rule agree', () => {
  const ideal = (value: ConstrainULong | undefined) => (typeof value === 'object' ? value.ideal : value);
  const width = ideal(cameraConstraints().width)!;
  const layerWidths = CAMERA_ENCODINGS.map((encoding) => width / (encoding.scaleResolutionDownBy ?? 1));

  it('opens a 1280x720 camera, so the simulcast layers are 320, 640 and 1280 wide', () => {
    expect([width, ideal(cameraConstraints().height)]).toEqual([1280, 720]);
    expect(layerWidths).toEqual([320, 640, 1280]);
  });

  it('gives each tile the smallest layer at least as wide as the tile', () => {
    layerWidths.forEach((layerWidth, layer) => {
      expect(spatialLayerFor(layerWidth)).toBe(layer);
      if (layer < layerWidths.length - 1) expect(spatialLayerFor(layerWidth + 1)).toBe(layer + 1);
    });
  });

  it('keeps the top layer at 1 Mbit/s and the middle at 400 kbit/s', () => {
    expect(CAMERA_ENCODINGS.map((encoding) => encoding.maxBitrate)).toEqual([150_000, 400_000, 1_000_000]);
  });
});
