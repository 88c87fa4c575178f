import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { displayNameSchema } from '../../shared/protocol/commands.js';
import { secretHash, type Account, type AccountBook } from '../accounts/account-book.js';
import type { AuditTrail } from '../accounts/audit-trail.js';
import type { Passkeys } from '../accounts/passkeys.js';
import type { SignInCookie } from '../accounts/sign-in-cookie.js';
import { FailureBudget } from '../realtime/limits.js';
import { ApiError, asyncRoute, parse } from './api-error.js';
import type { FacilitatorAccess } from './facilitator-access.js';

export interface AccountsApiOptions {
  accounts: AccountBook;
  passkeys: Passkeys;
  access: FacilitatorAccess;
  audit: AuditTrail;
  cookie: SignInCookie;
  publicUrl: () => string;
  /** How long an invitation or setup link is valid. */
  invitationTtlMs: number;
  /** Failed sign-ins per address and minute, and per account. */
  entryPerMinute: number;
}

const secret = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);
// The browser's answer is checked by @simplewebauthn/server; here only its outline and size.
const credentialJson = z.looseObject({ id: z.string().max(1400), rawId: z.string().max(1400), type: z.literal('public-key'), response: z.looseObject({ clientDataJSON: z.string().max(4096) }) });
const registrationResponse = credentialJson.extend({ response: z.looseObject({ clientDataJSON: z.string().max(4096), attestationObject: z.string().max(16_384) }) });
const authenticationResponse = credentialJson.extend({ response: z.looseObject({ clientDataJSON: z.string().max(4096), authenticatorData: z.string().max(4096), signature: z.string().max(2048) }) });
const invitationBody = z.strictObject({ token: secret });
const registerOptionsBody = z.strictObject({ token: secret, name: displayNameSchema });
const registerBody = z.strictObject({ token: secret, name: displayNameSchema, response: registrationResponse });
const signInBody = z.strictObject({ response: authenticationResponse });
const recoverBody = z.strictObject({ code: z.string().min(8).max(64) });
const addPasskeyBody = z.strictObject({ response: registrationResponse });
const inviteBody = z.strictObject({ role: z.enum(['admin', 'therapist']).default('therapist') });
const accountParams = z.strictObject({ accountId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/) });
const auditQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100), before: z.string().regex(/^\d{1,19}$/).optional() });

const json = express.json({ limit: '32kb', strict: true });
const view = (account: Account) => ({ id: account.id, name: account.name, role: account.role });

