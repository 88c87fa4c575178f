import { useState } from 'preact/hooks';
import { limits } from '../../../../shared/protocol/commands.js';
import type { CastKind, Scene } from '../../../../shared/session/state.js';
import { t } from '../../i18n/index.js';
import { MemberOptions } from './member-options.js';
import { useRoom } from '../../session/room-context.js';
import { castKindName, members, nameOf } from '../../session/room-view.js';
import { CastChanges } from './cast-changes.js';
import { TimeBoxSelect } from './time-box.js';
import { TextField } from '../text-field.js';

interface Part {
  role: string;
  kind: CastKind;
  memberId: string;
}

/** Set up a role-play scene, then reverse roles, freeze, and end it into a sharing round. */
export function SceneControls() {
  const { group } = useRoom();
  return group.scene ? <RunningScene scene={group.scene} /> : <NewScene />;
}

function NewScene() {
  const { group, act } = useRoom();
  const [title, setTitle] = useState('');
  const [setting, setSetting] = useState('');
  const [duration, setDuration] = useState<number | undefined>(undefined);
  const [cast, setCast] = useState<Part[]>([
    { role: '', kind: 'protagonist', memberId: '' },
    { role: '', kind: 'antagonist', memberId: '' },
  ]);
  const people = members(group);
  const change = (index: number, patch: Partial<Part>) => setCast(cast.map((part, i) => (i === index ? { ...part, ...patch } : part)));
  const ready = title.trim() && cast.every((part) => part.role.trim() && part.memberId);

  return (
    <form
      class="stack"
      onSubmit={(event) => {
        event.preventDefault();
        if (!ready) return;
        void act(
          {
            type: 'scene.start',
            title,
            cast,
            ...(setting.trim() ? { setting } : {}),
            ...(duration === undefined ? {} : { durationSeconds: duration }),
          },
          t('facilitator:scene.started'),
        );
      }}
    >
      <TextField label={t('facilitator:scene.title')} required maxLength={limits.titleLength} value={title} onValue={setTitle} />
      <label class="field">
        <span class="field__label">{t('facilitator:scene.setting')}</span>
        <textarea rows={2} maxLength={limits.settingLength} value={setting} onInput={(e) => setSetting(e.currentTarget.value)} />
      </label>
      <fieldset class="cast-editor">
        <legend>{t('facilitator:scene.cast')}</legend>
        {cast.map((part, index) => (
          <div key={index} class="cast-editor__row">
            <TextField label={t('facilitator:scene.role', { number: index + 1 })} required maxLength={limits.roleLength} value={part.role} onValue={(role) => change(index, { role })} />
            <label class="field">
              <span class="field__label">{t('facilitator:scene.kind')}</span>
              <select value={part.kind} onChange={(e) => change(index, { kind: e.currentTarget.value as CastKind })}>
                {(['protagonist', 'antagonist', 'double', 'other'] as const).map((kind) => (
                  <option key={kind} value={kind}>
                    {castKindName[kind]}
                  </option>
                ))}
              </select>
            </label>
            <label class="field">
              <span class="field__label">{t('facilitator:scene.playedBy')}</span>
              <select value={part.memberId} onChange={(e) => change(index, { memberId: e.currentTarget.value })}>
                <option value="">{t('facilitator:scene.choose')}</option>
                <MemberOptions seats={people} />
              </select>
            </label>
            {cast.length > 1 && (
              <button type="button" class="button button--small button--quiet" onClick={() => setCast(cast.filter((_, i) => i !== index))}>
                {t('facilitator:scene.removeRole', { number: index + 1 })}
              </button>
            )}
          </div>
        ))}
        {cast.length < Math.min(limits.castSize, people.length) && (
          <button type="button" class="button button--small" onClick={() => setCast([...cast, { role: '', kind: 'other', memberId: '' }])}>
            {t('facilitator:scene.addRole')}
          </button>
        )}
      </fieldset>
      <TimeBoxSelect value={duration} onChange={setDuration} label={t('facilitator:scene.timer')} />
      <button type="submit" class="button button--primary" disabled={!ready}>
        {t('facilitator:scene.start')}
      </button>
    </form>
  );
}

function RunningScene({ scene }: { scene: Scene }) {
  const { group, act } = useRoom();
  const [roleA, setRoleA] = useState(0);
  const [roleB, setRoleB] = useState(Math.min(1, scene.cast.length - 1));
  const [sharing, setSharing] = useState(true);
  const [prompt, setPrompt] = useState(() => t('facilitator:scene.defaultSharingPrompt'));
  const frozen = scene.frozenAt !== null;
  const label = (index: number) => `${scene.cast[index]?.role} (${nameOf(group, scene.cast[index]?.memberId)})`;
  return (
    <div class="stack">
      <p>{t(frozen ? 'facilitator:scene.frozen' : 'facilitator:scene.running', { title: scene.title })}</p>
      {scene.cast.length > 1 && (
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void act({ type: 'scene.reverse', roleA, roleB }, t('facilitator:scene.reversed', { a: label(roleA), b: label(roleB) }));
          }}
        >
          <RolePicker caption={t('facilitator:scene.swap')} value={roleA} onChange={setRoleA} labels={scene.cast.map((_, index) => label(index))} />
          <RolePicker caption={t('facilitator:scene.with')} value={roleB} onChange={setRoleB} labels={scene.cast.map((_, index) => label(index))} />
          <button type="submit" class="button" disabled={roleA === roleB}>
            {t('facilitator:scene.reverse')}
          </button>
        </form>
      )}
      <CastChanges scene={scene} />
      <div class="button-row">
        {frozen ? (
          <button type="button" class="button" onClick={() => act({ type: 'scene.resume' }, t('facilitator:scene.resumed'))}>
            {t('facilitator:scene.resume')}
          </button>
        ) : (
          <button type="button" class="button" onClick={() => act({ type: 'scene.freeze' }, t('facilitator:scene.froze'))}>
            {t('facilitator:scene.freeze')}
          </button>
        )}
      </div>
      <form
        class="stack end-scene"
        onSubmit={(event) => {
          event.preventDefault();
          void act({ type: 'scene.end', ...(sharing ? { sharing: { prompt, moodScale: false } } : {}) }, t(sharing ? 'facilitator:scene.endedSharing' : 'facilitator:scene.ended'));
        }}
      >
        <label class="check">
          <input type="checkbox" checked={sharing} onChange={(e) => setSharing(e.currentTarget.checked)} />
          <span>{t('facilitator:scene.sharing')}</span>
        </label>
        {sharing && (
          <TextField label={t('facilitator:scene.sharingPrompt')} required maxLength={limits.promptLength} value={prompt} onValue={setPrompt} />
        )}
        <button type="submit" class="button button--primary">
          {t('facilitator:scene.end')}
        </button>
      </form>
    </div>
  );
}

/** One of the cast, chosen by position. */
function RolePicker({ caption, value, onChange, labels }: { caption: string; value: number; onChange(index: number): void; labels: string[] }) {
  return (
    <label class="field field--inline">
      <span class="field__label">{caption}</span>
      <select value={value} onChange={(e) => onChange(Number(e.currentTarget.value))}>
        {labels.map((text, index) => (
          <option key={index} value={index} data-user-text>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
