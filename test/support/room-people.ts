import type { Locator, Page } from 'playwright-core';
import type { TestBrowser } from './browser.js';
import { waitFor } from './media.js';

/** One person at their own browser: a context of their own, driving the UI as they would. */
export interface Person {
  name: string;
  page: Page;
  /** Their participant id, read from their own tile once they are in the room. */
  id: string;
}

export async function openPerson(browser: TestBrowser, name: string): Promise<Person> {
  const { page } = await browser.participant();
  await page.setViewportSize({ width: 1280, height: 800 });
  page.setDefaultTimeout(15_000);
  return { name, page, id: '' };
}

/** Wait until the locator is visible; fail naming what the person should have seen. */
export async function sees(locator: Locator, what: string, timeoutMs = 15_000): Promise<Locator> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    throw new Error(`expected to see ${what} within ${timeoutMs} ms`);
  }
  return locator.first();
}

/** Wait until nothing matches: something the person must not (or no longer) see. */
export async function seesNo(locator: Locator, what: string, timeoutMs = 15_000): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'hidden', timeout: timeoutMs });
  } catch {
    throw new Error(`expected ${what} to be gone within ${timeoutMs} ms`);
  }
}

export const tile = (person: Person, name: string) => person.page.locator(`article[data-name="${name}"]`);

/** The names round the circle, in the order this person's screen shows them. */
export const seatOrder = (person: Person): Promise<string[]> =>
  person.page.locator('article[data-seat]').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-name') ?? ''));

/** What the screen reader was last told, polite and urgent together. */
export const announced = (person: Person) => person.page.locator('[data-announcer]');

/** Press Tab until the focused element's accessible text matches; the keyboard-only way to reach a control. */
export async function tabTo(person: Person, name: RegExp, maxPresses = 60): Promise<void> {
  const focused = () =>
    person.page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      return element ? (element.getAttribute('aria-label') ?? element.innerText ?? '').replace(/\s+[A-Z]$/, '').trim() : '';
    });
  if (name.test(await focused())) return;
  for (let i = 0; i < maxPresses; i++) {
    await person.page.keyboard.press('Tab');
    if (name.test(await focused())) return;
  }
  throw new Error(`${person.name}: ${name} not reached with ${maxPresses} presses of Tab`);
}

/** 'visible' when the focused element shows a focus ring a sighted keyboard user can see; else what is focused. */
export const focusRingVisible = (person: Person): Promise<string> =>
  person.page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return 'nothing focused';
    const style = getComputedStyle(element);
    if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) return 'visible';
    return `no ring on ${element.tagName}.${element.className} "${element.innerText.slice(0, 40)}" (outline ${style.outlineStyle} ${style.outlineWidth})`;
  });

/** Decoded video frames per participant, from the video elements on this person's screen. */
export const videoFrames = (person: Person): Promise<Record<string, number>> =>
  person.page.locator('video[data-participant]').evaluateAll((videos) => {
    const frames: Record<string, number> = {};
    for (const video of videos as HTMLVideoElement[]) {
      const id = video.dataset.participant!;
      const decoded = video.videoWidth > 0 ? video.getVideoPlaybackQuality().totalVideoFrames : 0;
      frames[id] = Math.max(frames[id] ?? 0, decoded);
    }
    return frames;
  });

/** How loud each remote participant sounds on this person's speakers (RMS over `ms`), from the audio elements. */
export const audioLevels = (person: Person, ms = 600): Promise<Record<string, number>> =>
  person.page.evaluate(async (ms) => {
    const context = new AudioContext();
    await context.resume();
    const probes = Array.from(document.querySelectorAll<HTMLAudioElement>('audio[data-participant]')).flatMap((audio) => {
      const stream = audio.srcObject;
      if (!(stream instanceof MediaStream) || stream.getAudioTracks().length === 0) return [];
      const analyser = context.createAnalyser();
      analyser.fftSize = 2048;
      context.createMediaStreamSource(stream).connect(analyser);
      return [{ id: audio.dataset.participant!, analyser, peak: 0 }];
    });
    const samples = new Float32Array(2048);
    const until = performance.now() + ms;
    while (performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const probe of probes) {
        probe.analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (const s of samples) sum += s * s;
        probe.peak = Math.max(probe.peak, Math.sqrt(sum / samples.length));
      }
    }
    await context.close();
    return Object.fromEntries(probes.map((probe) => [probe.id, probe.peak]));
  }, ms);

/** Video from each of `from` keeps decoding on this person's screen. */
export async function seesVideoOf(person: Person, from: Person[], timeoutMs = 30_000): Promise<void> {
  let last: Record<string, number> = {};
  const names = (frames: Record<string, number>) => JSON.stringify(Object.fromEntries(from.map((other) => [other.name, frames[other.id] ?? 'no video'])));
  const first = await waitFor(
    async () => {
      last = await videoFrames(person);
      return from.every((other) => (last[other.id] ?? 0) > 0) ? last : null;
    },
    timeoutMs,
    `${person.name} seeing video of ${from.map((p) => p.name).join(', ')}`,
    250,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; frames decoded: ${names(last)}`);
  });
  await waitFor(
    async () => {
      const frames = await videoFrames(person);
      return from.every((other) => (frames[other.id] ?? 0) > first[other.id]!);
    },
    timeoutMs,
    `${person.name}'s video of ${from.map((p) => p.name).join(', ')} still moving`,
    250,
  );
}

/** Sound from each of `from` reaches this person's speakers. */
export async function hears(person: Person, from: Person[], timeoutMs = 30_000): Promise<void> {
  let last: Record<string, number> = {};
  await waitFor(
    async () => {
      last = await audioLevels(person);
      return from.every((other) => (last[other.id] ?? 0) > 0.02);
    },
    timeoutMs,
    `${person.name} hearing ${from.map((p) => p.name).join(', ')}`,
    100,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; levels: ${JSON.stringify(Object.fromEntries(from.map((other) => [other.name, last[other.id] ?? 'no audio element'])))}`);
  });
}

/** No sound from `other` reaches this person: the SFU keeps them quiet. */
export async function doesNotHear(person: Person, other: Person, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    async () => {
      const levels = await audioLevels(person);
      return (levels[other.id] ?? 0) < 0.005;
    },
    timeoutMs,
    `${person.name} no longer hearing ${other.name}`,
    100,
  );
}
