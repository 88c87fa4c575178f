// What the browser reports about the media a session receives and sends, for the browser tests.
import type { MediaSource } from '../../../shared/protocol/media.js';
import type { MediaSession } from '../../../client/src/media/media-session.js';

/** What arrives from one remote track. */
export interface ReceiveStats {
  participantId: string;
  source: MediaSource;
  kind: 'audio' | 'video';
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  /** When the last packet arrived (ms since the epoch, the browser's clock), if any did. */
  lastPacketReceivedAt: number | null;
  /** When the browser took these figures, on the same clock. */
  reportedAt: number | null;
}

/** What leaves for the server from one published source. */
export interface SendStats {
  source: MediaSource;
  bytesSent: number;
  packetsSent: number;
  framesEncoded: number;
  /** Why the browser sends less than it could ('cpu', 'bandwidth'), if it does. */
  qualityLimitation: string | null;
}

type Entry = Record<string, unknown>;

const numberIn = (entry: Entry | undefined, key: string): number | null => {
  const value = entry?.[key];
  return typeof value === 'number' ? value : null;
};

/** What arrives from each remote track right now. */
export function receiveStats(media: MediaSession): Promise<ReceiveStats[]> {
  return Promise.all(
    media.receiving().map(async ({ consumer, offer }) => {
      const report = await consumer.getStats().catch(() => null);
      let inbound: Entry | undefined;
      report?.forEach((entry: Entry) => {
        if (entry.type === 'inbound-rtp') inbound = entry;
      });
      const number = (key: string) => numberIn(inbound, key) ?? 0;
      return {
        participantId: offer.participantId,
        source: offer.source,
        kind: offer.kind,
        bytesReceived: number('bytesReceived'),
        packetsReceived: number('packetsReceived'),
        packetsLost: number('packetsLost'),
        framesDecoded: number('framesDecoded'),
        frameWidth: number('frameWidth'),
        frameHeight: number('frameHeight'),
        lastPacketReceivedAt: numberIn(inbound, 'lastPacketReceivedTimestamp'),
        reportedAt: numberIn(inbound, 'timestamp'),
      };
    }),
  );
}

/** What leaves for the server from each published source right now. */
export function sendStats(media: MediaSession): Promise<SendStats[]> {
  return Promise.all(
    media.sending().map(async ([source, producer]) => {
      const report = await producer.getStats().catch(() => null);
      const totals: SendStats = { source, bytesSent: 0, packetsSent: 0, framesEncoded: 0, qualityLimitation: null };
      report?.forEach((entry: Entry) => {
        if (entry.type !== 'outbound-rtp') return;
        totals.bytesSent += numberIn(entry, 'bytesSent') ?? 0;
        totals.packetsSent += numberIn(entry, 'packetsSent') ?? 0;
        totals.framesEncoded += numberIn(entry, 'framesEncoded') ?? 0;
        if (typeof entry.qualityLimitationReason === 'string' && entry.qualityLimitationReason !== 'none') totals.qualityLimitation = entry.qualityLimitationReason;
      });
      return totals;
    }),
  );
}

/** How media reaches this browser and leaves it: the local candidate of each transport's chosen pair ('relay' is through TURN). */
export async function mediaPaths(media: MediaSession): Promise<{ candidateType: string; protocol: string; relayProtocol: string | null }[]> {
  const reports = await Promise.all([...media.receiving().map(({ consumer }) => consumer.getStats()), ...media.sending().map(([, producer]) => producer.getStats())].map((p) => p.catch(() => null)));
  const paths = new Map<string, { candidateType: string; protocol: string; relayProtocol: string | null }>();
  for (const report of reports) {
    const entries = new Map<string, Entry>();
    report?.forEach((entry: Entry) => void entries.set(entry.id as string, entry));
    for (const entry of entries.values()) {
      if (entry.type !== 'transport' || typeof entry.selectedCandidatePairId !== 'string') continue;
      const pair = entries.get(entry.selectedCandidatePairId);
      const local = pair && entries.get(pair.localCandidateId as string);
      if (!local) continue;
      paths.set(local.id as string, {
        candidateType: String(local.candidateType),
        protocol: String(local.protocol),
        relayProtocol: typeof local.relayProtocol === 'string' ? local.relayProtocol : null,
      });
    }
  }
  return [...paths.values()];
}
