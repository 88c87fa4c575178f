import { useState } from 'preact/hooks';
import { limits } from '../../../../shared/protocol/fields.js';
import { groupLimits } from '../../../../shared/protocol/groups.js';
import { groupsApi, type Goal, type RosterMember } from '../../session/groups-api.js';
import { notify } from '../../session/notices.js';
import { TextField } from '../text-field.js';
import { t } from '../../i18n/index.js';

interface RosterProps {
  facilitatorKey: string;
  groupId: string;
  members: RosterMember[];
  goals: Record<string, Goal[]>;
  full: boolean;
  refuse(error: unknown): void;
  reload(): Promise<void>;
}

/** The group's members: add one, give out or end their personal link, let them leave. */
export function Roster({ facilitatorKey, groupId, members, goals, full, refuse, reload }: RosterProps) {
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [links, setLinks] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const show = async (memberId: string, link: string, told: string) => {
    setLinks((held) => ({ ...held, [memberId]: link }));
    await navigator.clipboard.writeText(link).then(
      () => notify(told, 'info'),
      () => notify(t('console:roster.copyYourself'), 'info'),
    );
  };
  const act = async (run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      refuse(error);
    }
  };
  const current = members.filter((member) => !member.leftAt);

  return (
    <section aria-labelledby="roster-title" class="card">
      <h2 id="roster-title" class="card__title">
        {t('console:roster.title')}
      </h2>
      {current.length === 0 ? (
        <p class="quiet">{t('console:roster.none')}</p>
      ) : (
        <ul class="room-list">
          {current.map((member) => (
            <li key={member.id} class="room-list__item room-list__item--stacked" data-member={member.name}>
              <div class="room-list__main">
                <h3 class="room-list__title" data-user-text>
                  {member.name}
                </h3>
                <p class="field__hint">
                  <span>{t(member.hasLink ? 'console:roster.hasLink' : 'console:roster.noLink')}</span>
                  {' · '}
                  <span>{member.emergencyContact ? t('console:roster.contact', { contact: member.emergencyContact }) : t('console:roster.noContact')}</span>
                </p>
                {(goals[member.id] ?? []).map((goal) => {
                  const latest = goal.progress.at(-1)?.note;
                  const key = goal.visibleToGroup ? (latest ? 'goalSharedProgress' : 'goalShared') : latest ? 'goalPrivateProgress' : 'goalPrivate';
                  return (
                    <p key={goal.id} class="field__hint" data-goal>
                      {t(`console:roster.${key}`, { goal: goal.text, progress: latest })}
                    </p>
                  );
                })}
              </div>
              <div class="button-row">
                <button
                  type="button"
                  class="button"
                  onClick={() =>
                    act(async () => {
                      if (member.hasLink && !confirm(t('console:roster.newLinkConfirm', { name: member.name }))) return;
                      await show(member.id, await groupsApi.issueLink(facilitatorKey, groupId, member.id), t('console:roster.newLinkCopied', { name: member.name }));
                      await reload();
                    })
                  }
                >
                  {t(member.hasLink ? 'console:roster.newLink' : 'console:roster.giveLink')} <span class="visually-hidden">{t('console:roster.forMember', { name: member.name })}</span>
                </button>
                {member.hasLink && (
                  <button
                    type="button"
                    class="button button--quiet"
                    onClick={() =>
                      act(async () => {
                        if (!confirm(t('console:roster.endConfirm', { name: member.name }))) return;
                        await groupsApi.revokeLink(facilitatorKey, groupId, member.id);
                        setLinks(({ [member.id]: _, ...rest }) => rest);
                        notify(t('console:roster.ended', { name: member.name }), 'info');
                        await reload();
                      })
                    }
                  >
                    {t('console:roster.endLink')} <span class="visually-hidden">{t('console:roster.ofMember', { name: member.name })}</span>
                  </button>
                )}
                <button
                  type="button"
                  class="button button--quiet"
                  onClick={() =>
                    act(async () => {
                      if (!confirm(t('console:roster.removeConfirm', { name: member.name }))) return;
                      await groupsApi.removeMember(facilitatorKey, groupId, member.id);
                      await reload();
                    })
                  }
                >
                  {t('console:roster.remove')}{' '}
                  <span class="visually-hidden">
                    <span data-user-text>{member.name}</span> {t('console:roster.fromGroup')}
                  </span>
                </button>
              </div>
              {links[member.id] && (
                <label class="field room-list__invite">
                  <span class="field__label">{t('console:roster.linkLabel', { name: member.name })}</span>
                  <input type="text" readOnly value={links[member.id]} onFocus={(e) => e.currentTarget.select()} data-member-link />
                </label>
              )}
            </li>
          ))}
        </ul>
      )}
      {full ? (
        <p class="quiet">{t('console:roster.full')}</p>
      ) : (
        <form
          class="console__create"
          aria-label={t('console:roster.add')}
          onSubmit={async (event) => {
            event.preventDefault();
            setBusy(true);
            await act(async () => {
              const added = await groupsApi.addMember(facilitatorKey, groupId, name.trim(), contact.trim() || undefined);
              setName('');
              setContact('');
              await reload();
              await show(added.member.id, added.link, t('console:roster.added', { name: added.member.name }));
            });
            setBusy(false);
          }}
        >
          <TextField label={t('console:roster.name')} required maxLength={limits.nameLength} value={name} onValue={setName} />
          <TextField label={t('console:roster.contactLabel')} maxLength={groupLimits.contactLength} value={contact} onValue={setContact} placeholder={t('console:roster.contactPlaceholder')} />
          <button type="submit" class="button button--primary" disabled={busy}>
            {t('console:roster.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
