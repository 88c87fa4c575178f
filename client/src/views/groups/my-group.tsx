import '../../styles/console.css';
import { useEffect, useState } from 'preact/hooks';
import { groupLimits } from '../../../../shared/protocol/groups.js';
import type { LocalMediaOptions } from '../../media/media-session.js';
import { groupsApi, type Goal, type MyGroup as MyGroupAnswer } from '../../session/groups-api.js';
import { ApiRefusal } from '../../session/http-api.js';
import { notify } from '../../session/notices.js';
import { saveSession } from '../../session/saved-session.js';
import { navigate } from '../app.js';
import { messageOf } from '../join-screen.js';
import { Notices } from '../notices.js';
import { PreJoin } from '../pre-join.js';
import { cadenceInWords, momentInWords } from './when.js';
import { TextField } from '../text-field.js';

const LINK = 'holdspace.memberLink';

/** The personal link's secret arrives in the fragment; this tab keeps it so the address bar and history do not. */
function takeLink(): string | null {
  const fromLink = new URLSearchParams(location.hash.replace(/^#/, '')).get('link');
  if (fromLink) {
    sessionStorage.setItem(LINK, fromLink);
    history.replaceState(null, '', '/group');
    return fromLink;
  }
  return sessionStorage.getItem(LINK);
}

type Stage = { step: 'checking' } | { step: 'refused'; message: string } | { step: 'ready'; page: MyGroupAnswer } | { step: 'joining'; page: MyGroupAnswer; roomId: string; token: string };

/** A member's own page, opened by their personal link: the group, its next session, my goals, and "Join" while it meets. */
export function MyGroup() {
  const [link] = useState(takeLink);
  const [stage, setStage] = useState<Stage>({ step: 'checking' });

  const refused = (error: unknown) =>
    setStage({
      step: 'refused',
      message: error instanceof ApiRefusal && error.code === 'MEMBER_LINK_INVALID' ? 'This personal link no longer works. Ask your facilitator for a new one.' : messageOf(error),
    });
  const load = () => (link ? groupsApi.me(link).then((page) => setStage({ step: 'ready', page }), refused) : refused(new Error('This link has no personal link in it. Ask your facilitator for the full link.')));
  useEffect(() => void load(), [link]);

  if (stage.step === 'checking') {
    return (
      <main class="page page--narrow" aria-busy="true">
        <p class="quiet">Opening your group…</p>
      </main>
    );
  }
  if (stage.step === 'refused' || !link) {
    return (
      <main class="page page--narrow">
        <h1>This link does not open a group</h1>
        <p role="alert">{stage.step === 'refused' ? stage.message : ''}</p>
      </main>
    );
  }
  const { page } = stage;
  if (stage.step === 'joining') {
    return (
      <PreJoin
        roomTitle={page.group.name}
        role="member"
        knownName={page.member.name}
        agreement={page.group.agreement}
        busy={false}
        error={null}
        onJoin={(media: LocalMediaOptions) => {
          saveSession({ roomId: stage.roomId, token: stage.token, role: 'member', media });
          navigate(`/room/${stage.roomId}`);
        }}
      />
    );
  }

  const join = async () => {
    try {
      const session = await groupsApi.joinSession(link);
      setStage({ step: 'joining', page, roomId: session.roomId, token: session.token });
    } catch (error) {
      if (error instanceof ApiRefusal && error.code === 'MEMBER_LINK_INVALID') refused(error);
      else notify(messageOf(error));
    }
  };
  const replaceGoal = (goal: Goal) => setStage({ step: 'ready', page: { ...page, goals: page.goals.map((held) => (held.id === goal.id ? goal : held)) } });
  const guard = (run: () => Promise<void>) => run().catch((error: unknown) => (error instanceof ApiRefusal && error.code === 'MEMBER_LINK_INVALID' ? refused(error) : notify(messageOf(error))));

  return (
    <main class="page console">
      <header class="console__head">
        <div>
          <p class="brand brand--small">Holdspace</p>
          <h1>{page.group.name}</h1>
          <p>Welcome, {page.member.name}.</p>
        </div>
      </header>
      <section class="card card--calm" aria-labelledby="next-title">
        <h2 id="next-title" class="card__title">
          Next session
        </h2>
        <p data-next-session>{momentInWords(page.group.nextSessionAt)}</p>
        <p class="field__hint">{cadenceInWords(page.group.cadence)}. This link is yours and works every week, on any device. Keep it to yourself.</p>
        <div class="button-row">
          <button type="button" class="button button--primary" onClick={join}>
            Join the session
          </button>
          <button type="button" class="button button--quiet" onClick={() => guard(() => groupsApi.myCalendar(link))}>
            Add to my calendar (.ics)
          </button>
        </div>
      </section>
      <section class="card" aria-labelledby="agreement-title">
        <h2 id="agreement-title" class="card__title">
          Our group agreement
        </h2>
        <p class="note-list__text">{page.group.agreement}</p>
      </section>
      <section class="card" aria-labelledby="goals-title">
        <h2 id="goals-title" class="card__title">
          My goals
        </h2>
        <p class="field__hint">Your facilitator sees all your goals. The group sees a goal only if you choose to share it.</p>
        {page.goals.length > 0 && (
          <ul class="note-list">
            {page.goals.map((goal) => (
              <GoalItem key={goal.id} goal={goal} link={link} onChange={replaceGoal} guard={guard} />
            ))}
          </ul>
        )}
        <NewGoal link={link} guard={guard} onAdded={(goal) => setStage({ step: 'ready', page: { ...page, goals: [...page.goals, goal] } })} />
      </section>
      <Notices />
    </main>
  );
}

type Guard = (run: () => Promise<void>) => Promise<void>;

function GoalItem({ goal, link, onChange, guard }: { goal: Goal; link: string; onChange(goal: Goal): void; guard: Guard }) {
  const [note, setNote] = useState('');
  return (
    <li data-goal={goal.text}>
      <p class="note-list__text">{goal.text}</p>
      <label class="check">
        <input type="checkbox" checked={goal.visibleToGroup} onChange={(e) => guard(async () => onChange(await groupsApi.updateGoal(link, goal.id, { visibleToGroup: e.currentTarget.checked })))} />
        <span>Share this goal with the group</span>
      </label>
      {goal.progress.map((progress) => (
        <p key={progress.id} class="field__hint">
          {new Date(progress.createdAt).toLocaleDateString()}: {progress.note}
        </p>
      ))}
      <form
        class="inline-form"
        aria-label={`Progress on ${goal.text}`}
        onSubmit={(event) => {
          event.preventDefault();
          void guard(async () => {
            onChange(await groupsApi.addProgress(link, goal.id, note.trim()));
            setNote('');
          });
        }}
      >
        <TextField label="A short note on how it is going" required maxLength={groupLimits.progressLength} value={note} onValue={setNote} />
        <button type="submit" class="button button--small">
          Add note
        </button>
      </form>
    </li>
  );
}

function NewGoal({ link, guard, onAdded }: { link: string; guard: Guard; onAdded(goal: Goal): void }) {
  const [text, setText] = useState('');
  const [shared, setShared] = useState(false);
  return (
    <form
      class="stack"
      aria-label="Add a goal"
      onSubmit={(event) => {
        event.preventDefault();
        void guard(async () => {
          onAdded(await groupsApi.addGoal(link, text.trim(), shared));
          setText('');
          setShared(false);
        });
      }}
    >
      <TextField label="A goal of mine" required maxLength={groupLimits.goalLength} value={text} onValue={setText} placeholder="Say what I need before I get angry" />
      <label class="check">
        <input type="checkbox" checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />
        <span>Share it with the group</span>
      </label>
      <button type="submit" class="button">
        Add goal
      </button>
    </form>
  );
}
