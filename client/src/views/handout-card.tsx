import type { HandoutView } from '../../../shared/session/projection.js';
import { t } from '../i18n/index.js';
import { HandoutImage } from './handout-image.js';

/** What the facilitator shows the group: beside the circle, foldable, never in the way of it. */
export function HandoutCard({ handout }: { handout: HandoutView }) {
  return (
    <section class="card handout" aria-labelledby="handout-title" data-handout={handout.id}>
      <details open>
        <summary>
          <h2 id="handout-title" class="card__title handout__title">
            {handout.title ? t('room:handout.titled', { title: handout.title }) : t('room:handout.title')}
          </h2>
        </summary>
        {handout.kind === 'text' ? <p class="handout__text" data-user-text>
            {handout.text}
          </p> : <HandoutImage handout={handout} />}
      </details>
    </section>
  );
}
