import { randomBytes } from 'node:crypto';
import type { ClientCommand, SystemCommand } from '../../shared/protocol/commands.js';
import { reject } from '../../shared/protocol/errors.js';
import type { Ack } from '../../shared/protocol/events.js';
import type { Actor } from '../../shared/session/rules.js';
import type { Logger } from '../logger.js';
import type { MediaCall, MediaHangUp, MediaReply } from '../media/media-connections.js';
import { isCluster, type RedisClient } from '../redis/redis-connection.js';
import { nodeChannel, noticeChannel } from '../redis/redis-keys.js';
import type { TransportCipher } from './transport-cipher.js';

/** What a node asks of the node that runs a room. */
export type RoomOp =
  | { kind: 'dispatch'; actor: Actor; command: ClientCommand | SystemCommand }
  /** A socket of this participant came or went somewhere: look at who is here and tell the room. */
  | { kind: 'presence'; participantId: string }
  /** A media request of a socket on the asking node, for the room's SFU. */
  | { kind: 'media'; call: MediaCall }
  /** That socket closed: its media ends. */
  | { kind: 'hangup'; hangUp: MediaHangUp };

/** What a room answers: a session command's acknowledgement, or a media request's. */
export type RoomAnswer = Ack | MediaReply;

export interface RoomRequest {
  roomId: string;
  op: RoomOp;
}

/** The room's answer, or word that this node does not run the room (any more). */
export type RoomReply = { ack: RoomAnswer } | { moved: true };

export type Notice = { kind: 'released'; roomId: string };

/** What the cluster needs of the link between nodes (NodeLink over Redis pub/sub; a fake in unit tests). */
export interface Link {
  start(answer: (request: RoomRequest) => Promise<RoomReply>, heard: (notice: Notice) => void): Promise<void>;
  /** `absent` when no node listens under that id (or it stops while we wait), `timeout` when no answer came in time. */
  request(nodeId: string, request: RoomRequest, timeoutMs: number): Promise<RoomReply | 'absent' | 'timeout'>;
  /** Whether a node listens right now. */
  listening(nodeId: string): Promise<boolean>;
  notify(notice: Notice): Promise<void>;
  stop(): Promise<void>;
}

/** The longest a forwarded request waits for its answer. */
export const FORWARD_TIMEOUT_MS = 2_000;

/** While waiting for an answer, how often to check that the node still listens. */
const ABSENCE_CHECK_MS = 250;

type Wire = { t: 'request'; id: string; from: string; request: RoomRequest } | { t: 'reply'; id: string; reply: RoomReply };

/**
 * Requests between nodes over Redis pub/sub: each node listens on its own channel, a request
 * carries the sender's id and is answered on the sender's channel. Nothing is stored; a request
 * nobody hears (PUBLISH reached no one) is reported at once as `absent`.
 *
 * On a Redis Cluster the channels are sharded (SPUBLISH, SSUBSCRIBE): each lives on the shard of
 * its name's slot, and the listener count there (SPUBLISH's reply, PUBSUB SHARDNUMSUB asked of
 * that shard) is the whole count. Classic pub/sub would not do: a PUBLISH is relayed to every
 * shard, but its reply and PUBSUB NUMSUB count only the listeners on the node asked, so a live
 * node would look gone. One server keeps the classic commands (they also work before Redis 7).
 */
export class NodeLink implements Link {
  readonly #publisher: RedisClient;
  readonly #subscriber: RedisClient;
  readonly #nodeId: string;
  readonly #logger: Logger;
  readonly #cipher: TransportCipher;
  readonly #waiting = new Map<string, (reply: RoomReply) => void>();

  constructor(publisher: RedisClient, subscriber: RedisClient, nodeId: string, cipher: TransportCipher, logger: Logger) {
    this.#cipher = cipher;
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#nodeId = nodeId;
    this.#logger = logger;
  }

