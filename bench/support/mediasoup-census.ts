// Every mediasoup object a bench server process creates, whoever creates it (Holdspace's SFU or the
// bench itself), followed through mediasoup's observer API: counts from the workers' own dumps,
// and the traffic through them from their statistics.
import { observer, type types } from 'mediasoup';

const workers = new Set<types.Worker>();
const routers = new Set<types.Router>();
const producers = new Set<types.Producer>();
const consumers = new Set<types.Consumer>();
const pausedAt = new Map<string, number>();
const routerOfProducer = new Map<types.Producer, types.Router>();
const workerOfRouter = new Map<types.Router, types.Worker>();
const epoch = () => performance.timeOrigin + performance.now();

/** Call before the first worker starts. */
export function takeCensus(): void {
  observer.on('newworker', (worker) => {
    workers.add(worker);
    worker.observer.once('close', () => workers.delete(worker));
    worker.observer.on('newrouter', (router) => {
      routers.add(router);
      workerOfRouter.set(router, worker);
      router.observer.once('close', () => {
        routers.delete(router);
        workerOfRouter.delete(router);
      });
      router.observer.on('newtransport', (transport) => {
        transport.observer.on('newproducer', (producer) => {
          producers.add(producer);
          routerOfProducer.set(producer, router);
          producer.observer.on('pause', () => pausedAt.set(producer.id, epoch()));
          producer.observer.once('close', () => {
            producers.delete(producer);
            routerOfProducer.delete(producer);
            pausedAt.delete(producer.id);
          });
        });
        transport.observer.on('newconsumer', (consumer) => {
          consumers.add(consumer);
          consumer.observer.once('close', () => consumers.delete(consumer));
        });
      });
    });
  });
}

export const census = { workers, routers, producers, consumers, routerOfProducer, workerOfRouter };

/** When a producer was last paused (epoch ms, once the worker confirmed it), or null. */
export const lastPausedAt = (producerId: string): number | null => pausedAt.get(producerId) ?? null;

export interface MediaCounts {
  workers: number;
  routers: number;
  transports: number;
  producers: number;
  consumers: number;
  rtpObservers: number;
}

/** Objects alive, as the workers themselves report them (not this process's bookkeeping). */
export async function countMedia(): Promise<MediaCounts> {
  const counts: MediaCounts = { workers: 0, routers: 0, transports: 0, producers: 0, consumers: 0, rtpObservers: 0 };
  for (const worker of workers) {
    if (worker.closed) continue;
    counts.workers++;
    counts.routers += (await worker.dump()).routerIds.length;
  }
  for (const router of routers) {
    if (router.closed) continue;
    const dump = await router.dump();
    counts.transports += dump.transportIds.length;
    counts.producers += dump.mapProducerIdConsumerIds.length;
    counts.consumers += dump.mapConsumerIdProducerId.length;
    counts.rtpObservers += dump.rtpObserverIds.length;
  }
  return counts;
}

export interface MediaTraffic {
  /** totals since each object was created: subtract two readings for a rate */
  consumerPackets: number;
  consumerBytes: number;
  /** consumers that have sent anything (forwarded streams); pipe consumers between routers are not counted */
  forwarding: number;
  producerPackets: number;
  /** packets the worker saw missing on arrival, summed over every producer's streams */
  producerPacketsLost: number;
  consumers: number;
  producers: number;
}

/** What the workers forwarded and received, from every consumer's and producer's statistics. */
export async function measureTraffic(): Promise<MediaTraffic> {
  const traffic: MediaTraffic = { consumerPackets: 0, consumerBytes: 0, forwarding: 0, producerPackets: 0, producerPacketsLost: 0, consumers: 0, producers: 0 };
  await Promise.all([
    ...[...consumers].map(async (consumer) => {
      if (consumer.closed || consumer.type === 'pipe') return;
      traffic.consumers++;
      const stats = await consumer.getStats().catch(() => []);
      const sent = stats.filter((s) => s.type === 'outbound-rtp');
      const packets = sent.reduce((n, s) => n + s.packetCount, 0);
      traffic.consumerPackets += packets;
      traffic.consumerBytes += sent.reduce((n, s) => n + s.byteCount, 0);
      if (packets > 0) traffic.forwarding++;
    }),
    ...[...producers].map(async (producer) => {
      if (producer.closed) return;
      traffic.producers++;
      const stats = await producer.getStats().catch(() => []);
      for (const s of stats) {
        traffic.producerPackets += s.packetCount;
        traffic.producerPacketsLost += s.packetsLost;
      }
    }),
  ]);
  return traffic;
}
