import '../styles/console.css';
import { useEffect, useState } from 'preact/hooks';
import { limits } from '../../../shared/protocol/commands.js';
import type { LocalMediaOptions } from '../media/media-session.js';
import { forgetLead, rememberedLead, rememberLead } from '../session/facilitator-key.js';
import type { SignedIn } from '../session/account-api.js';
import { AccountsPanel } from './accounts-panel.js';
import { FacilitatorGate, type Facilitator } from './facilitator-gate.js';
import { ApiRefusal, httpApi, refusalText, type RoomEntry, type RoomSummary } from '../session/http-api.js';
import { t } from '../i18n/index.js';
import { dateTime } from '../i18n/format.js';
import { LanguagePicker } from '../i18n/language-picker.js';
import { startingAgenda } from './groups/starting-agenda.js';
import { saveSession } from '../session/saved-session.js';
import { navigate } from './app.js';
import { Notices } from './notices.js';
import { notify } from '../session/notices.js';
import { PreJoin } from './pre-join.js';
import { GroupList } from './groups/group-list.js';
import { TextField } from './text-field.js';

/** The facilitator's rooms: create one, copy its invite link, enter it. */
export function FacilitatorConsole() {
  return <FacilitatorGate>{(facilitator) => <Console facilitator={facilitator} />}</FacilitatorGate>;
}

function Console({ facilitator }: { facilitator: Facilitator }) {
  const [entering, setEntering] = useState<{ entry: RoomEntry; title: string } | null>(null);
  if (entering) {
    return (
      <PreJoin
        roomTitle={entering.title}
        role="facilitator"
        busy={false}
        error={null}
        onJoin={(media: LocalMediaOptions) => {
          saveSession({ roomId: entering.entry.roomId, token: entering.entry.token, role: 'facilitator', media });
          navigate(`/room/${entering.entry.roomId}`);
        }}
      />
    );
  }
  return <RoomList facilitatorKey={facilitator.credential} signedIn={facilitator.signedIn} onEnter={(entry, title) => setEntering({ entry, title })} onForget={facilitator.leave} />;
}

