import { EventEmitter } from 'node:events';
import { createWorker, type types } from 'mediasoup';

export interface MediaWorkerOptions {
  logLevel: types.WorkerLogLevel;
  listenIp: string;
  announcedAddress: string | null;
  /** Port of slot 0's WebRtcServer; slot i listens on port + i. 0: any free port. */
  port: number;
}

type MediaWorkerEvents = { died: [error: Error] };

/** One mediasoup worker process with its WebRtcServer: every transport of its routers shares one UDP and one TCP port. */
export class MediaWorker extends EventEmitter<MediaWorkerEvents> {
  readonly slot: number;
  readonly #worker: types.Worker;
  readonly #server: types.WebRtcServer;
  #routers = 0;
  #transports = 0;

  static async start(slot: number, options: MediaWorkerOptions): Promise<MediaWorker> {
    let worker: types.Worker;
    try {
      worker = await createWorker({ logLevel: options.logLevel });
    } catch (error) {
      throw new Error(
        `the mediasoup worker could not start (${(error as Error).message}). Run \`npm install\` (its postinstall builds or fetches the worker), or set MEDIA_ENABLED=false to run without audio and video.`,
        { cause: error },
      );
    }
    try {
      const listen = (protocol: 'udp' | 'tcp'): types.TransportListenInfo => ({
        protocol,
        ip: options.listenIp,
        ...(options.announcedAddress ? { announcedAddress: options.announcedAddress } : {}),
        ...(options.port !== 0 ? { port: options.port + slot } : {}),
      });
      const server = await worker.createWebRtcServer({ listenInfos: [listen('udp'), listen('tcp')] });
      return new MediaWorker(slot, worker, server);
    } catch (error) {
      worker.close();
      const port = options.port === 0 ? 'a free port' : `port ${options.port + slot}`;
      throw new Error(`media worker ${slot} cannot listen on ${options.listenIp} ${port} (${(error as Error).message}): set MEDIA_PORT to free ports or MEDIA_LISTEN_IP to an address of this machine`, {
        cause: error,
      });
    }
  }

  private constructor(slot: number, worker: types.Worker, server: types.WebRtcServer) {
    super();
    this.slot = slot;
    this.#worker = worker;
    this.#server = server;
    worker.on('died', (error) => this.emit('died', error));
    server.observer.on('webrtctransporthandled', () => void this.#transports++);
    server.observer.on('webrtctransportunhandled', () => void this.#transports--);
  }

  /** CPU seconds (user + system) the worker process has used since it started. */
  async cpuSeconds(): Promise<number> {
    const usage = await this.#worker.getResourceUsage();
    return (usage.ru_utime + usage.ru_stime) / 1000;
  }

  get pid(): number {
    return this.#worker.pid;
  }

  get alive(): boolean {
    return !this.#worker.closed && !this.#worker.died;
  }

  /** Transports first: they are the media flowing through this process; routers break ties. */
  get load(): number {
    return this.#transports * 1000 + this.#routers;
  }

  async createRouter(mediaCodecs: types.RouterRtpCodecCapability[]): Promise<types.Router> {
    const router = await this.#worker.createRouter({ mediaCodecs });
    this.#routers++;
    router.observer.once('close', () => void this.#routers--);
    return router;
  }

  createWebRtcTransport(
    router: types.Router,
    options: Pick<types.WebRtcTransportOptions, 'enableUdp' | 'enableTcp' | 'preferUdp' | 'initialAvailableOutgoingBitrate' | 'appData'>,
  ): Promise<types.WebRtcTransport> {
    return router.createWebRtcTransport({ ...options, webRtcServer: this.#server });
  }

  close(): void {
    if (!this.#worker.closed) this.#worker.close();
  }
}
