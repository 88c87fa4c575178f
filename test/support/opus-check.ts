import OpusScript from 'opusscript';
import { rtpPayload } from './rtp-capture.js';

/** The notes the test browsers' fake microphone plays (test/support/browser.ts, melody()). */
const NOTES = [294, 330, 392, 440, 494, 587, 659, 784, 880, 988, 1175];

/** Share of a block's energy at its strongest note (Goertzel), 0..1: near 1 for the melody, low for noise. */
function noteShare(samples: Float64Array): number {
  let total = 0;
  for (const sample of samples) total += sample * sample;
  if (total === 0) return 0;
  let best = 0;
  for (const frequency of NOTES) {
    const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / 48_000);
    let previous = 0;
    let beforePrevious = 0;
    for (const sample of samples) {
      const next = sample + coefficient * previous - beforePrevious;
      beforePrevious = previous;
      previous = next;
    }
    const power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
    best = Math.max(best, (2 * power) / (samples.length * total));
  }
  return best;
}

/**
 * Decode captured Opus RTP packets with libopus (opusscript) as anyone holding the server could:
 * how many decode at all, and how many decode to the melody the microphones play.
 */
export function decodeOpus(packets: Buffer[]): { packets: number; decoded: number; melodic: number } {
  const decoder = new OpusScript(48_000, 2, OpusScript.Application.AUDIO);
  let decoded = 0;
  let melodic = 0;
  try {
    for (const packet of packets) {
      const { payload } = rtpPayload(packet);
      let pcm: Buffer;
      try {
        pcm = decoder.decode(payload);
      } catch {
        continue;
      }
      decoded++;
      const left = new Float64Array(pcm.length / 4);
      for (let i = 0; i < left.length; i++) left[i] = pcm.readInt16LE(i * 4);
      if (left.length >= 480 && noteShare(left) > 0.5) melodic++;
    }
  } finally {
    decoder.delete();
  }
  return { packets: packets.length, decoded, melodic };
}
