// More rooms of 6 on the worker that carries a live room, without a browser per member: to find
// how many rooms one worker holds on a machine where a few Chromium pages already fill the cores.
//
// Each synthetic room is what Holdspace builds per room (a router with its codecs and an audio
// level observer) and gets the live room's producers (6 members' microphone and simulcast camera)
// through pipeToRouter: a PipeTransport pair per room, all simulcast layers crossing it. Each of
// its 6 members is a PlainTransport with SRTP (so every forwarded packet is encrypted, as for a
// browser) consuming the other 5 members' audio and video: 60 forwarded streams per room, as in a
// real room of 6. The packets go to a UDP socket nobody reads (the kernel drops them once its
// buffer is full), since no browser is there to decode them.
// Not like a real room: ingress arrives unencrypted over the pipe (and the live room's router
// spends a send per packet per room on it); plain transports have no congestion control, so every
// consumer gets the top simulcast layer and there are no receiver reports, NACKs or
// retransmissions. Loss is read where an overloaded worker drops first: its ingress (the
// producers' packetsLost).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { types } from 'mediasoup';
import { census } from './mediasoup-census.js';

const MEMBERS = 6;

interface SyntheticRoom {
  router: types.Router;
}

export class SyntheticRooms {
  readonly #codecs: types.RouterRtpCodecCapability[];
  readonly #rooms: SyntheticRoom[] = [];
  #sink: Promise<{ port: number; process: ChildProcess }> | null = null;

  constructor(codecs: types.RouterRtpCodecCapability[]) {
    this.#codecs = codecs;
  }

  /** Grow or shrink to `count` synthetic rooms; answers what they hold. */
  async resize(count: number): Promise<{ rooms: number; consumers: number; pipedProducers: number }> {
    while (this.#rooms.length > count) this.#rooms.pop()!.router.close();
    if (this.#rooms.length < count) {
      const source = this.#source();
      const sink = await this.#openSink();
      while (this.#rooms.length < count) this.#rooms.push(await this.#open(source, sink.port));
    }
    let consumers = 0;
    let pipedProducers = 0;
    for (const { router } of this.#rooms) {
      const dump = await router.dump();
      consumers += dump.mapConsumerIdProducerId.length;
      pipedProducers += dump.mapProducerIdConsumerIds.length;
    }
    if (count === 0) this.close();
    return { rooms: this.#rooms.length, consumers, pipedProducers };
  }

  close(): void {
    for (const { router } of this.#rooms.splice(0)) router.close();
    void this.#sink?.then(({ process }) => process.kill());
    this.#sink = null;
  }

  /** The live room: the router (not one of ours) whose members publish the most. */
  #source(): { router: types.Router; producers: types.Producer[] } {
    const ours = new Set(this.#rooms.map((r) => r.router));
    const byRouter = new Map<types.Router, types.Producer[]>();
    for (const producer of census.producers) {
      const router = census.routerOfProducer.get(producer);
      if (!router || ours.has(router) || producer.closed) continue;
      byRouter.set(router, [...(byRouter.get(router) ?? []), producer]);
    }
    const [router, producers] = [...byRouter.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
    if (!router || !producers) throw new Error('no live room with producers to feed synthetic rooms from');
    return { router, producers };
  }

  async #open(source: { router: types.Router; producers: types.Producer[] }, sinkPort: number): Promise<SyntheticRoom> {
    const worker = census.workerOfRouter.get(source.router)!;
    const router = await worker.createRouter({ mediaCodecs: this.#codecs });
    // As Holdspace's RoomMedia: the microphones feed an audio level observer.
    const levels = await router.createAudioLevelObserver({ maxEntries: 16, threshold: -60, interval: 400 });
    const owners = [...new Set(source.producers.map((p) => String(p.appData.participantId ?? p.appData.owner ?? p.id)))].slice(0, MEMBERS);
    // New ids: a producer id is unique within a worker, and every room here shares one.
    const piped = new Map<types.Producer, string>();
    for (const producer of source.producers) {
      const { pipeProducer } = await source.router.pipeToRouter({ producerId: producer.id, router, keepId: false });
      piped.set(producer, pipeProducer!.id);
      if (producer.kind === 'audio') await levels.addProducer({ producerId: pipeProducer!.id });
    }
    for (const member of owners) {
      const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false, enableSrtp: true });
      await transport.connect({ ip: '127.0.0.1', port: sinkPort, srtpParameters: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: randomBytes(30).toString('base64') } });
      for (const producer of source.producers) {
        const owner = String(producer.appData.participantId ?? producer.appData.owner ?? producer.id);
        if (owner === member) continue;
        await transport.consume({ producerId: piped.get(producer)!, rtpCapabilities: router.rtpCapabilities });
      }
    }
    return { router };
  }

  /** A UDP port nobody reads: the kernel takes the packets and drops them once the buffer is full. */
  #openSink(): Promise<{ port: number; process: ChildProcess }> {
    this.#sink ??= new Promise((resolve, reject) => {
      const child = spawn(
        'python3',
        ['-c', "import socket,sys,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('127.0.0.1',0))\nprint(s.getsockname()[1],flush=True)\ntime.sleep(86400)"],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      child.once('error', reject);
      child.stdout!.once('data', (data: Buffer) => resolve({ port: Number(String(data).trim()), process: child }));
      process.once('exit', () => child.kill());
    });
    return this.#sink;
  }
}
