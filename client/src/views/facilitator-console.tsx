import '../styles/console.css';
import { useEffect, useState } from 'preact/hooks';
import { limits } from '../../../shared/protocol/commands.js';
import type { LocalMediaOptions } from '../media/media-session.js';
import { forgetLead, rememberedLead, rememberLead } from '../session/facilitator-key.js';
import type { SignedIn } from '../session/account-api.js';
import { AccountsPanel } from './accounts-panel.js';
import { FacilitatorGate, type Facilitator } from './facilitator-gate.js';
import { ApiRefusal, httpApi, type RoomEntry, type RoomSummary } from '../session/http-api.js';
import { saveSession } from '../session/saved-session.js';
import { navigate } from './app.js';
import { messageOf } from './join-screen.js';
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
      notify(error.code === 'SIGNED_OUT' ? error.message : 'This facilitator key is not accepted by the server. Open the facilitator link again.');
      onForget();
    } else notify(messageOf(error));
  };

  const load = () => httpApi.listRooms(facilitatorKey).then((list) => setRooms(list.sort((a, b) => b.createdAt - a.createdAt)), refuse);
  useEffect(() => void load(), [facilitatorKey]);

  const showInvite = async (roomId: string, given?: string, copied = 'Invite link copied. Send it to your members privately.') => {
    try {
      const inviteUrl = given ?? (await httpApi.facilitate(facilitatorKey, roomId)).inviteUrl;
      setInvites((held) => ({ ...held, [roomId]: inviteUrl }));
      await navigator.clipboard.writeText(inviteUrl).then(
        () => notify(copied, 'info'),
        () => notify('Copy the invite link from the box below the room.', 'info'),
      );
    } catch (error) {
      refuse(error);
    }
  };

  /** Someone who should not come back still holds the link: give out a new one; the old one stops working. */
  const replaceInvite = async (room: { id: string; title: string }) => {
    if (!confirm(`Replace the invite link for ${room.title}? The current link stops working at once; people already in the room are not affected.`)) return;
    try {
      const { inviteUrl } = await httpApi.replaceInvite(facilitatorKey, room.id);
      await showInvite(room.id, inviteUrl, 'The old invite link no longer works. The new one is copied: send it to your members privately.');
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
          <p class="brand brand--small">Holdspace</p>
          <h1>Your groups and rooms</h1>
        </div>
        {signedIn ? (
          <div class="button-row">
            <span class="field__hint">
              Signed in as {signedIn.account.name}
              {signedIn.account.role === 'admin' ? ' (administrator)' : ''}
            </span>
            <button type="button" class="button button--quiet button--small" onClick={onForget}>
              Sign out
            </button>
          </div>
        ) : (
          <button type="button" class="button button--quiet button--small" onClick={onForget}>
            Forget the key on this device
          </button>
        )}
      </header>
      {signedIn?.account.role === 'admin' && <AccountsPanel refuse={refuse} />}
      <GroupList facilitatorKey={facilitatorKey} refuse={refuse} />
      <section class="card" aria-labelledby="create-title">
        <h2 id="create-title" class="card__title">
          Create a one-off room
        </h2>
        <form
          class="console__create"
          onSubmit={async (event) => {
            event.preventDefault();
            setBusy(true);
            try {
              const entry = await httpApi.createRoom(facilitatorKey, title, name.trim() || 'Facilitator');
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
          <TextField label="Group name" required maxLength={limits.titleLength} value={title} onValue={setTitle} placeholder="Tuesday evening group" />
          <TextField label="Your name as members will see it" maxLength={limits.nameLength} value={name} onValue={setName} placeholder="Facilitator" />
          <button type="submit" class="button button--primary" disabled={busy}>
            Create room
          </button>
        </form>
      </section>
      <section aria-labelledby="rooms-title">
        <h2 id="rooms-title" class="section-title">
          Rooms
        </h2>
        {rooms === null ? (
          <p class="quiet">Loading…</p>
        ) : rooms.length === 0 ? (
          <p class="quiet">No rooms yet. Create one above.</p>
        ) : (
          <ul class="room-list">
            {rooms.map((room) => (
              <li key={room.id} class="room-list__item" data-room={room.title}>
                <div class="room-list__main">
                  <h3 class="room-list__title">{room.title}</h3>
                  <p class="field__hint">
                    Created {new Date(room.createdAt).toLocaleString()}
                    {room.ended ? ' · ended' : ''}
                  </p>
                </div>
                <div class="button-row">
                  <button type="button" class="button" onClick={() => showInvite(room.id)}>
                    Copy invite link <span class="visually-hidden">for {room.title}</span>
                  </button>
                  <button type="button" class="button button--quiet" onClick={() => replaceInvite(room)}>
                    Replace invite link <span class="visually-hidden">for {room.title}</span>
                  </button>
                  <button type="button" class="button button--primary" onClick={() => enter(room)}>
                    Enter room <span class="visually-hidden">{room.title}</span>
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
                    <p class="field__hint">Another facilitator may be leading this room already. You join them as a co-facilitator, with the same powers.</p>
                    <label class="field">
                      <span class="field__label">Your name as members will see it</span>
                      <input type="text" required maxLength={limits.nameLength} value={leadName} onInput={(e) => setLeadName(e.currentTarget.value)} />
                    </label>
                    <div class="button-row">
                      <button type="submit" class="button button--primary">
                        Join as co-facilitator
                      </button>
                      <button type="button" class="button button--quiet" onClick={() => void enterAs(room, {})}>
                        I opened this room: return to it
                      </button>
                    </div>
                  </form>
                )}
                {invites[room.id] && (
                  <label class="field room-list__invite">
                    <span class="field__label">Invite link for members</span>
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
