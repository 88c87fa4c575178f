import { useEffect, useState } from 'preact/hooks';
import { accountApi, type AccountView, type AuditEntry } from '../session/account-api.js';
import { notify } from '../session/notices.js';

/** The administrator's part of the console: invite therapists, remove accounts, read and export the audit trail. */
export function AccountsPanel({ refuse }: { refuse(error: unknown): void }) {
  const [accounts, setAccounts] = useState<(AccountView & { createdAt: string })[]>([]);
  const [audit, setAudit] = useState<AuditEntry[] | null>(null);
  const [invite, setInvite] = useState<{ link: string; expiresAt: string } | null>(null);
  const load = () => accountApi.list().then(setAccounts, refuse);
  useEffect(() => void load(), []);
  const nameOf = (id: string | null) => (id === null ? '—' : (accounts.find((account) => account.id === id)?.name ?? id));

  return (
    <section class="card" aria-labelledby="accounts-title">
      <h2 id="accounts-title" class="card__title">
        Facilitators
      </h2>
      <ul class="room-list">
        {accounts.map((account) => (
          <li key={account.id} class="room-list__item" data-account={account.name}>
            <div class="room-list__main">
              <h3 class="room-list__title">{account.name}</h3>
              <p class="field__hint">{account.role === 'admin' ? 'Administrator' : 'Therapist'} · since {new Date(account.createdAt).toLocaleDateString()}</p>
            </div>
            <button
              type="button"
              class="button button--quiet"
              onClick={async () => {
                if (!confirm(`Remove ${account.name}'s account? They are signed out at once and cannot sign in again.`)) return;
                await accountApi.remove(account.id).then(load, refuse);
              }}
            >
              Remove <span class="visually-hidden">{account.name}</span>
            </button>
          </li>
        ))}
      </ul>
      <div class="button-row">
        <button type="button" class="button" onClick={() => accountApi.invite('therapist').then(setInvite, refuse)}>
          Invite a therapist
        </button>
        <button type="button" class="button button--quiet" onClick={() => accountApi.invite('admin').then(setInvite, refuse)}>
          Invite an administrator
        </button>
      </div>
      {invite && (
        <label class="field room-list__invite">
          <span class="field__label">Invitation link (works once, until {new Date(invite.expiresAt).toLocaleString()}); send it privately</span>
          <input type="text" readOnly value={invite.link} onFocus={(e) => e.currentTarget.select()} data-account-invite />
        </label>
      )}
      <details
        onToggle={(event) => {
          if ((event.currentTarget as HTMLDetailsElement).open) void accountApi.audit().then(setAudit, refuse);
        }}
      >
        <summary>Audit trail</summary>
        <p class="field__hint">
          Who signed in, invited, added or removed whom, started, ended or exported what; never what was said or written.{' '}
          <a href="/api/audit/export" download="holdspace-audit.json" onClick={() => notify('The audit trail is being exported.', 'info')}>
            Export all (JSON)
          </a>
        </p>
        {audit && (
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col">About</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((entry) => (
                <tr key={entry.id}>
                  <td>{new Date(entry.at).toLocaleString()}</td>
                  <td>{entry.action}</td>
                  <td>{nameOf(entry.actor)}</td>
                  <td>{entry.subject ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </section>
  );
}
