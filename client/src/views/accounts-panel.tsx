import { useEffect, useState } from 'preact/hooks';
import { accountApi, type AccountView, type AuditEntry } from '../session/account-api.js';
import { notify } from '../session/notices.js';
import { t } from '../i18n/index.js';
import { date, dateTime } from '../i18n/format.js';

/** 'sign-in.failed' → 'signInFailed': an audit action's key in the catalogue. */
const actionKey = (action: string) => action.replace(/[.-](\w)/g, (_, next: string) => next.toUpperCase());

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
        {t('console:accounts.title')}
      </h2>
      <ul class="room-list">
        {accounts.map((account) => (
          <li key={account.id} class="room-list__item" data-account={account.name}>
            <div class="room-list__main">
              <h3 class="room-list__title" data-user-text>
                {account.name}
              </h3>
              <p class="field__hint">{t('console:accounts.since', { role: t(account.role === 'admin' ? 'console:accounts.admin' : 'console:accounts.therapist'), date: date(account.createdAt) })}</p>
            </div>
            <button
              type="button"
              class="button button--quiet"
              onClick={async () => {
                if (!confirm(t('console:accounts.removeConfirm', { name: account.name }))) return;
                await accountApi.remove(account.id).then(load, refuse);
              }}
            >
              {t('console:accounts.remove')}{' '}
              <span class="visually-hidden" data-user-text>
                {account.name}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div class="button-row">
        <button type="button" class="button" onClick={() => accountApi.invite('therapist').then(setInvite, refuse)}>
          {t('console:accounts.inviteTherapist')}
        </button>
        <button type="button" class="button button--quiet" onClick={() => accountApi.invite('admin').then(setInvite, refuse)}>
          {t('console:accounts.inviteAdmin')}
        </button>
      </div>
      {invite && (
        <label class="field room-list__invite">
          <span class="field__label">{t('console:accounts.inviteLink', { until: dateTime(invite.expiresAt) })}</span>
          <input type="text" readOnly value={invite.link} onFocus={(e) => e.currentTarget.select()} data-account-invite />
        </label>
      )}
      <details
        onToggle={(event) => {
          if ((event.currentTarget as HTMLDetailsElement).open) void accountApi.audit().then(setAudit, refuse);
        }}
      >
        <summary>{t('console:accounts.audit')}</summary>
        <p class="field__hint">
          {t('console:accounts.auditIntro')}{' '}
          <a href="/api/audit/export" download="holdspace-audit.json" onClick={() => notify(t('console:accounts.exporting'), 'info')}>
            {t('console:accounts.export')}
          </a>
        </p>
        {audit && (
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">{t('console:accounts.when')}</th>
                <th scope="col">{t('console:accounts.what')}</th>
                <th scope="col">{t('console:accounts.who')}</th>
                <th scope="col">{t('console:accounts.about')}</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((entry) => (
                <tr key={entry.id}>
                  <td>{dateTime(entry.at)}</td>
                  <td>{t(`console:accounts.actions.${actionKey(entry.action)}` as 'console:accounts.actions.signIn', { defaultValue: entry.action })}</td>
                  <td data-user-text>{nameOf(entry.actor)}</td>
                  <td data-user-text>{entry.subject ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </section>
  );
}