/** Accounts with passkeys: setup and invitation links, sign-in and out, recovery codes, the administrator's accounts and audit trail. */
export function createAccountsApi(options: AccountsApiOptions): express.Router {
  const { accounts, passkeys, access, audit, cookie } = options;
  const api = express.Router();
  api.use(json);
  // Failures are counted per address and per account and answered alike, so no answer tells whether an account exists.
  const addressFailures = new FailureBudget('sign-in-failures', options.entryPerMinute);
  const accountFailures = new FailureBudget('account-sign-in-failures', Math.max(5, Math.ceil(options.entryPerMinute / 3)));
  const linkFor = (token: string) => `${options.publicUrl()}/welcome#invite=${token}`;
  const ip = (req: Request) => req.ip ?? 'unknown';
  const refuse = async (req: Request, code: 'SIGN_IN_FAILED' | 'ACCOUNT_LINK_INVALID', accountId: string | null = null): Promise<never> => {
    const over = (await addressFailures.fail(ip(req))) === 'over';
    const accountOver = accountId !== null && (await accountFailures.fail(accountId)) === 'over';
    if (code === 'SIGN_IN_FAILED') await audit.record({ action: 'sign-in.failed', actor: accountId, address: ip(req) });
    throw new ApiError(over || accountOver ? 'RATE_LIMITED' : code);
  };
  const notSpent = async (req: Request) => {
    if (await addressFailures.spent(ip(req))) throw new ApiError('RATE_LIMITED');
  };
  const signInAs = async (res: Response, account: Account) => {
    const started = await accounts.startSignIn(account.id);
    cookie.set(res, started.secret, started.expiresAt);
  };
  const me = async (req: Request) => access.requireAccount(req);

  /** Break-glass for a headless server: the operator's facilitator key makes a new administrator's setup link. */
  api.post('/setup-link', asyncRoute(async (req, res) => {
    await access.requireKey(req);
    const token = await accounts.invite('admin', null, options.invitationTtlMs);
    await audit.record({ action: 'setup-link.issued', actor: 'facilitator-key', address: ip(req) });
    res.status(201).json({ link: linkFor(token) });
  }));

  api.post('/invitations/inspect', asyncRoute(async (req, res) => {
    await notSpent(req);
    const { token } = parse(invitationBody, req.body ?? {});
    const found = await accounts.invitation(token);
    if (!found) return refuse(req, 'ACCOUNT_LINK_INVALID');
    res.json({ role: found.role });
  }));

  api.post('/register/options', asyncRoute(async (req, res) => {
    await notSpent(req);
    const { token, name } = parse(registerOptionsBody, req.body ?? {});
    if (!(await accounts.invitation(token))) return refuse(req, 'ACCOUNT_LINK_INVALID');
    res.json(await passkeys.registrationOptions('register', secretHash(token), name));
  }));

  api.post('/register', asyncRoute(async (req, res) => {
    await notSpent(req);
    const { token, name, response } = parse(registerBody, req.body ?? {});
    const passkey = await passkeys.verifyRegistration('register', secretHash(token), response as never);
    const registered = passkey && (await accounts.register(token, name, passkey));
    if (!registered) return refuse(req, 'ACCOUNT_LINK_INVALID');
    await audit.record({ action: 'account.registered', actor: registered.account.id, subject: registered.account.id, address: ip(req) });
    await signInAs(res, registered.account);
    await audit.record({ action: 'sign-in', actor: registered.account.id, address: ip(req) });
    res.status(201).json({ account: view(registered.account), recoveryCodes: registered.recoveryCodes });
  }));

  api.post('/sign-in/options', asyncRoute(async (req, res) => {
    await notSpent(req);
    res.json(await passkeys.signInOptions());
  }));

  api.post('/sign-in', asyncRoute(async (req, res) => {
    await notSpent(req);
    const parsed = signInBody.safeParse(req.body ?? {});
    if (!parsed.success) return refuse(req, 'SIGN_IN_FAILED');
    const owner = await accounts.passkey(parsed.data.response.id);
    if (owner && (await accountFailures.spent(owner.account.id))) throw new ApiError('RATE_LIMITED');
    const result = await passkeys.verifySignIn(parsed.data.response as never);
    if ('failed' in result) return refuse(req, 'SIGN_IN_FAILED', result.accountId);
    await signInAs(res, result.account);
    await audit.record({ action: 'sign-in', actor: result.account.id, address: ip(req) });
    res.json({ account: view(result.account) });
  }));

  /** A recovery code signs in once; the page then offers to add a passkey on this device. */
  api.post('/recover', asyncRoute(async (req, res) => {
    await notSpent(req);
    const parsed = recoverBody.safeParse(req.body ?? {});
    const account = parsed.success ? await accounts.useRecoveryCode(parsed.data.code) : null;
    if (!account) return refuse(req, 'SIGN_IN_FAILED');
    await signInAs(res, account);
    await audit.record({ action: 'recovery-code.used', actor: account.id, address: ip(req) });
    res.json({ account: view(account) });
  }));

  api.get('/me', asyncRoute(async (req, res) => {
    const { account, signIn } = await me(req);
    res.json({ account: view(account), idleMs: accounts.limits.idleMs, expiresAt: signIn.expiresAt.toISOString() });
  }));

  /** The page saw its facilitator at work (typing, clicking): the idle timeout starts again. */
  api.post('/activity', asyncRoute(async (req, res) => {
    await me(req);
    res.status(204).end();
  }));

  api.post('/sign-out', asyncRoute(async (req, res) => {
    const signIn = await access.signInOf(req, false);
    if (signIn) {
      await accounts.endSignIn(signIn.idHash);
      await audit.record({ action: 'sign-out', actor: signIn.account.id, address: ip(req) });
    }
    cookie.clear(res);
    res.status(204).end();
  }));

  api.post('/passkeys/options', asyncRoute(async (req, res) => {
    const { account } = await me(req);
    res.json(await passkeys.registrationOptions('add', account.id, account.name, await accounts.passkeysOf(account.id)));
  }));

  api.post('/passkeys', asyncRoute(async (req, res) => {
    const { account } = await me(req);
    const passkey = await passkeys.verifyRegistration('add', account.id, parse(addPasskeyBody, req.body ?? {}).response as never);
    if (!passkey) throw new ApiError('SIGN_IN_FAILED');
    await accounts.addPasskey(account.id, passkey);
    await audit.record({ action: 'passkey.added', actor: account.id, subject: account.id, address: ip(req) });
    res.status(201).end();
  }));

  /** Names of the other facilitators, to pick a co-lead from. */
  api.get('/colleagues', asyncRoute(async (req, res) => {
    await me(req);
    res.json({ accounts: (await accounts.accounts()).map((account) => ({ id: account.id, name: account.name })) });
  }));

  api.get('/', asyncRoute(async (req, res) => {
    await access.requireAdmin(req);
    res.json({ accounts: (await accounts.accounts()).map((account) => ({ ...view(account), createdAt: account.createdAt })) });
  }));

  api.post('/invitations', asyncRoute(async (req, res) => {
    const { account } = await access.requireAdmin(req);
    const { role } = parse(inviteBody, req.body ?? {});
    const token = await accounts.invite(role, account.id, options.invitationTtlMs);
    await audit.record({ action: 'account.invited', actor: account.id, subject: role, address: ip(req) });
    res.status(201).json({ link: linkFor(token), expiresAt: new Date(Date.now() + options.invitationTtlMs).toISOString() });
  }));

  api.delete('/:accountId', asyncRoute(async (req, res) => {
    const { account } = await access.requireAdmin(req);
    const { accountId } = parse(accountParams, req.params);
    if (accountId === account.id) throw new ApiError('FORBIDDEN', 'another administrator must remove your account');
    if (!(await accounts.remove(accountId))) throw new ApiError('NOT_FOUND', 'no such account');
    await audit.record({ action: 'account.removed', actor: account.id, subject: accountId, address: ip(req) });
    res.status(204).end();
  }));

  return api;
}

/** The administrator's audit trail: read in pages, or exported whole as JSON. */
export function createAuditApi(options: Pick<AccountsApiOptions, 'access' | 'audit'>): express.Router {
  const { access, audit } = options;
  const api = express.Router();
  api.get('/', asyncRoute(async (req, res) => {
    await access.requireAdmin(req);
    const query = parse(auditQuery, req.query);
    const entries = await audit.list(query);
    res.json({ entries, next: entries.length === query.limit ? (entries.at(-1)?.id ?? null) : null });
  }));
  api.get('/export', asyncRoute(async (req, res) => {
    const { account } = await access.requireAdmin(req);
    await audit.record({ action: 'audit.exported', actor: account.id, address: req.ip ?? null });
    const entries = [];
    for (let before: string | undefined; ; ) {
      const page = await audit.list({ limit: 1000, before });
      entries.push(...page);
      if (page.length < 1000) break;
      before = page.at(-1)!.id;
    }
    res.set('Content-Disposition', 'attachment; filename="holdspace-audit.json"').json({ exportedAt: new Date().toISOString(), entries });
  }));
  return api;
}