  /** Listen; node-redis subscribes again by itself after a reconnect. */
  async start(answer: (request: RoomRequest) => Promise<RoomReply>, heard: (notice: Notice) => void): Promise<void> {
    await this.#listen(nodeChannel(this.#nodeId), (message) => this.#receive(message, answer));
    await this.#listen(noticeChannel, (message) => {
      const notice = this.#open<Notice>(message);
      if (notice) heard(notice);
    });
  }

  /**
   * Ask a node; `absent` when no node listens under that id (or it stops listening while we
   * wait: it died), `timeout` when no answer came in time.
   */
  async request(nodeId: string, request: RoomRequest, timeoutMs: number): Promise<RoomReply | 'absent' | 'timeout'> {
    const id = randomBytes(9).toString('base64url');
    let settle: (outcome: RoomReply | 'timeout' | 'absent') => void = () => {};
    const answered = new Promise<RoomReply | 'timeout' | 'absent'>((resolve) => (settle = resolve));
    const timer = setTimeout(() => settle('timeout'), timeoutMs);
    const watch = setInterval(() => {
      this.listening(nodeId).then(
        (listening) => listening || settle('absent'),
        () => undefined,
      );
    }, ABSENCE_CHECK_MS);
    this.#waiting.set(id, settle);
    try {
      const wire: Wire = { t: 'request', id, from: this.#nodeId, request };
      if ((await this.#publish(nodeChannel(nodeId), this.#seal(wire))) === 0) return 'absent';
      return await answered;
    } finally {
      clearTimeout(timer);
      clearInterval(watch);
      this.#waiting.delete(id);
    }
  }

  /** Whether a node listens on Redis right now. */
  async listening(nodeId: string): Promise<boolean> {
    const channel = nodeChannel(nodeId);
    const redis = this.#publisher;
    const counts = isCluster(redis) ? await (await redis.getNodeClientForKey(channel)).pubSubShardNumSub(channel) : await redis.pubSubNumSub(channel);
    return (counts[channel] ?? 0) > 0;
  }

  async notify(notice: Notice): Promise<void> {
    await this.#publish(noticeChannel, this.#seal(notice));
  }

  async stop(): Promise<void> {
    for (const settle of this.#waiting.values()) settle({ moved: true });
    const redis = this.#subscriber;
    if (!redis.isReady) return;
    const channels = [nodeChannel(this.#nodeId), noticeChannel];
    // One channel at a time on a cluster: each may live on another shard.
    await Promise.all(channels.map((channel) => (isCluster(redis) ? redis.sUnsubscribe(channel) : redis.unsubscribe(channel)))).catch(() => undefined);
  }

  #listen(channel: string, listener: (message: string) => void): Promise<void> {
    const redis = this.#subscriber;
    return isCluster(redis) ? redis.sSubscribe(channel, listener) : redis.subscribe(channel, listener);
  }

  /** How many listeners the message reached. */
  #publish(channel: string, message: string): Promise<number> {
    const redis = this.#publisher;
    return isCluster(redis) ? redis.sPublish(channel, message) : redis.publish(channel, message);
  }

  #seal(message: Wire | Notice): string {
    return this.#cipher.seal(JSON.stringify(message));
  }

  /** A message sealed by a node, or null (and a warning) for anything else. */
  #open<T>(message: string): T | null {
    const text = this.#cipher.open(message);
    if (text === null) {
      this.#logger.warn('cluster message not sealed by a node (is SESSION_SECRET the same on every node?); dropped');
      return null;
    }
    return JSON.parse(text) as T;
  }

  #receive(message: string, answer: (request: RoomRequest) => Promise<RoomReply>): void {
    const wire = this.#open<Wire>(message);
    if (!wire) return;
    if (wire.t === 'reply') return void this.#waiting.get(wire.id)?.(wire.reply);
    const reply = (body: RoomReply) =>
      this.#publish(nodeChannel(wire.from), this.#seal({ t: 'reply', id: wire.id, reply: body })).catch((error: unknown) => {
        this.#logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not answer a forwarded request');
      });
    answer(wire.request).then(reply, (error: unknown) => {
      // Never log the request itself: it may carry a feedback answer next to its sender.
      this.#logger.error({ room: wire.request.roomId, err: error }, 'forwarded request failed');
      void reply({ ack: reject('INTERNAL') });
    });
  }
}
