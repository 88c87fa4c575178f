import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Account, AccountBook, StoredPasskey } from './account-book.js';

/** How long a browser has to answer a passkey prompt. */
const CEREMONY_MS = 5 * 60_000;

/** The challenge a response answers, read from its client data (verified against the stored one afterwards). */
function answeredChallenge(clientDataJSON: string): string | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof data.challenge === 'string' ? data.challenge : null;
  } catch {
    return null;
  }
}

/**
 * WebAuthn ceremonies with @simplewebauthn/server: the relying party is the address people use
 * (PUBLIC_URL, else this server's), challenges are kept in the database and used once, and user
 * verification (a PIN, a fingerprint) is required: the passkey is the only factor.
 */
export class Passkeys {
  readonly #book: AccountBook;
  readonly #publicUrl: () => string;

  constructor(book: AccountBook, publicUrl: () => string) {
    this.#book = book;
    this.#publicUrl = publicUrl;
  }

  #party(): { rpID: string; origin: string } {
    const url = new URL(this.#publicUrl());
    return { rpID: url.hostname, origin: url.origin };
  }

  /** Options to create a passkey; `subject` binds the answer (an invitation's hash, or the account adding one). */
  async registrationOptions(purpose: 'register' | 'add', subject: string, name: string, exclude: { id: string; transports: string[] }[] = []): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const options = await generateRegistrationOptions({
      rpName: 'Holdspace',
      rpID: this.#party().rpID,
      userName: name,
      userDisplayName: name,
      userID: new Uint8Array(randomBytes(16)),
      attestationType: 'none',
      excludeCredentials: exclude,
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      timeout: CEREMONY_MS,
    });
    await this.#book.saveChallenge(options.challenge, purpose, subject, CEREMONY_MS);
    return options;
  }

  /** The new passkey when the answer is valid for a challenge of this purpose and subject; null otherwise. */
  async verifyRegistration(purpose: 'register' | 'add', subject: string, response: RegistrationResponseJSON): Promise<Omit<StoredPasskey, 'accountId'> | null> {
    const challenge = answeredChallenge(response.response.clientDataJSON);
    const taken = challenge && (await this.#book.takeChallenge(challenge, purpose));
    if (!taken || taken.subject !== subject) return null;
    const { rpID, origin } = this.#party();
    const verified = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: true }).catch(() => null);
    if (!verified?.verified) return null;
    const { credential } = verified.registrationInfo;
    return { id: credential.id, publicKey: credential.publicKey, counter: credential.counter, transports: credential.transports ?? [] };
  }

  /** Options to sign in with any passkey of this site: the account is not named, so nothing tells whether one exists. */
  async signInOptions(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({ rpID: this.#party().rpID, userVerification: 'required', timeout: CEREMONY_MS });
    await this.#book.saveChallenge(options.challenge, 'sign-in', null, CEREMONY_MS);
    return options;
  }

  /**
   * The account a sign-in answer proves, or why not: `accountId` is set when the passkey belongs
   * to an account (for its failure budget), never shown to the person.
   */
  async verifySignIn(response: AuthenticationResponseJSON): Promise<{ account: Account } | { failed: true; accountId: string | null }> {
    const found = typeof response.id === 'string' ? await this.#book.passkey(response.id) : null;
    const challenge = answeredChallenge(response.response.clientDataJSON);
    const taken = challenge && (await this.#book.takeChallenge(challenge, 'sign-in'));
    if (!found || !taken) return { failed: true, accountId: found?.account.id ?? null };
    const { rpID, origin } = this.#party();
    const { passkey } = found;
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: { id: passkey.id, publicKey: passkey.publicKey, counter: passkey.counter, transports: passkey.transports as never },
      requireUserVerification: true,
    }).catch(() => null);
    if (!verified?.verified) return { failed: true, accountId: found.account.id };
    await this.#book.passkeyUsed(passkey.id, verified.authenticationInfo.newCounter);
    return { account: found.account };
  }
}
