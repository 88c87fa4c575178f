import { useState } from 'preact/hooks';
import { handoutImageTypes, handoutLimits } from '../../../../shared/session/handout.js';
import { count } from '../../i18n/format.js';
import { explain, t } from '../../i18n/index.js';
import { notify } from '../../session/notices.js';
import { useMedia, useRoom } from '../../session/room-context.js';

/** Imparting information: the facilitator's screen on everyone's stage, and a handout everyone sees. */
export function ShareControls() {
  const { group, media, act, say, connection } = useRoom();
  const screenOn = useMedia((state) => state?.local.screenOn ?? false);
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [alt, setAlt] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const maxKb = count(handoutLimits.imageBytes / 1024);

  const toggleScreen = async () => {
    if (!media) return notify(t('facilitator:share.connecting'));
    const result = await media.setScreen(!screenOn);
    if (!result.ok) return notify(explain(result));
    say(t(screenOn ? 'facilitator:share.stopped' : 'facilitator:share.started'));
  };

  const showImage = async () => {
    if (!file) return;
    if (!(handoutImageTypes as readonly string[]).includes(file.type)) return notify(t('facilitator:share.pictureType'));
    if (file.size > handoutLimits.imageBytes) return notify(t('facilitator:share.pictureSize', { size: maxKb }));
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    // Too big for a socket message: the room takes it over HTTPS with the facilitator's session.
    const response = await fetch(`/api/rooms/${group.roomId}/handouts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${connection.token}` },
      body: JSON.stringify({ handout: { kind: 'image', mime: file.type, alt: alt.trim(), data: btoa(binary), ...(title.trim() ? { title: title.trim() } : {}) } }),
    });
    if (!response.ok) {
      const refusal = (await response.json().catch(() => null)) as { code?: string; message?: string } | null;
      return notify(refusal ? explain(refusal) : t('facilitator:share.pictureFailed'));
    }
    say(t('facilitator:share.shown'));
  };

  return (
    <div class="share-controls">
      <h3 class="panel__subtitle">{t('facilitator:share.screen')}</h3>
      <button type="button" class={`button${screenOn ? ' button--danger' : ''}`} aria-pressed={screenOn} onClick={() => void toggleScreen()} disabled={!media}>
        {screenOn ? t('facilitator:share.stop') : t('facilitator:share.share')}
      </button>
      <h3 class="panel__subtitle">{t('facilitator:share.handout')}</h3>
      {group.handout && (
        <p>
          {group.handout.title ? t('facilitator:share.shownNowTitled', { title: `\u2068${group.handout.title}\u2069` }) : t('facilitator:share.shownNow')}{' '}
          <button type="button" class="button button--small" onClick={() => void act({ type: 'handout.hide' }, t('facilitator:share.hidden'))}>
            {t('facilitator:share.hide')}
          </button>
        </p>
      )}
      <label class="field">
        <span class="field__label">{t('facilitator:share.title')}</span>
        <input type="text" maxLength={80} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span class="field__label">{t('facilitator:share.text')}</span>
        <textarea rows={3} maxLength={handoutLimits.textLength} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <button
        type="button"
        class="button button--primary"
        disabled={text.trim() === ''}
        onClick={() => void act({ type: 'handout.show', handout: { kind: 'text', text: text.trim(), ...(title.trim() ? { title: title.trim() } : {}) } }, t('facilitator:share.shown'))}
      >
        {t('facilitator:share.showText')}
      </button>
      <label class="field">
        <span class="field__label">{t('facilitator:share.picture', { size: maxKb })}</span>
        <input type="file" accept={handoutImageTypes.join(',')} onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      </label>
      <label class="field">
        <span class="field__label">{t('facilitator:share.alt')}</span>
        <input type="text" maxLength={handoutLimits.altLength} value={alt} onInput={(e) => setAlt(e.currentTarget.value)} />
      </label>
      <button type="button" class="button" disabled={!file || alt.trim() === ''} onClick={() => void showImage()}>
        {t('facilitator:share.showPicture')}
      </button>
    </div>
  );
}
