import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import type { Account, AccountBook, SignIn } from '../accounts/account-book.js';
import type { SignInCookie } from '../accounts/sign-in-cookie.js';
import type { Logger } from '../logger.js';
import { FailureBudget } from '../realtime/limits.js';
import { ApiError } from './api-error.js';

/** Who is asking: a signed-in facilitator, or (without accounts, RECORDS_ENABLED=false) the holder of the facilitator key. */
export type Principal = { kind: 'account'; account: Account; signIn: SignIn } | { kind: 'key' };

export interface FacilitatorAccessOptions {
  /** Facilitators' accounts; null without records, where the facilitator key is the only credential. */
  accounts: AccountBook | null;
  cookie: SignInCookie;
  facilitatorKey: string;
  /** The address people use: requests from a page of another origin are refused. */
  publicUrl: () => string;
  entryPerMinute: number;
  logger: Logger;
}

/** Whether a browser says this request comes from a page of another origin (a cookie must not be spent from there). */
export function fromAnotherOrigin(request: IncomingMessage, ownOrigin: string): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== ownOrigin) return true;
  const site = request.headers['sec-fetch-site'];
  return site === 'cross-site' || site === 'same-site';
}

/**
 * The facilitator's credential on every HTTP route: the sign-in cookie (each request counts as
 * activity against the idle timeout), or without accounts the facilitator key as before. With
 * accounts, the key opens only the break-glass route that issues an administrator's setup link.
 */
export class FacilitatorAccess {
  readonly #options: FacilitatorAccessOptions;
  readonly #expectedKey: Buffer;
  // Wrong keys are limited per address, checked before the key so a spent budget reveals nothing, and logged without the key.
  readonly #keyFailures: FailureBudget;

  constructor(options: FacilitatorAccessOptions) {
    this.#options = options;
    this.#expectedKey = Buffer.from(`Bearer ${options.facilitatorKey}`);
    this.#keyFailures = new FailureBudget('facilitator-key-failures', options.entryPerMinute);
  }

  get accountsOn(): boolean {
    return this.#options.accounts !== null;
  }

  /** The signed-in account's sign-in from a request's cookie, if it is live; `touch` counts the request as activity. */
  async signInOf(request: IncomingMessage, touch: boolean): Promise<SignIn | null> {
    const secret = this.#options.cookie.read(request);
    if (!secret || !this.#options.accounts) return null;
    if (fromAnotherOrigin(request, new URL(this.#options.publicUrl()).origin)) return null;
    return this.#options.accounts.signIn(secret, { touch });
  }

  async require(req: Request): Promise<Principal> {
    if (!this.#options.accounts) {
      await this.requireKey(req);
      return { kind: 'key' };
    }
    if (fromAnotherOrigin(req, new URL(this.#options.publicUrl()).origin)) throw new ApiError('FORBIDDEN', 'this request came from another site');
    const signIn = await this.signInOf(req, true);
    if (!signIn) throw new ApiError('SIGNED_OUT');
    return { kind: 'account', account: signIn.account, signIn };
  }

  /** A signed-in account (never the key). */
  async requireAccount(req: Request): Promise<Extract<Principal, { kind: 'account' }>> {
    const principal = await this.require(req);
    if (principal.kind !== 'account') throw new ApiError('SIGNED_OUT');
    return principal;
  }

  async requireAdmin(req: Request): Promise<Extract<Principal, { kind: 'account' }>> {
    const principal = await this.requireAccount(req);
    if (principal.account.role !== 'admin') throw new ApiError('FORBIDDEN', 'only an administrator can do that');
    return principal;
  }

  async requireKey(req: Request): Promise<void> {
    const address = req.ip ?? 'unknown';
    if (await this.#keyFailures.spent(address)) throw new ApiError('RATE_LIMITED');
    const given = Buffer.from(req.get('authorization') ?? '');
    if (given.length === this.#expectedKey.length && timingSafeEqual(given, this.#expectedKey)) return;
    const verdict = await this.#keyFailures.fail(address);
    const { logger, entryPerMinute } = this.#options;
    if (verdict === 'last') logger.warn({ ip: address, failures: entryPerMinute }, 'facilitator key refused too often; address refused for a minute');
    else if (verdict === 'counted') logger.warn({ ip: address, method: req.method, path: req.path }, 'facilitator key refused');
    throw new ApiError(verdict === 'over' ? 'RATE_LIMITED' : 'UNAUTHENTICATED');
  }
}
