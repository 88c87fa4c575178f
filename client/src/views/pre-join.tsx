import { useEffect, useRef, useState } from 'preact/hooks';
import { limits } from '../../../shared/protocol/commands.js';
import { levelMeter, listDevices, openPreview } from '../media/devices.js';
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
  const [deviceErrors, setDeviceErrors] = useState<{ audio?: string; video?: string }>({});
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
        setDeviceErrors({ audio: String(failure), video: String(failure) });
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
  const joinMode = opening ? null : !canAudio && !canVideo ? 'listen-only' : !canVideo ? 'audio-only' : !canAudio ? 'video without sound' : null;

  return (
    <main class="page prejoin">
      <header class="prejoin__head">
        <p class="brand brand--small">Holdspace</p>
        <h1>{role === 'facilitator' ? `Get ready to facilitate ${roomTitle}` : `Joining ${roomTitle}`}</h1>
      </header>
      <div class="prejoin__body">
        <section class="prejoin__check" aria-labelledby="check-title">
          <h2 id="check-title">Camera and microphone</h2>
          <div class="preview">
            {videoTrack && cameraOn ? (
              <TrackVideo track={videoTrack} mirrored label="Your camera preview" />
            ) : (
              <div class="preview__off">{opening ? 'Opening your camera…' : canVideo ? 'Camera off' : 'No camera'}</div>
            )}
          </div>
          <div class="level" aria-hidden={!canAudio}>
            <span class="level__label">{canAudio ? (micOn ? 'Microphone level' : 'Microphone off') : 'No microphone'}</span>
            <div class="level__track" ref={meter}>
              <div class="level__fill" />
            </div>
            <span class="level__words" role="status">
              {canAudio && micOn ? (heard ? 'We can hear you.' : 'Say something to test your microphone.') : ''}
            </span>
          </div>
          {blocked && (
            <div class="callout callout--warn" role="alert">
              {deviceErrors.video && <p>Camera: {deviceErrors.video}</p>}
              {deviceErrors.audio && <p>Microphone: {deviceErrors.audio}</p>}
              {!deviceErrors.video && !canVideo && <p>No camera was found.</p>}
              {!deviceErrors.audio && !canAudio && <p>No microphone was found.</p>}
              <p>
                You can still join {joinMode === 'listen-only' ? 'and listen' : joinMode === 'audio-only' ? 'with audio only' : 'with video only'}, or allow access in your browser's site
                settings and try again.
              </p>
              <button type="button" class="button button--quiet" onClick={() => setAttempt((n) => n + 1)}>
                Try again
              </button>
            </div>
          )}
          <div class="toggles">
            <label class="switch">
              <input type="checkbox" checked={micOn && canAudio} disabled={!canAudio} onChange={(e) => setMicOn(e.currentTarget.checked)} />
              <span>Join with microphone on</span>
            </label>
            <label class="switch">
              <input type="checkbox" checked={cameraOn && canVideo} disabled={!canVideo} onChange={(e) => setCameraOn(e.currentTarget.checked)} />
              <span>Join with camera on</span>
            </label>
          </div>
          <div class="pickers">
            <DevicePicker id="microphone-picker" label="Microphone" devices={devices.audio} value={media.audioDeviceId} onChange={setAudioDeviceId} />
            <DevicePicker id="camera-picker" label="Camera" devices={devices.video} value={media.videoDeviceId} onChange={setVideoDeviceId} />
          </div>
        </section>

        <form class="prejoin__form" onSubmit={submit} aria-labelledby="you-title">
          <h2 id="you-title">{role === 'facilitator' ? 'Before you open the room' : 'Before you join'}</h2>
          {role === 'member' && knownName && <p>You join as {knownName}.</p>}
          {role === 'member' && !knownName && (
            <label class="field">
              <span class="field__label">Your name in the group</span>
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
                A first name or a pseudonym is fine.
              </span>
            </label>
          )}
          <fieldset class="agreement">
            <legend>Our group agreement</legend>
            {agreement ? (
              <p class="agreement__text">{agreement}</p>
            ) : (
            <ul>
              <li>What is shared here stays here: I will not pass on who was here or what anyone said.</li>
              <li>I am somewhere private, where nobody else can see or hear the session. Headphones are advised.</li>
              <li>Nobody records: no recordings, screenshots or notes that name people, by anyone.</li>
            </ul>
            )}
            {role === 'member' && (
              <label class="check">
                <input type="checkbox" name="agreement" checked={agreed} onChange={(e) => setAgreed(e.currentTarget.checked)} />
                <span>I agree to the group agreement</span>
              </label>
            )}
          </fieldset>
          {error && (
            <p class="callout callout--error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="button button--primary button--wide" disabled={!ready}>
            {busy ? 'Joining…' : role === 'facilitator' ? 'Open the room' : 'Ask to join'}
          </button>
          <p class="field__hint">
            {role === 'facilitator' ? 'Members in the waiting room will appear in your panel.' : 'You will wait until the facilitator lets you in.'}
            {joinMode ? ` You will join ${joinMode}.` : ''}
          </p>
        </form>
      </div>
    </main>
  );
}
