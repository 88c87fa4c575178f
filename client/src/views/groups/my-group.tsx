import '../../styles/console.css';
import { useEffect, useState } from 'preact/hooks';
import { groupLimits } from '../../../../shared/protocol/groups.js';
import type { LocalMediaOptions } from '../../media/media-session.js';
import { groupsApi, type Goal, type MyGroup as MyGroupAnswer } from '../../session/groups-api.js';
import { ApiRefusal, refusalText } from '../../session/http-api.js';
import { t } from '../../i18n/index.js';
import { date } from '../../i18n/format.js';
import { LanguagePicker } from '../../i18n/language-picker.js';
import { notify } from '../../session/notices.js';
import { saveSession } from '../../session/saved-session.js';
import { navigate } from '../app.js';
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
      message: error instanceof ApiRefusal && error.code === 'MEMBER_LINK_INVALID' ? t('console:mine.linkInvalid') : refusalText(error),
    });
  const load = () => (link ? groupsApi.me(link).then((page) => setStage({ step: 'ready', page }), refused) : refused(new ApiRefusal('NO_LINK', t('console:mine.noLink'))));
  useEffect(() => void load(), [link]);

  if (stage.step === 'checking') {
    return (
      <main class="page page--narrow" aria-busy="true">
        <p class="quiet">{t('console:mine.opening')}</p>
      </main>
    );
  }
  if (stage.step === 'refused' || !link) {
    return (
      <main class="page page--narrow">
        <LanguagePicker />
        <h1>{t('console:mine.refusedTitle')}</h1>
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
      else notify(refusalText(error));
    }
  };
  const replaceGoal = (goal: Goal) => setStage({ step: 'ready', page: { ...page, goals: page.goals.map((held) => (held.id === goal.id ? goal : held)) } });
  const guard = (run: () => Promise<void>) => run().catch((error: unknown) => (error instanceof ApiRefusal && error.code === 'MEMBER_LINK_INVALID' ? refused(error) : notify(refusalText(error))));

  return (
    <main class="page console">
      <header class="console__head">
        <div>
          <p class="brand brand--small">{t('console:brand')}</p>
          <h1 data-user-text>{page.group.name}</h1>
          <p>{t('console:mine.welcome', { name: page.member.name })}</p>
        </div>
        <LanguagePicker />
      </header>
      <section class="card card--calm" aria-labelledby="next-title">
        <h2 id="next-title" class="card__title">
          {t('console:mine.next')}
        </h2>
        <p data-next-session>{page.group.nextSessionAt ? t('console:mine.nextOn', { when: momentInWords(page.group.nextSessionAt) }) : t('console:when.noSession')}</p>
        <p class="field__hint">{t('console:mine.cadenceNote', { cadence: cadenceInWords(page.group.cadence) })}</p>
        <div class="button-row">
          <button type="button" class="button button--primary" onClick={join}>
            {t('console:mine.join')}
          </button>
          <button type="button" class="button button--quiet" onClick={() => guard(() => groupsApi.myCalendar(link))}>
            {t('console:mine.calendar')}
          </button>
        </div>
      </section>
      <section class="card" aria-labelledby="agreement-title">
        <h2 id="agreement-title" class="card__title">
          {t('console:mine.agreement')}
        </h2>
        <p class="note-list__text" data-user-text>
          {page.group.agreement}
        </p>
      </section>
      <section class="card" aria-labelledby="goals-title">
        <h2 id="goals-title" class="card__title">
          {t('console:mine.goals')}
        </h2>
        <p class="field__hint">{t('console:mine.goalsIntro')}</p>
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
      <p class="note-list__text" data-user-text>
        {goal.text}
      </p>
      <label class="check">
        <input type="checkbox" checked={goal.visibleToGroup} onChange={(e) => guard(async () => onChange(await groupsApi.updateGoal(link, goal.id, { visibleToGroup: e.currentTarget.checked })))} />
        <span>{t('console:mine.shareThis')}</span>
      </label>
      {goal.progress.map((progress) => (
        <p key={progress.id} class="field__hint">
          <span>{date(progress.createdAt)}</span>: <span data-user-text>{progress.note}</span>
        </p>
      ))}
      <form
        class="inline-form"
        aria-label={t('console:mine.progressOn', { goal: goal.text })}
        onSubmit={(event) => {
          event.preventDefault();
          void guard(async () => {
            onChange(await groupsApi.addProgress(link, goal.id, note.trim()));
            setNote('');
          });
        }}
      >
        <TextField label={t('console:mine.progressLabel')} required maxLength={groupLimits.progressLength} value={note} onValue={setNote} />
        <button type="submit" class="button button--small">
          {t('console:mine.addNote')}
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
      aria-label={t('console:mine.addGoal')}
      onSubmit={(event) => {
        event.preventDefault();
        void guard(async () => {
          onAdded(await groupsApi.addGoal(link, text.trim(), shared));
          setText('');
          setShared(false);
        });
      }}
    >
      <TextField label={t('console:mine.goalLabel')} required maxLength={groupLimits.goalLength} value={text} onValue={setText} placeholder={t('console:mine.goalPlaceholder')} />
      <label class="check">
        <input type="checkbox" checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />
        <span>{t('console:mine.shareIt')}</span>
      </label>
      <button type="submit" class="button">
        {t('console:mine.submitGoal')}
      </button>
    </form>
  );
}
