import { useState } from 'preact/hooks';
import { handoutImageTypes, handoutLimits } from '../../../../shared/session/handout.js';
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

  const toggleScreen = async () => {
    if (!media) return notify('Audio and video are still connecting. Try again in a moment.');
    const result = await media.setScreen(!screenOn);
    if (!result.ok) return notify(result.message);
    say(screenOn ? 'You stopped sharing your screen.' : 'Everyone sees your screen.');
  };

  const showImage = async () => {
    if (!file) return;
    if (!(handoutImageTypes as readonly string[]).includes(file.type)) return notify('A picture handout must be a PNG, JPEG or WebP image.');
    if (file.size > handoutLimits.imageBytes) return notify(`A picture handout is at most ${handoutLimits.imageBytes / 1024} KB.`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    // Too big for a socket message: the room takes it over HTTPS with the facilitator's session.
    const response = await fetch(`/api/rooms/${group.roomId}/handouts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${connection.token}` },
      body: JSON.stringify({ handout: { kind: 'image', mime: file.type, alt: alt.trim(), data: btoa(binary), ...(title.trim() ? { title: title.trim() } : {}) } }),
    });
    if (!response.ok) return notify(((await response.json().catch(() => null)) as { message?: string } | null)?.message ?? 'The picture could not be shown.');
    say('Everyone sees the handout.');
  };

  return (
    <div class="share-controls">
      <h3 class="panel__subtitle">Your screen</h3>
      <button type="button" class={`button${screenOn ? ' button--danger' : ''}`} aria-pressed={screenOn} onClick={() => void toggleScreen()} disabled={!media}>
        {screenOn ? 'Stop sharing' : 'Share screen'}
      </button>
      <h3 class="panel__subtitle">Handout</h3>
      {group.handout && (
        <p>
          Shown now{group.handout.title ? <>: <bdi>{group.handout.title}</bdi></> : ''}.{' '}
          <button type="button" class="button button--small" onClick={() => void act({ type: 'handout.hide' }, 'The handout is hidden.')}>
            Hide handout
          </button>
        </p>
      )}
      <label class="field">
        <span class="field__label">Title (optional)</span>
        <input type="text" maxLength={80} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span class="field__label">Text</span>
        <textarea rows={3} maxLength={handoutLimits.textLength} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <button
        type="button"
        class="button button--primary"
        disabled={text.trim() === ''}
        onClick={() => void act({ type: 'handout.show', handout: { kind: 'text', text: text.trim(), ...(title.trim() ? { title: title.trim() } : {}) } }, 'Everyone sees the handout.')}
      >
        Show text
      </button>
      <label class="field">
        <span class="field__label">Or a picture (PNG, JPEG or WebP, up to {handoutLimits.imageBytes / 1024} KB)</span>
        <input type="file" accept={handoutImageTypes.join(',')} onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      </label>
      <label class="field">
        <span class="field__label">What the picture shows (for screen readers)</span>
        <input type="text" maxLength={handoutLimits.altLength} value={alt} onInput={(e) => setAlt(e.currentTarget.value)} />
      </label>
      <button type="button" class="button" disabled={!file || alt.trim() === ''} onClick={() => void showImage()}>
        Show picture
      </button>
    </div>
  );
}
