import { useState } from 'preact/hooks';
import type { FloorMode } from '../../../../shared/protocol/commands.js';
import { limits } from '../../../../shared/protocol/fields.js';
import { groupLimits } from '../../../../shared/protocol/groups.js';
import type { AgendaPhase } from '../../../../shared/session/state.js';
import { t } from '../../i18n/index.js';
import { useRoom } from '../../session/room-context.js';
import { floorModeName } from '../../session/room-view.js';

/** The session plan, edited live: add, rename, reorder and remove phases; a floor mode, theme and prompts for each. */
export function AgendaControls() {
  const { group, act } = useRoom();
  const { phases, current } = group.agenda;
  const [editing, setEditing] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const move = (index: number, to: number) => act({ type: 'phase.move', index, to }, t('facilitator:agenda.moved', { name: phases[index]!.name, place: to + 1 }));

  return (
    <div class="stack">
      <ol class="agenda-edit">
        {phases.map((phase, index) => (
          <li key={`${index}:${phase.name}`} class="agenda-edit__phase" data-phase={phase.name}>
            {editing === index ? (
              <PhaseForm
                phase={phase}
                submitLabel={t('facilitator:agenda.save')}
                onCancel={() => setEditing(null)}
                onSubmit={async (edited) => {
                  if (await act({ type: 'phase.edit', index, phase: edited }, t('facilitator:agenda.saved', { name: edited.name }))) setEditing(null);
                }}
              />
            ) : (
              <>
                <p class="agenda-edit__summary">
                  <span class="seat__number">{index + 1}</span> <strong data-user-text>{phase.name}</strong>
                  {index === current && <span class="field__hint"> {t('facilitator:agenda.now')}</span>}
                  <span class="field__hint"> · {phase.floorMode ? floorModeName[phase.floorMode] : t('facilitator:agenda.floorAsItIs')}</span>
                  {phase.theme && <span class="agenda-edit__theme"> · {t('facilitator:agenda.theme', { theme: phase.theme })}</span>}
                  {phase.prompts.length > 0 && <span class="field__hint"> · {t('facilitator:agenda.prompts', { count: phase.prompts.length })}</span>}
                </p>
                <span class="button-row button-row--tight">
                  <button type="button" class="button button--small button--quiet" disabled={index === 0} onClick={() => move(index, index - 1)} aria-label={t('facilitator:agenda.earlier', { name: phase.name })}>
                    ↑
                  </button>
                  <button type="button" class="button button--small button--quiet" disabled={index === phases.length - 1} onClick={() => move(index, index + 1)} aria-label={t('facilitator:agenda.later', { name: phase.name })}>
                    ↓
                  </button>
                  <button type="button" class="button button--small" aria-label={t('facilitator:agenda.editName', { name: phase.name })} onClick={() => setEditing(index)}>
                    {t('facilitator:agenda.edit')}
                  </button>
                  <button
                    type="button"
                    class="button button--small button--quiet"
                    disabled={index === current}
                    aria-label={t('facilitator:agenda.removeName', { name: phase.name })}
                    title={index === current ? t('facilitator:agenda.currentPhase') : undefined}
                    onClick={() => act({ type: 'phase.remove', index }, t('facilitator:agenda.removed', { name: phase.name }))}
                  >
                    {t('facilitator:agenda.remove')}
                  </button>
                </span>
              </>
            )}
          </li>
        ))}
      </ol>
      {adding ? (
        <PhaseForm
          phase={{ name: '', prompts: [] }}
          submitLabel={t('facilitator:agenda.addTo')}
          onCancel={() => setAdding(false)}
          onSubmit={async (phase) => {
            if (await act({ type: 'phase.add', phase }, t('facilitator:agenda.added', { name: phase.name }))) setAdding(false);
          }}
        />
      ) : (
        <button type="button" class="button" disabled={phases.length >= limits.agendaPhases} onClick={() => setAdding(true)}>
          {t('facilitator:agenda.add')}
        </button>
      )}
    </div>
  );
}

function PhaseForm({ phase, submitLabel, onSubmit, onCancel }: { phase: AgendaPhase; submitLabel: string; onSubmit(phase: AgendaPhase): void; onCancel(): void }) {
  const [name, setName] = useState(phase.name);
  const [mode, setMode] = useState<FloorMode | ''>(phase.floorMode ?? '');
  const [theme, setTheme] = useState(phase.theme ?? '');
  const [prompts, setPrompts] = useState(phase.prompts.join('\n'));
  return (
    <form
      class="stack agenda-edit__form"
      onSubmit={(event) => {
        event.preventDefault();
        const lines = prompts.split('\n').map((line) => line.trim()).filter(Boolean).slice(0, groupLimits.promptsPerPhase);
        onSubmit({ name: name.trim(), ...(mode ? { floorMode: mode } : {}), ...(theme.trim() ? { theme: theme.trim() } : {}), prompts: lines });
      }}
    >
      <label class="field">
        <span class="field__label">{t('facilitator:agenda.name')}</span>
        <input type="text" required maxLength={40} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label class="field field--inline">
        <span class="field__label">{t('facilitator:agenda.mode')}</span>
        <select value={mode} onChange={(e) => setMode(e.currentTarget.value as FloorMode | '')}>
          <option value="">{t('facilitator:agenda.leaveFloor')}</option>
          <option value="open">{floorModeName.open}</option>
          <option value="queue">{floorModeName.queue}</option>
          <option value="stick">{floorModeName.stick}</option>
        </select>
      </label>
      <label class="field">
        <span class="field__label">{t('facilitator:agenda.themeLabel')}</span>
        <input type="text" maxLength={groupLimits.themeLength} value={theme} onInput={(e) => setTheme(e.currentTarget.value)} placeholder={t('facilitator:agenda.themePlaceholder')} />
      </label>
      <label class="field">
        <span class="field__label">{t('facilitator:agenda.promptsLabel')}</span>
        <textarea rows={3} value={prompts} onInput={(e) => setPrompts(e.currentTarget.value)} />
      </label>
      <span class="button-row">
        <button type="submit" class="button button--primary button--small">
          {submitLabel}
        </button>
        <button type="button" class="button button--quiet button--small" onClick={onCancel}>
          {t('facilitator:agenda.cancel')}
        </button>
      </span>
    </form>
  );
}
