import { freshKey, makeKeyPair, MAX_STEP, ratchet, ratchetTo, safetyCode, stepOf, unwrapKey, wrapKey, type KeyPair, type RoomKey } from '../../../../shared/e2ee/room-key.js';
import type { KeyHolder, MediaServerToClientEvents } from '../../../../shared/protocol/media.js';
import type { MediaSignalling } from '../media-signalling.js';
import type { FrameProtection } from './frame-protection.js';

/** Several leaving at once get one new key: re-keying waits this long after the first departure. */
export const REKEY_BATCH_MS = 3_000;

export interface KeyState {
  /** waiting: no room key yet; ready: media is sealed with the key whose code is shown. */
  status: 'waiting' | 'ready';
  /** The safety code to compare aloud, for the current key. */
  code: string | null;
  /** This browser makes the room's key (a facilitator's). */
  maker: boolean;
  /** Members who said their code differs (the facilitator's browser only). */
  doubts: string[];
}

type Message<E extends keyof MediaServerToClientEvents> = Parameters<MediaServerToClientEvents[E]>[0];

/**
 * The room key as this browser holds it. Every browser publishes a public key after joining
 * media; the key maker (a facilitator's browser, told so by the holders it receives) makes the
 * key, ratchets it when someone new arrives, replaces it when someone leaves (batched), and seals
 * it for each browser; the others open what is sealed for them. The key lives in this page only,
 * so it survives reconnects and a room moving to another node; the server relays sealed blobs.
 */
export class RoomKeys {
  readonly #signalling: MediaSignalling;
  readonly #frames: Pick<FrameProtection, 'useKey'>;
  readonly #changed: (state: KeyState) => void;
  readonly #pair: Promise<KeyPair> = makeKeyPair();
  #key: RoomKey | null = null;
  #state: KeyState = { status: 'waiting', code: null, maker: false, doubts: [] };
  /** Maker: public keys the current key was sealed for, and those present at the last update. */
  #sealedFor = new Set<string>();
  #present = new Set<string>();
  #rekeyTimer: ReturnType<typeof setTimeout> | null = null;
  /** One change at a time: holders updates and keys arrive faster than WebCrypto answers. */
  #queue: Promise<void> = Promise.resolve();

  constructor(signalling: MediaSignalling, frames: Pick<FrameProtection, 'useKey'>, changed: (state: KeyState) => void) {
    this.#signalling = signalling;
    this.#frames = frames;
    this.#changed = changed;
  }

  get state(): KeyState {
    return this.#state;
  }

  /** After every media join: the server forgets published keys when a connection's media ends. */
  async publish(): Promise<void> {
    const { publicKey } = await this.#pair;
    await this.#signalling.request('media.e2ee.publish', { publicKey });
  }

  /** Tell the facilitator this browser's code differs from the one read aloud. */
  async doubt(): Promise<void> {
    await this.#signalling.request('media.e2ee.doubt', {});
  }

  handlers(): Pick<MediaServerToClientEvents, 'media.e2ee.holders' | 'media.e2ee.key' | 'media.e2ee.doubt'> {
    return {
      'media.e2ee.holders': (message) => this.#enqueue(() => this.#holders(message.keys)),
      'media.e2ee.key': (message) => this.#enqueue(() => this.#received(message)),
      'media.e2ee.doubt': ({ participantId }) => this.#set({ doubts: [...new Set([...this.#state.doubts, participantId])] }),
    };
  }

  close(): void {
    if (this.#rekeyTimer) clearTimeout(this.#rekeyTimer);
    this.#rekeyTimer = null;
  }

  #enqueue(work: () => Promise<void>): void {
    this.#queue = this.#queue.then(work).catch(() => undefined);
  }

  /** Maker: who holds a public key changed. */
  async #holders(keys: KeyHolder[]): Promise<void> {
    const current = new Set(keys.map((k) => k.publicKey));
    if (!this.#state.maker) {
      // Becoming the maker (first, or after another facilitator's browser left): a new key for everyone.
      this.#set({ maker: true });
      this.#present = current;
      return this.#newKey(current);
    }
    const back = [...current].filter((key) => this.#sealedFor.has(key) && !this.#present.has(key));
    const arrived = [...current].filter((key) => !this.#sealedFor.has(key));
    this.#present = current;
    if ([...this.#sealedFor].some((key) => !current.has(key))) this.#rekeySoon();
    if (arrived.length > 0) {
      if (this.#key && stepOf(this.#key.kid) >= MAX_STEP) return this.#newKey(current);
      // A newcomer gets the next step of the key, so what was said before they came stays closed to them.
      const next = this.#key ? await ratchet(this.#key) : freshKey(null);
      for (const key of arrived) this.#sealedFor.add(key);
      await this.#use(next, arrived.concat(back));
    } else if (back.length > 0 && this.#key) {
      // A browser whose media started over already holds the key, but may have missed a step.
      await this.#seal(this.#key, back);
    }
  }

  #rekeySoon(): void {
    if (this.#rekeyTimer) return;
    this.#rekeyTimer = setTimeout(() => {
      this.#rekeyTimer = null;
      this.#enqueue(async () => {
        if ([...this.#sealedFor].some((key) => !this.#present.has(key))) await this.#newKey(this.#present);
      });
    }, REKEY_BATCH_MS);
  }

  /** A fresh key for exactly these browsers: whoever left never receives it. */
  async #newKey(holders: Set<string>): Promise<void> {
    this.#sealedFor = new Set(holders);
    await this.#use(freshKey(this.#key), [...holders]);
  }

  async #use(key: RoomKey, sealFor: string[]): Promise<void> {
    this.#key = key;
    this.#frames.useKey(key, true);
    await this.#seal(key, sealFor);
  }

  async #seal(key: RoomKey, to: string[]): Promise<void> {
    const pair = await this.#pair;
    const holders = [pair.publicKey, ...this.#sealedFor];
    const keys = await Promise.all(to.map(async (publicKey) => ({ to: publicKey, wrapped: await wrapKey(key, pair, publicKey) })));
    await this.#signalling.request('media.e2ee.wrap', { kid: key.kid.toString(), holders, keys });
    this.#set({ status: 'ready', code: await safetyCode(key, holders) });
  }

  /** A key sealed for us, or word that the maker ratcheted. */
  async #received({ kid, from, holders, wrapped }: Message<'media.e2ee.key'>): Promise<void> {
    const pair = await this.#pair;
    // A set that leaves us or the maker out would give a code nobody else sees: not ours.
    if (!holders.includes(pair.publicKey) || !holders.includes(from)) return;
    const key = wrapped ? await unwrapKey(wrapped, pair, from) : this.#key && (await ratchetTo(this.#key, BigInt(kid), MAX_STEP));
    if (!key || key.kid !== BigInt(kid)) return;
    this.#key = key;
    this.#frames.useKey(key, true);
    this.#set({ status: 'ready', code: await safetyCode(key, holders) });
  }

  #set(change: Partial<KeyState>): void {
    this.#state = { ...this.#state, ...change };
    this.#changed(this.#state);
  }
}
