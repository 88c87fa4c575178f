import { topLayerWanted, type Attention } from '../../shared/session/video-layers.js';
import type { Logger } from '../logger.js';
import type { PeerMedia } from './peer-media.js';

/**
 * One room's receiver-side video adaptation: applies the layer rule to every consumer when a
 * receiver's tiles or choice change, or when the room looks at someone else, and tells each
 * sender the highest camera layer anyone still receives. Off, consumers keep mediasoup's default.
 */
export class VideoAdaptation {
  readonly #enabled: boolean;
  readonly #peers: () => Iterable<PeerMedia>;
  readonly #logger: Logger;
  readonly #roomId: string;
  #attentionKey = '';

  constructor(options: { enabled: boolean; roomId: string; peers: () => Iterable<PeerMedia>; logger: Logger }) {
    this.#enabled = options.enabled;
    this.#peers = options.peers;
    this.#logger = options.logger;
    this.#roomId = options.roomId;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** One receiver's tiles, choice or consumers changed. */
  async adapt(peer: PeerMedia, attention: Attention): Promise<void> {
    if (!this.#enabled || peer.ended) return;
    await peer.adapt(attention);
    this.uplink();
  }

  /** The floor, the scene or who is heard may have moved: everyone's consumers follow, only on a real change. */
  attend(attention: Attention): void {
    const key = JSON.stringify(attention);
    if (!this.#enabled || key === this.#attentionKey) return;
    this.#attentionKey = key;
    const peers = [...this.#peers()].filter((peer) => !peer.ended);
    void Promise.all(peers.map((peer) => peer.adapt(attention)))
      .then(() => this.uplink())
      .catch((error: unknown) => this.#logger.warn({ room: this.#roomId, err: error }, 'video layers could not follow the room'));
  }

  /** Each camera is encoded no higher than the highest layer one of its receivers gets. */
  uplink(): void {
    if (!this.#enabled) return;
    const peers = [...this.#peers()].filter((peer) => !peer.ended);
    for (const owner of peers) {
      for (const publication of owner.publications) {
        if (publication.source !== 'camera') continue;
        const choices = peers.filter((peer) => peer !== owner).map((peer) => peer.choiceFor(publication.producer.id));
        owner.limitLayers(publication, topLayerWanted(choices.filter((choice) => choice !== null)));
      }
    }
  }
}
