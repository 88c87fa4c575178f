import { useEffect, useRef } from 'preact/hooks';
import { useTileWatch } from './tile-watch.js';

/** A video element showing one track; remote and local alike. */
export function TrackVideo({ track, mirrored = false, label, participantId, screen = false }: { track: MediaStreamTrack; mirrored?: boolean; label: string; participantId?: string; screen?: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    element.srcObject = new MediaStream([track]);
    element.play().catch(() => undefined);
    return () => {
      element.srcObject = null;
    };
  }, [track]);
  useTileWatch(video, participantId, track);
  return (
    <video
      ref={video}
      class={`track-video${mirrored ? ' track-video--mirrored' : ''}${screen ? ' track-video--screen' : ''}`}
      autoPlay
      playsInline
      muted
      aria-label={label}
      data-participant={participantId}
      data-source={screen ? 'screen' : 'camera'}
    />
  );
}

/** Plays one remote microphone; reports when the browser blocks autoplay so a button can ask. */
export function TrackAudio({ track, participantId, onBlocked }: { track: MediaStreamTrack; participantId: string; onBlocked(): void }) {
  const audio = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const element = audio.current;
    if (!element) return;
    element.srcObject = new MediaStream([track]);
    element.play().catch(onBlocked);
    return () => {
      element.srcObject = null;
    };
  }, [track]);
  return <audio ref={audio} autoPlay data-participant={participantId} />;
}