function RoomList({ facilitatorKey, signedIn, onEnter, onForget }: { facilitatorKey: string; signedIn: SignedIn | null; onEnter(entry: RoomEntry, title: string): void; onForget(): void }) {
  const [rooms, setRooms] = useState<RoomSummary[] | null>(null);
  const [title, setTitle] = useState('');
  const [name, setName] = useState('');
  const [invites, setInvites] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  /** The room this device has never led: enter it as a co-facilitator, by name, or as its opener. */
  const [joining, setJoining] = useState<string | null>(null);
  const [leadName, setLeadName] = useState('');

  const refuse = (error: unknown) => {
    if (error instanceof ApiRefusal && (error.code === 'UNAUTHENTICATED' || error.code === 'SIGNED_OUT')) {
      notify(error.code === 'SIGNED_OUT' ? refusalText(error) : t('console:console.keyRefused'));
      onForget();
    } else notify(refusalText(error));
  };

  const load = () => httpApi.listRooms(facilitatorKey).then((list) => setRooms(list.sort((a, b) => b.createdAt - a.createdAt)), refuse);
  useEffect(() => void load(), [facilitatorKey]);

  const showInvite = async (roomId: string, given?: string, copied = t('console:console.inviteCopied')) => {
    try {
      const inviteUrl = given ?? (await httpApi.facilitate(facilitatorKey, roomId)).inviteUrl;
      setInvites((held) => ({ ...held, [roomId]: inviteUrl }));
      await navigator.clipboard.writeText(inviteUrl).then(
        () => notify(copied, 'info'),
        () => notify(t('console:console.copyYourself'), 'info'),
      );
    } catch (error) {
      refuse(error);
    }
  };

  /** Someone who should not come back still holds the link: give out a new one; the old one stops working. */
  const replaceInvite = async (room: { id: string; title: string }) => {
    if (!confirm(t('console:console.replaceConfirm', { title: room.title }))) return;
    try {
      const { inviteUrl } = await httpApi.replaceInvite(facilitatorKey, room.id);
      await showInvite(room.id, inviteUrl, t('console:console.replaced'));
    } catch (error) {
      refuse(error);
    }
  };

  const enterAs = async (room: { id: string; title: string }, as: Parameters<typeof httpApi.facilitate>[2]) => {
    try {
      const entry = await httpApi.facilitate(facilitatorKey, room.id, as);
      rememberLead(room.id, entry.facilitatorId);
      onEnter(entry, room.title);
    } catch (error) {
      if (error instanceof ApiRefusal && error.code === 'NOT_FOUND' && as && 'facilitatorId' in as) {
        forgetLead(room.id);
        setJoining(room.id);
      } else refuse(error);
    }
  };

  /** Coming back is the same facilitator; a room this device never led is joined as a co-facilitator. */
  const enter = (room: { id: string; title: string }) => {
    const lead = rememberedLead(room.id);
    if (lead) void enterAs(room, { facilitatorId: lead });
    else setJoining(room.id);
  };

  return (
    <main class="page console">
      <header class="console__head">
        <div>
          <p class="brand brand--small">{t('console:brand')}</p>
          <h1>{t('console:console.title')}</h1>
        </div>
        <div class="button-row">
          <LanguagePicker />
          {signedIn ? (
            <>
              <span class="field__hint">
                {t(signedIn.account.role === 'admin' ? 'console:console.signedInAsAdmin' : 'console:console.signedInAs', { name: signedIn.account.name })}
              </span>
              <button type="button" class="button button--quiet button--small" onClick={onForget}>
                {t('console:console.signOut')}
              </button>
            </>
          ) : (
            <button type="button" class="button button--quiet button--small" onClick={onForget}>
              {t('console:console.forgetKey')}
            </button>
          )}
        </div>
      </header>
      {signedIn?.account.role === 'admin' && <AccountsPanel refuse={refuse} />}
      <GroupList facilitatorKey={facilitatorKey} refuse={refuse} />
      <section class="card" aria-labelledby="create-title">
        <h2 id="create-title" class="card__title">
          {t('console:console.create.title')}
        </h2>
        <form
          class="console__create"
          onSubmit={async (event) => {
            event.preventDefault();
            setBusy(true);
            try {
              const entry = await httpApi.createRoom(facilitatorKey, title, name.trim() || t('console:console.create.defaultName'), startingAgenda({ checkInPrompt: false }));
              rememberLead(entry.roomId, entry.facilitatorId);
              setTitle('');
              await load();
              await showInvite(entry.roomId, entry.inviteUrl);
            } catch (error) {
              refuse(error);
            }
            setBusy(false);
          }}
        >
          <TextField label={t('console:console.create.name')} required maxLength={limits.titleLength} value={title} onValue={setTitle} placeholder={t('console:console.create.namePlaceholder')} />
          <TextField label={t('console:console.create.yourName')} maxLength={limits.nameLength} value={name} onValue={setName} placeholder={t('console:console.create.yourNamePlaceholder')} />
          <button type="submit" class="button button--primary" disabled={busy}>
            {t('console:console.create.submit')}
          </button>
        </form>
      </section>
      <section aria-labelledby="rooms-title">
        <h2 id="rooms-title" class="section-title">
          {t('console:console.rooms.title')}
        </h2>
        {rooms === null ? (
          <p class="quiet">{t('console:loading')}</p>
        ) : rooms.length === 0 ? (
          <p class="quiet">{t('console:console.rooms.none')}</p>
        ) : (
          <ul class="room-list">
            {rooms.map((room) => (
              <li key={room.id} class="room-list__item" data-room={room.title}>
                <div class="room-list__main">
                  <h3 class="room-list__title" data-user-text>
                    {room.title}
                  </h3>
                  <p class="field__hint">{t(room.ended ? 'console:console.rooms.createdEnded' : 'console:console.rooms.created', { when: dateTime(room.createdAt) })}</p>
                </div>
                <div class="button-row">
                  <button type="button" class="button" onClick={() => showInvite(room.id)}>
                    {t('console:console.rooms.copyInvite')} <span class="visually-hidden">{t('console:console.rooms.forRoom', { title: room.title })}</span>
                  </button>
                  <button type="button" class="button button--quiet" onClick={() => replaceInvite(room)}>
                    {t('console:console.rooms.replaceInvite')} <span class="visually-hidden">{t('console:console.rooms.forRoom', { title: room.title })}</span>
                  </button>
                  <button type="button" class="button button--primary" onClick={() => enter(room)}>
                    {t('console:console.rooms.enter')}{' '}
                    <span class="visually-hidden" data-user-text>
                      {room.title}
                    </span>
                  </button>
                </div>
                {joining === room.id && (
                  <form
                    class="console__create"
                    data-co-facilitate
                    onSubmit={(event) => {
                      event.preventDefault();
                      void enterAs(room, { name: leadName.trim() });
                    }}
                  >
                    <p class="field__hint">{t('console:console.rooms.coIntro')}</p>
                    <label class="field">
                      <span class="field__label">{t('console:console.create.yourName')}</span>
                      <input type="text" required maxLength={limits.nameLength} value={leadName} onInput={(e) => setLeadName(e.currentTarget.value)} />
                    </label>
                    <div class="button-row">
                      <button type="submit" class="button button--primary">
                        {t('console:console.rooms.coJoin')}
                      </button>
                      <button type="button" class="button button--quiet" onClick={() => void enterAs(room, {})}>
                        {t('console:console.rooms.coReturn')}
                      </button>
                    </div>
                  </form>
                )}
                {invites[room.id] && (
                  <label class="field room-list__invite">
                    <span class="field__label">{t('console:console.rooms.inviteLink')}</span>
                    <input type="text" readOnly value={invites[room.id]} onFocus={(e) => e.currentTarget.select()} data-invite-link />
                  </label>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <Notices />
    </main>
  );
}
