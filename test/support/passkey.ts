import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/** The CBOR this authenticator writes: unsigned and negative integers, byte and text strings, maps. */
function cbor(value: unknown): Buffer {
  const head = (major: number, length: number): Buffer => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 256) return Buffer.from([(major << 5) | 24, length]);
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(length, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Map) return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
  throw new Error(`cannot encode ${typeof value}`);
}

const b64 = (bytes: Buffer) => bytes.toString('base64url');

/**
 * A passkey held in software, as a platform authenticator would hold it: an ES256 key pair made
 * at registration, "none" attestation, user presence and verification flags set, a counter that
 * goes up on every use. It answers the options Holdspace's server hands a browser.
 */
export class SoftPasskey {
  readonly id = randomBytes(16);
  #privateKey: KeyObject | null = null;
  #counter = 0;
  #userHandle = '';

  constructor(readonly origin: string) {}

  get rpId(): string {
    return new URL(this.origin).hostname;
  }

  #clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** navigator.credentials.create() for these options, as @simplewebauthn/browser hands it to the server. */
  create(options: { challenge: string; rp: { id?: string }; user: { id: string } }, origin = this.origin): Record<string, unknown> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
    this.#userHandle = options.user.id;
    const cose = cbor(new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x, 'base64url')], [-3, Buffer.from(jwk.y, 'base64url')]]));
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.id.length);
    const authData = Buffer.concat([this.#rpIdHash(options.rp.id), Buffer.from([0x45]), this.#count(), Buffer.alloc(16), idLength, this.id, cose]);
    const attestationObject = cbor(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    return {
      id: b64(this.id),
      rawId: b64(this.id),
      type: 'public-key',
      response: { clientDataJSON: b64(this.#clientData('webauthn.create', options.challenge, origin)), attestationObject: b64(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get() for these options; `tamper` spoils the signature. */
  get(options: { challenge: string; rpId?: string }, extra: { origin?: string; tamper?: boolean } = {}): Record<string, unknown> {
    if (!this.#privateKey) throw new Error('this passkey was never registered');
    this.#counter += 1;
    const authenticatorData = Buffer.concat([this.#rpIdHash(options.rpId), Buffer.from([0x05]), this.#count()]);
    const clientData = this.#clientData('webauthn.get', options.challenge, extra.origin ?? this.origin);
    const signature = sign('sha256', Buffer.concat([authenticatorData, createHash('sha256').update(clientData).digest()]), this.#privateKey);
    if (extra.tamper) signature[signature.length - 1]! ^= 0xff;
    return {
      id: b64(this.id),
      rawId: b64(this.id),
      type: 'public-key',
      response: { clientDataJSON: b64(clientData), authenticatorData: b64(authenticatorData), signature: b64(signature), userHandle: this.#userHandle },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  #rpIdHash(rpId = this.rpId): Buffer {
    return createHash('sha256').update(rpId).digest();
  }

  #count(): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.#counter);
    return counter;
  }
}

/** A facilitator's browser against one server: its passkey and the sign-in cookie it holds. */
export class FacilitatorBrowser {
  readonly passkey: SoftPasskey;
  cookie = '';
  recoveryCodes: string[] = [];
  account: { id: string; name: string; role: string } | null = null;

  constructor(readonly url: string) {
    this.passkey = new SoftPasskey(url);
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookie = response.headers.getSetCookie().find((line) => line.includes('sign-in='));
    if (setCookie) this.cookie = setCookie.split(';')[0]!.endsWith('=') ? '' : setCookie.split(';')[0]!;
    const text = await response.text();
    return { status: response.status, headers: response.headers, setCookie: setCookie ?? null, text, json: (text.startsWith('{') ? JSON.parse(text) : null) as Record<string, any> | null };
  }

  /** Open a setup or invitation link, create a passkey and register under `name`: signed in afterwards. */
  async register(link: string, name: string) {
    const token = new URL(link).hash.replace('#invite=', '');
    const options = await this.call('POST', '/accounts/register/options', { token, name });
    if (options.status !== 200) return options;
    const answer = await this.call('POST', '/accounts/register', { token, name, response: this.passkey.create(options.json as never) });
    if (answer.status === 201) {
      this.account = answer.json!.account;
      this.recoveryCodes = answer.json!.recoveryCodes;
    }
    return answer;
  }

  async signIn(extra: { origin?: string; tamper?: boolean } = {}) {
    const options = await this.call('POST', '/accounts/sign-in/options', {});
    if (options.status !== 200) return options;
    return this.call('POST', '/accounts/sign-in', { response: this.passkey.get(options.json as never, extra) });
  }

  /** Signed in (say with a recovery code): create a passkey on this device and add it to the account. */
  async addPasskey(passkey = new SoftPasskey(this.url)) {
    const options = await this.call('POST', '/accounts/passkeys/options', {});
    if (options.status !== 200) return options;
    return this.call('POST', '/accounts/passkeys', { response: passkey.create(options.json as never) });
  }

  /** Headers a Node client sends as this browser (its cookie). */
  get headers(): Record<string, string> {
    return this.cookie ? { cookie: this.cookie } : {};
  }
}

/** The first administrator of a fresh server, set up through the break-glass route with the facilitator key. */
export async function firstAdmin(url: string, facilitatorKey: string, name = 'Dr. Rivera'): Promise<FacilitatorBrowser> {
  const admin = new FacilitatorBrowser(url);
  const setup = await admin.call('POST', '/accounts/setup-link', {}, { authorization: `Bearer ${facilitatorKey}` });
  if (setup.status !== 201) throw new Error(`setup link refused: ${setup.status} ${setup.text}`);
  const registered = await admin.register(setup.json!.link, name);
  if (registered.status !== 201) throw new Error(`registration refused: ${registered.status} ${registered.text}`);
  return admin;
}

/** A therapist invited by an administrator, registered and signed in. */
export async function invitedTherapist(admin: FacilitatorBrowser, name: string): Promise<FacilitatorBrowser> {
  const invite = await admin.call('POST', '/accounts/invitations', { role: 'therapist' });
  if (invite.status !== 201) throw new Error(`invitation refused: ${invite.status} ${invite.text}`);
  const therapist = new FacilitatorBrowser(admin.url);
  const registered = await therapist.register(invite.json!.link, name);
  if (registered.status !== 201) throw new Error(`registration refused: ${registered.status} ${registered.text}`);
  return therapist;
}
