import type { Logger } from '../logger.js';

/** What a stopping server does, in this order. */
export interface DrainSteps {
  /** From now on new rooms are refused (DRAINING) and /readyz answers 503. */
  refuseNewRooms(): void;
  /** Resolves once every command received so far is answered; commands after it wait for the next server. */
  answerInFlight(): Promise<void>;
  /** Single process: write live rooms where they survive (hooks); with Redis the close hands them over instead. */
  keepRooms(): Promise<void>;
  /** Close rooms, sockets, store and media: with Redis, this node's rooms move to the others at once. */
  close(): Promise<void>;
}

/**
 * SIGTERM: stop taking new work, answer what is in flight, keep or hand over the rooms, close.
 * Resolves true when every step finished within `timeoutMs`, false when the time ran out first.
 */
export async function drain(steps: DrainSteps, logger: Logger, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const sequence = (async () => {
    steps.refuseNewRooms();
    logger.info('draining: new rooms refused; answering commands in flight');
    await steps.answerInFlight();
    await steps.keepRooms();
    await steps.close();
    return true as const;
  })();
  try {
    const finished = await Promise.race([sequence, outOfTime]);
    if (!finished) logger.error({ timeoutMs }, 'draining took too long; stopping anyway');
    return finished;
  } finally {
    clearTimeout(timer);
  }
}
