import { useState } from 'preact/hooks';
import type { Scene } from '../../../../shared/session/state.js';
import { t } from '../../i18n/index.js';
import { MemberOptions } from './member-options.js';
import { useRoom } from '../../session/room-context.js';
import { members, nameOf } from '../../session/room-view.js';

/** Mid-scene: a double steps in behind a part, someone from the audience takes over a part, a double steps out. */
export function CastChanges({ scene }: { scene: Scene }) {
  const { group, act } = useRoom();
  const audience = members(group).filter((seat) => seat.presence !== 'gone' && !scene.cast.some((part) => part.memberId === seat.id));
  const parts = scene.cast.map((part, index) => ({ part, index })).filter(({ part }) => part.kind !== 'double');
  const doubles = scene.cast.map((part, index) => ({ part, index })).filter(({ part }) => part.kind === 'double');
  const [part, setPart] = useState(0);
  const [memberId, setMemberId] = useState('');
  const chosen = audience.some((seat) => seat.id === memberId) ? memberId : '';
  const partName = (index: number) => `${scene.cast[index]?.role} (${nameOf(group, scene.cast[index]?.memberId)})`;
  return (
    <fieldset class="stack cast-changes">
      <legend>{t('facilitator:cast.legend')}</legend>
      <div class="inline-form">
        <label class="field field--inline">
          <span class="field__label">{t('facilitator:cast.part')}</span>
          <select value={part} onChange={(e) => setPart(Number(e.currentTarget.value))}>
            {parts.map(({ index }) => (
              <option key={index} value={index} data-user-text>
                {partName(index)}
              </option>
            ))}
          </select>
        </label>
        <label class="field field--inline">
          <span class="field__label">{t('facilitator:cast.fromAudience')}</span>
          <select value={chosen} onChange={(e) => setMemberId(e.currentTarget.value)}>
            <option value="">{t('facilitator:cast.choose')}</option>
            <MemberOptions seats={audience} />
          </select>
        </label>
      </div>
      <div class="button-row">
        <button type="button" class="button" disabled={!chosen} onClick={() => void act({ type: 'scene.double', part, memberId: chosen }, t('facilitator:cast.doubled', { name: nameOf(group, chosen) }))}>
          {t('facilitator:cast.double')}
        </button>
        <button type="button" class="button" disabled={!chosen} onClick={() => void act({ type: 'scene.swap', part, memberId: chosen }, t('facilitator:cast.swapped', { name: nameOf(group, chosen) }))}>
          {t('facilitator:cast.swap')}
        </button>
      </div>
      {doubles.map(({ part: double, index }) => (
        <button key={index} type="button" class="button button--small button--quiet" onClick={() => void act({ type: 'scene.undouble', part: index }, t('facilitator:cast.undoubled'))}>
          {t('facilitator:cast.endDouble', { name: nameOf(group, double.memberId), role: double.role })}
        </button>
      ))}
    </fieldset>
  );
}
