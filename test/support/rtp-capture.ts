import type { types } from 'mediasoup';

/** The payload of one RTP packet (RFC 3550): after the fixed header, CSRCs and extension, before padding. */
export function rtpPayload(packet: Buffer): { payload: Buffer; marker: boolean; sequence: number; timestamp: number } {
  const csrcs = packet[0]! & 0x0f;
  let at = 12 + csrcs * 4;
  if (packet[0]! & 0x10) at += 4 + packet.readUInt16BE(at + 2) * 4;
  const padding = packet[0]! & 0x20 ? packet[packet.length - 1]! : 0;
  return { payload: packet.subarray(at, packet.length - padding), marker: (packet[1]! & 0x80) !== 0, sequence: packet.readUInt16BE(2), timestamp: packet.readUInt32BE(4) };
}

/** One VP8 frame from its packets: each payload descriptor (RFC 7741 section 4.2) stripped, the rest joined. */
export function vp8Frames(packets: Buffer[]): { key: boolean; data: Buffer }[] {
  const frames: { key: boolean; data: Buffer }[] = [];
  let parts: Buffer[] | null = null;
  let expected = -1;
  for (const packet of packets) {
    const { payload, marker, sequence } = rtpPayload(packet);
    let at = 1;
    const x = payload[0]! & 0x80;
    const start = (payload[0]! & 0x10) !== 0 && (payload[0]! & 0x07) === 0;
    if (x) {
      const flags = payload[at++]!;
      if (flags & 0x80) at += payload[at]! & 0x80 ? 2 : 1;
      if (flags & 0x40) at += 1;
      if (flags & 0x30) at += 1;
    }
    if (start) parts = [];
    else if (sequence !== expected) parts = null;
    expected = (sequence + 1) & 0xffff;
    parts?.push(payload.subarray(at));
    if (marker && parts) {
      const data = Buffer.concat(parts);
      frames.push({ key: (data[0]! & 0x01) === 0, data });
      parts = null;
    }
  }
  return frames;
}

/**
 * What the server itself could read of a producer's media: a DirectTransport consumer on the
 * room's router collecting every forwarded RTP packet, as the SFU sees it.
 */
export async function captureProducer(router: types.Router, producerId: string): Promise<{ packets: Buffer[]; stop(): Promise<void> }> {
  const transport = await router.createDirectTransport();
  const consumer = await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities });
  const packets: Buffer[] = [];
  consumer.on('rtp', (packet) => void packets.push(Buffer.from(packet)));
  if (consumer.kind === 'video') await consumer.requestKeyFrame();
  return {
    packets,
    stop: async () => {
      transport.close();
    },
  };
}
