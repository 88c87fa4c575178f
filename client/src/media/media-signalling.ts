import type { MediaAnswer, MediaRequest, MediaRequestName, MediaResults, MediaServerToClientEvents } from '../../../shared/protocol/media.js';
import { explain, t } from '../i18n/index.js';
import type { RoomSocket } from '../session/connection.js';

/** One function per media request, each typed with its own payload and answer. */
export type MediaRequests = { [N in MediaRequestName]: (request: MediaRequest<N>, timeoutMs: number) => Promise<MediaAnswer<N>> };

/** What the media session hears from the server: its media events, and the socket's own turns. */
export type MediaHandlers = MediaServerToClientEvents & {
  disconnect: () => void;
  /** The server welcomes a (re)connected socket with a snapshot, after its media handlers are in place. */
  snapshot: () => void;
};

/** The media session's view of the room socket; tests put a fake behind it. */
export interface MediaPort {
  readonly connected: boolean;
  readonly requests: MediaRequests;
  /** Listen to every media event at once; returns how to stop. */
  listen(handlers: MediaHandlers): () => void;
}

/** The socket's media requests as the wire carries them: any payload (the server parses it), each with its own answer. */
export type WireRequests = { [N in MediaRequestName]: (payload: unknown, timeoutMs: number) => Promise<MediaAnswer<N>> };

export function wireRequests(socket: RoomSocket): WireRequests {
  return {
    'media.join': (payload, ms) => socket.timeout(ms).emitWithAck('media.join', payload),
    'media.capabilities': (payload, ms) => socket.timeout(ms).emitWithAck('media.capabilities', payload),
    'media.transport.create': (payload, ms) => socket.timeout(ms).emitWithAck('media.transport.create', payload),
    'media.transport.connect': (payload, ms) => socket.timeout(ms).emitWithAck('media.transport.connect', payload),
    'media.transport.restartIce': (payload, ms) => socket.timeout(ms).emitWithAck('media.transport.restartIce', payload),
    'media.produce': (payload, ms) => socket.timeout(ms).emitWithAck('media.produce', payload),
    'media.producer.pause': (payload, ms) => socket.timeout(ms).emitWithAck('media.producer.pause', payload),
    'media.producer.resume': (payload, ms) => socket.timeout(ms).emitWithAck('media.producer.resume', payload),
    'media.producer.close': (payload, ms) => socket.timeout(ms).emitWithAck('media.producer.close', payload),
    'media.consume': (payload, ms) => socket.timeout(ms).emitWithAck('media.consume', payload),
    'media.consumer.resume': (payload, ms) => socket.timeout(ms).emitWithAck('media.consumer.resume', payload),
    'media.tiles': (payload, ms) => socket.timeout(ms).emitWithAck('media.tiles', payload),
    'media.receive': (payload, ms) => socket.timeout(ms).emitWithAck('media.receive', payload),
    'media.leave': (payload, ms) => socket.timeout(ms).emitWithAck('media.leave', payload),
    'media.e2ee.publish': (payload, ms) => socket.timeout(ms).emitWithAck('media.e2ee.publish', payload),
    'media.e2ee.wrap': (payload, ms) => socket.timeout(ms).emitWithAck('media.e2ee.wrap', payload),
    'media.e2ee.doubt': (payload, ms) => socket.timeout(ms).emitWithAck('media.e2ee.doubt', payload),
  };
}

/** Every event a media session hears, each once: a key missing here is a compile error, so no handler goes unheard. */
const heard: { [E in keyof MediaHandlers]: E } = {
  'media.offer': 'media.offer',
  'media.consumer.closed': 'media.consumer.closed',
  'media.silenced': 'media.silenced',
  'media.speaking': 'media.speaking',
  'media.heard': 'media.heard',
  'media.reset': 'media.reset',
  'media.layers': 'media.layers',
  'media.e2ee.holders': 'media.e2ee.holders',
  'media.e2ee.key': 'media.e2ee.key',
  'media.e2ee.doubt': 'media.e2ee.doubt',
  disconnect: 'disconnect',
  snapshot: 'snapshot',
};
const heardEvents = Object.values(heard);

/** The room socket as a media port: media events travel on it beside the session's. */
export function socketPort(socket: RoomSocket): MediaPort {
  const requests: MediaRequests = wireRequests(socket);
  return {
    get connected() {
      return socket.connected;
    },
    requests,
    listen(handlers) {
      for (const name of heardEvents) socket.on(name, handlers[name]);
      return () => {
        for (const name of heardEvents) socket.off(name, handlers[name]);
      };
    },
  };
}

export class MediaRequestError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'MediaRequestError';
    this.code = code;
  }
}

const localReasons = ['OFFLINE', 'TIMEOUT', 'STALE', 'UNSUPPORTED'] as const;

/** Why media failed, in the person's language: this page's own reasons, the server's refusal codes, else the browser's words. */
export function reasonOf(error: unknown): string {
  if (!(error instanceof MediaRequestError)) return error instanceof Error && error.message ? error.message : t('session:media.reasons.UNKNOWN');
  const local = localReasons.find((code) => code === error.code);
  return local ? t(`session:media.reasons.${local}`) : explain(error);
}

export interface SignallingTimings {
  ackTimeoutMs: number;
  /** A request the server's event budget refused is sent again after these pauses. */
  rateLimitRetryMs: number[];
}

const defaultTimings: SignallingTimings = { ackTimeoutMs: 10_000, rateLimitRetryMs: [1_000, 2_000, 3_000] };

/** Media requests over the port: an answer, or a MediaRequestError with the server's code (TIMEOUT, OFFLINE when there is none). */
export class MediaSignalling {
  readonly #port: MediaPort;
  readonly #timings: SignallingTimings;

  constructor(port: MediaPort, timings: SignallingTimings = defaultTimings) {
    this.#port = port;
    this.#timings = timings;
  }

  get connected(): boolean {
    return this.#port.connected;
  }

  listen(handlers: MediaHandlers): () => void {
    return this.#port.listen(handlers);
  }

  async request<N extends MediaRequestName>(name: N, request: MediaRequest<N>): Promise<{ ok: true } & MediaResults[N]> {
    if (!this.#port.connected) throw new MediaRequestError('OFFLINE', 'not connected to the server');
    const send = this.#port.requests[name];
    for (let attempt = 0; ; attempt++) {
      let answer: MediaAnswer<N>;
      try {
        answer = await send(request, this.#timings.ackTimeoutMs);
      } catch {
        throw new MediaRequestError('TIMEOUT', 'the server did not answer in time');
      }
      if (answer.ok) return answer;
      // Refused before any handler saw it, so sending it again is safe.
      const pause = answer.code === 'RATE_LIMITED' ? this.#timings.rateLimitRetryMs[attempt] : undefined;
      if (pause === undefined || !this.#port.connected) throw new MediaRequestError(answer.code, answer.message);
      await new Promise((resolve) => setTimeout(resolve, pause));
      // Sent while offline, Socket.IO would buffer it and hand it to the next connection, whose media starts afresh.
      if (!this.#port.connected) throw new MediaRequestError(answer.code, answer.message);
    }
  }
}
