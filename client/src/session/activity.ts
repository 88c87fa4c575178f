import { useEffect, useState } from 'preact/hooks';
import { accountApi } from './account-api.js';

/**
 * Tells the server the facilitator is at work (a key, a click, a touch) at most every quarter of
 * the idle limit, so only a page left alone is signed out; `onIdle` runs when it was left alone
 * past the limit. The server enforces the limit itself; this keeps an active page signed in.
 */
export function useActivity(idleMs: number | null, onIdle: () => void): void {
  useEffect(() => {
    if (idleMs === null) return;
    let lastInput = Date.now();
    let lastPing = Date.now();
    const every = Math.min(60_000, idleMs / 4);
    const input = () => {
      lastInput = Date.now();
      if (lastInput - lastPing < every) return;
      lastPing = lastInput;
      void accountApi.activity().catch(() => undefined);
    };
    const events = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
    for (const name of events) addEventListener(name, input, { passive: true, capture: true });
    const check = setInterval(() => {
      if (Date.now() - lastInput >= idleMs) onIdle();
    }, Math.min(10_000, idleMs / 4));
    return () => {
      for (const name of events) removeEventListener(name, input, { capture: true });
      clearInterval(check);
    };
  }, [idleMs]);
}

/** In the live room a signed-in facilitator's clicks and keys keep the sign-in alive; left alone past the limit, it ends (and the server closes the socket). */
export function useFacilitatorActivity(enabled: boolean): void {
  const [idleMs, setIdleMs] = useState<number | null>(null);
  useEffect(() => {
    // Without accounts (no records) there is nothing to keep alive: /api/accounts/me is not found.
    if (enabled) void accountApi.me().then((me) => setIdleMs(me.idleMs), () => undefined);
  }, [enabled]);
  useActivity(idleMs, () => void accountApi.signOut().catch(() => undefined));
}
