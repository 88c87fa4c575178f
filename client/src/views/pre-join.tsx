import { useEffect, useRef, useState } from 'preact/hooks';
import { limits } from '../../../shared/protocol/limits.js';
import { t } from '../i18n/index.js';
import { LanguagePicker } from '../i18n/language-picker.js';
import { deviceFailure, levelMeter, listDevices, openPreview, type DeviceFailure } from '../media/devices.js';
import { DevicePicker } from './device-picker.js';
import type { LocalMediaOptions } from '../media/media-session.js';
import { TrackVideo } from './track-media.js';

export interface PreJoinProps {
  roomTitle: string;
  role: 'member' | 'facilitator';
  busy: boolean;
  error: string | null;
  onJoin(media: LocalMediaOptions, name: string): void;
  /** A standing group's member comes as who they are: no name to choose. */
  knownName?: string;
  /** A standing group's own agreement, shown in place of the usual one. */
  agreement?: string;
}

type Devices = { audio: MediaDeviceInfo[]; video: MediaDeviceInfo[] };

const stopAll = (stream: MediaStream | null) => stream?.getTracks().forEach((track) => track.stop());

/** Check camera and microphone, choose a name, agree to the group's rules, then ask to join. */
export function PreJoin({ roomTitle, role, busy, error, onJoin, knownName, agreement }: PreJoinProps) {
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [deviceErrors, setDeviceErrors] = useState<{ audio?: DeviceFailure; video?: DeviceFailure }>({});
  const [opening, setOpening] = useState(true);
  const [devices, setDevices] = useState<Devices>({ audio: [], video: [] });
  const [audioDeviceId, setAudioDeviceId] = useState<string | null>(null);
  const [videoDeviceId, setVideoDeviceId] = useState<string | null>(null);
  const [micOn, setMicOn] = useState(true);
  const [cameraOn, setCameraOn] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const [name, setName] = useState(knownName ?? '');
  const [agreed, setAgreed] = useState(role === 'facilitator');
  const [heard, setHeard] = useState(false);
  const meter = useRef<HTMLDivElement>(null);
  const streamRef = useRef<MediaStream | null>(null);

  useEffect(() => {
    let cancelled = false;
    setOpening(true);
    openPreview({ audio: true, video: true, audioDeviceId, videoDeviceId }).then(
      (preview) => {
        if (cancelled) return stopAll(preview.stream);
        streamRef.current = preview.stream;
        setStream(preview.stream);
        setDeviceErrors(preview.errors);
        setOpening(false);
        listDevices().then(setDevices, () => undefined);
      },
      (failure: unknown) => {
        if (cancelled) return;
        setDeviceErrors({ audio: deviceFailure(failure, 'microphone'), video: deviceFailure(failure, 'camera') });
        setOpening(false);
      },
    );
    return () => {
      cancelled = true;
      stopAll(streamRef.current);
      streamRef.current = null;
    };
  }, [audioDeviceId, videoDeviceId, attempt]);

  const audioTrack = stream?.getAudioTracks()[0] ?? null;
  const videoTrack = stream?.getVideoTracks()[0] ?? null;

  useEffect(() => {
    if (!stream || !audioTrack) return;
    let quietSince = Date.now();
    const stop = levelMeter(stream, (level) => {
      meter.current?.style.setProperty('--level', level.toFixed(3));
      if (level > 0.3) quietSince = Date.now();
      setHeard(Date.now() - quietSince < 1500);
    });
    return stop;
  }, [stream, audioTrack]);

  useEffect(() => {
    if (audioTrack) audioTrack.enabled = micOn;
    if (videoTrack) videoTrack.enabled = cameraOn;
  }, [audioTrack, videoTrack, micOn, cameraOn]);

  const canAudio = audioTrack !== null;
  const canVideo = videoTrack !== null;
  // Still opening: keep what the person asked for; the room's media session opens the devices itself.
  const media: LocalMediaOptions = {
    audio: (canAudio || opening) && micOn,
    video: (canVideo || opening) && cameraOn,
    audioDeviceId: audioDeviceId ?? audioTrack?.getSettings().deviceId ?? null,
    videoDeviceId: videoDeviceId ?? videoTrack?.getSettings().deviceId ?? null,
  };
  const ready = agreed && (role === 'facilitator' || name.trim().length > 0) && !busy;

  const submit = (event: Event) => {
    event.preventDefault();
    if (!ready) return;
    // Free the devices for the room's own session.
    stopAll(streamRef.current);
    onJoin(media, name.trim());
  };

  const blocked = !opening && (!canAudio || !canVideo);
  const joinMode = opening ? null : !canAudio && !canVideo ? 'listen' : !canVideo ? 'audioOnly' : !canAudio ? 'videoOnly' : null;

  return (
    <main class="page prejoin">
      <header class="prejoin__head">
        <p class="brand brand--small" translate={false}>
          {t('session:brand')}
        </p>
        <h1>{role === 'facilitator' ? t('session:preJoin.titleFacilitator', { title: roomTitle }) : t('session:preJoin.titleMember', { title: roomTitle })}</h1>
        <LanguagePicker />
      </header>
      <div class="prejoin__body">
        <section class="prejoin__check" aria-labelledby="check-title">
          <h2 id="check-title">{t('session:preJoin.check')}</h2>
          <div class="preview">
            {videoTrack && cameraOn ? (
              <TrackVideo track={videoTrack} mirrored label={t('session:preJoin.preview')} />
            ) : (
              <div class="preview__off">{opening ? t('session:preJoin.openingCamera') : canVideo ? t('session:preJoin.cameraOff') : t('session:preJoin.noCamera')}</div>
            )}
          </div>
          <div class="level" aria-hidden={!canAudio}>
            <span class="level__label">{canAudio ? (micOn ? t('session:preJoin.micLevel') : t('session:preJoin.micOff')) : t('session:preJoin.noMic')}</span>
            <div class="level__track" ref={meter}>
              <div class="level__fill" />
            </div>
            <span class="level__words" role="status">
              {canAudio && micOn ? (heard ? t('session:preJoin.heard') : t('session:preJoin.sayTest')) : ''}
            </span>
          </div>
          {blocked && (
            <div class="callout callout--warn" role="alert">
              {deviceErrors.video && <p>{t('session:preJoin.cameraFailed', { reason: deviceErrors.video.message })}</p>}
              {deviceErrors.audio && <p>{t('session:preJoin.micFailed', { reason: deviceErrors.audio.message })}</p>}
              {!deviceErrors.video && !canVideo && <p>{t('session:preJoin.noCameraFound')}</p>}
              {!deviceErrors.audio && !canAudio && <p>{t('session:preJoin.noMicFound')}</p>}
              <p>{t(`session:preJoin.stillJoin.${joinMode ?? 'videoOnly'}`)}</p>
              <button type="button" class="button button--quiet" onClick={() => setAttempt((n) => n + 1)}>
                {t('session:preJoin.tryAgain')}
              </button>
            </div>
          )}
          <div class="toggles">
            <label class="switch">
              <input type="checkbox" checked={micOn && canAudio} disabled={!canAudio} onChange={(e) => setMicOn(e.currentTarget.checked)} />
              <span>{t('session:preJoin.micOn')}</span>
            </label>
            <label class="switch">
              <input type="checkbox" checked={cameraOn && canVideo} disabled={!canVideo} onChange={(e) => setCameraOn(e.currentTarget.checked)} />
              <span>{t('session:preJoin.cameraOn')}</span>
            </label>
          </div>
          <div class="pickers">
            <DevicePicker id="microphone-picker" label={t('session:preJoin.microphone')} devices={devices.audio} value={media.audioDeviceId} onChange={setAudioDeviceId} />
            <DevicePicker id="camera-picker" label={t('session:preJoin.camera')} devices={devices.video} value={media.videoDeviceId} onChange={setVideoDeviceId} />
          </div>
        </section>

        <form class="prejoin__form" onSubmit={submit} aria-labelledby="you-title">
          <h2 id="you-title">{role === 'facilitator' ? t('session:preJoin.beforeOpen') : t('session:preJoin.beforeJoin')}</h2>
          {role === 'member' && knownName && <p>{t('session:preJoin.joinAs', { name: knownName })}</p>}
          {role === 'member' && !knownName && (
            <label class="field">
              <span class="field__label">{t('session:preJoin.name')}</span>
              <input
                type="text"
                name="name"
                autoComplete="given-name"
                required
                maxLength={limits.nameLength}
                value={name}
                onInput={(e) => setName(e.currentTarget.value)}
                aria-describedby="name-hint"
              />
              <span class="field__hint" id="name-hint">
                {t('session:preJoin.nameHint')}
              </span>
            </label>
          )}
          <fieldset class="agreement">
            <legend>{t('session:preJoin.agreement')}</legend>
            {agreement ? (
              <p class="agreement__text" data-user-text>
                {agreement}
              </p>
            ) : (
            <ul>
              <li>{t('session:preJoin.rules.confidential')}</li>
              <li>{t('session:preJoin.rules.private')}</li>
              <li>{t('session:preJoin.rules.noRecording')}</li>
            </ul>
            )}
            {role === 'member' && (
              <label class="check">
                <input type="checkbox" name="agreement" checked={agreed} onChange={(e) => setAgreed(e.currentTarget.checked)} />
                <span>{t('session:preJoin.agree')}</span>
              </label>
            )}
          </fieldset>
          {error && (
            <p class="callout callout--error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="button button--primary button--wide" disabled={!ready}>
            {busy ? t('session:preJoin.joining') : role === 'facilitator' ? t('session:preJoin.open') : t('session:preJoin.ask')}
          </button>
          <p class="field__hint">
            {role === 'facilitator' ? t('session:preJoin.hintFacilitator') : t('session:preJoin.hintMember')}
            {joinMode && <span> {t(`session:preJoin.joinMode.${joinMode}`)}</span>}
          </p>
        </form>
      </div>
    </main>
  );
}
