/** Facilitators' accounts as the browser uses them: passkeys, sign-in and out, the administrator's accounts and audit trail. */
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { call } from './http-api.js';

export interface AccountView {
  id: string;
  name: string;
  role: 'admin' | 'therapist';
}

export interface SignedIn {
  account: AccountView;
  /** The idle timeout: a page without its facilitator's activity this long is signed out. */
  idleMs: number;
}

export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  actor: string | null;
  groupId: string | null;
  subject: string | null;
}

export const accountApi = {
  me: () => call<SignedIn>('/api/accounts/me'),
  inspect: (token: string) => call<{ role: 'admin' | 'therapist' }>('/api/accounts/invitations/inspect', { body: { token } }),
  /** Create a passkey on this device for the invitation, then register: signed in, with recovery codes shown once. */
  register: async (token: string, name: string) => {
    const optionsJSON = await call<Parameters<typeof startRegistration>[0]['optionsJSON']>('/api/accounts/register/options', { body: { token, name } });
    const response = await startRegistration({ optionsJSON });
    return call<{ account: AccountView; recoveryCodes: string[] }>('/api/accounts/register', { body: { token, name, response } });
  },
  signIn: async () => {
    const optionsJSON = await call<Parameters<typeof startAuthentication>[0]['optionsJSON']>('/api/accounts/sign-in/options', { body: {} });
    const response = await startAuthentication({ optionsJSON });
    return call<{ account: AccountView }>('/api/accounts/sign-in', { body: { response } });
  },
  recover: (code: string) => call<{ account: AccountView }>('/api/accounts/recover', { body: { code } }),
  addPasskey: async () => {
    const optionsJSON = await call<Parameters<typeof startRegistration>[0]['optionsJSON']>('/api/accounts/passkeys/options', { body: {} });
    await call<void>('/api/accounts/passkeys', { body: { response: await startRegistration({ optionsJSON }) } });
  },
  signOut: () => call<void>('/api/accounts/sign-out', { body: {} }),
  activity: () => call<void>('/api/accounts/activity', { body: {} }),
  colleagues: () => call<{ accounts: { id: string; name: string }[] }>('/api/accounts/colleagues').then((a) => a.accounts),
  list: () => call<{ accounts: (AccountView & { createdAt: string })[] }>('/api/accounts').then((a) => a.accounts),
  invite: (role: 'admin' | 'therapist') => call<{ link: string; expiresAt: string }>('/api/accounts/invitations', { body: { role } }),
  remove: (accountId: string) => call<void>(`/api/accounts/${encodeURIComponent(accountId)}`, { method: 'DELETE' }),
  audit: () => call<{ entries: AuditEntry[] }>('/api/audit?limit=100').then((a) => a.entries),
};
