import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface EventLimits {
  /** Sustained events per second one socket may send. */
  perSecond: number;
  /** How many events a socket may send at once before the sustained rate applies. */
  burst: number;
}

/**
 * Per-socket event budget. A socket over budget has its events answered RATE_LIMITED and
 * dropped; one that keeps flooding long after is disconnected. Other sockets, also those on
 * the same address (a clinic behind one NAT), are not affected.
 */
export class EventLimiter {
  readonly #limiter: RateLimiterAbstract;
  readonly #strikes: RateLimiterAbstract;

  constructor(limits: EventLimits) {
    this.#limiter = new RateLimiterMemory({ keyPrefix: 'events', points: limits.burst, duration: Math.max(1, Math.round(limits.burst / limits.perSecond)) });
    // Refused events in a minute before the socket is cut: a person cannot click that fast.
    this.#strikes = new RateLimiterMemory({ keyPrefix: 'strikes', points: limits.burst * 50, duration: 60 });
  }

  /** 'ok', 'limited' (refuse this event), or 'cut' (disconnect the socket). */
  async take(socketId: string): Promise<'ok' | 'limited' | 'cut'> {
    try {
      await this.#limiter.consume(socketId);
      return 'ok';
    } catch {
      try {
        await this.#strikes.consume(socketId);
        return 'limited';
      } catch {
        return 'cut';
      }
    }
  }

  forget(socketId: string): void {
    void this.#limiter.delete(socketId);
    void this.#strikes.delete(socketId);
  }
}

/** Attempts per address and minute for unauthenticated entry points: joining, inspecting invites, handshakes. */
export function entryLimiter(perMinute: number): RateLimiterAbstract {
  return new RateLimiterMemory({ keyPrefix: 'entry', points: perMinute, duration: 60 });
}
