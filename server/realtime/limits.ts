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
  async take(key: string): Promise<'ok' | 'limited' | 'cut'> {
    try {
      await this.#limiter.consume(key);
      return 'ok';
    } catch {
      try {
        await this.#strikes.consume(key);
        return 'limited';
      } catch {
        return 'cut';
      }
    }
  }

  forget(key: string): void {
    void this.#limiter.delete(key);
    void this.#strikes.delete(key);
  }
}

/**
 * Failed attempts per key (an address) and minute at an entry point: joining with an invite,
 * inspecting one, a handshake, the facilitator key. A success spends nothing, so junk from an
 * address (a clinic's NAT, the proxy every deployment sits behind) cannot lock out the people
 * with valid links behind it.
 */
export class FailureBudget {
  readonly #limiter: RateLimiterMemory;
  readonly #points: number;

  constructor(name: string, perMinute: number) {
    this.#points = perMinute;
    this.#limiter = new RateLimiterMemory({ keyPrefix: name, points: perMinute, duration: 60 });
  }

  /** Whether this key has used up its failures for the minute. */
  async spent(key: string): Promise<boolean> {
    return ((await this.#limiter.get(key))?.consumedPoints ?? 0) >= this.#points;
  }

  /** Count a failure: 'counted', 'last' (this one used the budget up), or 'over' (it was already spent). */
  async fail(key: string): Promise<'counted' | 'last' | 'over'> {
    try {
      const result = await this.#limiter.consume(key);
      return result.remainingPoints === 0 ? 'last' : 'counted';
    } catch {
      return 'over';
    }
  }
}

/** One participant of one room, the key of their budgets here. */
export const personKey = (roomId: string, participantId: string) => `${roomId}/${participantId}`;

/**
 * What each participant may spend across all their sockets: reconnects a minute, and session and
 * media events (twice and six times one socket's budget: a second tab, not a fleet).
 */
export class ParticipantBudgets {
  readonly #reconnects: RateLimiterAbstract;
  readonly #events: EventLimiter;
  readonly #mediaEvents: EventLimiter;

  constructor(limits: { reconnectsPerMinute: number; events: EventLimits }) {
    this.#reconnects = attemptLimiter('reconnects', limits.reconnectsPerMinute);
    this.#events = new EventLimiter({ perSecond: limits.events.perSecond * 2, burst: limits.events.burst * 2 });
    this.#mediaEvents = new EventLimiter({ perSecond: limits.events.perSecond * 6, burst: limits.events.burst * 6 });
  }

  /** Whether this participant may open one more socket this minute. */
  reconnect(roomId: string, participantId: string): Promise<boolean> {
    return this.#reconnects.consume(personKey(roomId, participantId)).then(
      () => true,
      () => false,
    );
  }

  take(roomId: string, participantId: string, kind: 'session' | 'media'): Promise<'ok' | 'limited' | 'cut'> {
    return (kind === 'media' ? this.#mediaEvents : this.#events).take(personKey(roomId, participantId));
  }

  /** A room stopped here (unloaded, moved to another node): its participants' budgets go now, not when their windows run out. */
  forget(roomId: string, participantIds: Iterable<string>): void {
    for (const participantId of participantIds) {
      const key = personKey(roomId, participantId);
      void this.#reconnects.delete(key);
      this.#events.forget(key);
      this.#mediaEvents.forget(key);
    }
  }
}

/** Attempts per key and minute, for entries with valid credentials (a participant's reconnects, joins with a room's invite). */
export function attemptLimiter(name: string, perMinute: number): RateLimiterAbstract {
  return new RateLimiterMemory({ keyPrefix: name, points: perMinute, duration: 60 });
}
