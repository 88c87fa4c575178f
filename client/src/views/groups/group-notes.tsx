import { useState } from 'preact/hooks';
import { groupLimits } from '../../../../shared/protocol/groups.js';
import { groupsApi, type Note, type RosterMember } from '../../session/groups-api.js';
import { dayInWords } from './when.js';
import { t } from '../../i18n/index.js';

interface NotesProps {
  facilitatorKey: string;
  groupId: string;
  notes: Note[];
  members: RosterMember[];
  sessionNumbers: number[];
  refuse(error: unknown): void;
  reload(): Promise<void>;
}

/** The facilitator's own notes, about a session or a member; never shown to a member. */
export function GroupNotes({ facilitatorKey, groupId, notes, members, sessionNumbers, refuse, reload }: NotesProps) {
  const [text, setText] = useState('');
  const [session, setSession] = useState('');
  const [memberId, setMemberId] = useState('');
  const [busy, setBusy] = useState(false);
  const nameOf = (id: string | null) => members.find((member) => member.id === id)?.name ?? t('console:notes.formerMember');

  return (
    <section aria-labelledby="notes-title" class="card">
      <h2 id="notes-title" class="card__title">
        {t('console:notes.title')}
      </h2>
      <p class="field__hint">{t('console:notes.intro')}</p>
      {notes.length > 0 && (
        <ul class="note-list">
          {notes.map((note) => (
            <li key={note.id} data-note>
              <p class="field__hint">
                <span>{t('console:notes.written', { date: dayInWords(note.createdAt) })}</span>
                {note.session ? <span>{' · '}{t('console:notes.session', { number: note.session })}</span> : null}
                {note.memberId ? <span>{' · '}{t('console:notes.about', { name: nameOf(note.memberId) })}</span> : null}
              </p>
              <p class="note-list__text" data-user-text>
                {note.text}
              </p>
            </li>
          ))}
        </ul>
      )}
      <form
        class="stack"
        aria-label={t('console:notes.write')}
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          try {
            await groupsApi.addNote(facilitatorKey, groupId, { text: text.trim(), ...(session ? { session: Number(session) } : {}), ...(memberId ? { memberId } : {}) });
            setText('');
            await reload();
          } catch (error) {
            refuse(error);
          }
          setBusy(false);
        }}
      >
        <label class="field">
          <span class="field__label">{t('console:notes.note')}</span>
          <textarea required rows={3} maxLength={groupLimits.noteLength} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <div class="console__row">
          <label class="field">
            <span class="field__label">{t('console:notes.aboutSession')}</span>
            <select value={session} onChange={(e) => setSession(e.currentTarget.value)}>
              <option value="">{t('console:notes.noSession')}</option>
              {sessionNumbers.map((n) => (
                <option key={n} value={String(n)}>
                  {t('console:notes.session', { number: n })}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span class="field__label">{t('console:notes.aboutMember')}</span>
            <select value={memberId} onChange={(e) => setMemberId(e.currentTarget.value)}>
              <option value="">{t('console:notes.wholeGroup')}</option>
              {members
                .filter((member) => !member.leftAt)
                .map((member) => (
                  <option key={member.id} value={member.id} data-user-text>
                    {member.name}
                  </option>
                ))}
            </select>
          </label>
        </div>
        <button type="submit" class="button button--primary" disabled={busy}>
          {t('console:notes.save')}
        </button>
      </form>
    </section>
  );
}
