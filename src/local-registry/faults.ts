import type { FaultOptions, FaultRoute } from "./types.js";

/** What to do to one request instead of answering it normally. */
export type FaultDecision =
  | { kind: "none" }
  | { kind: "reset" }
  | { kind: "status"; status: number; retryAfter?: string };

const ERROR_STATUSES = [500, 502, 503];

/** Decides faults from a seeded PRNG, so a seed replays the same faults. */
export class FaultInjector {
  private options: FaultOptions = {};
  private random: () => number = mulberry32(0);

  constructor(options: FaultOptions = {}) {
    this.set(options);
  }

  /** Replaces the faults in force and reseeds the PRNG. */
  set(options: FaultOptions): void {
    this.options = { ...options };
    this.random = mulberry32(options.seed ?? 0);
  }

  get latencyMs(): number {
    return this.options.latencyMs ?? 0;
  }

  get uploadUrlTtlSeconds(): number | undefined {
    return this.options.uploadUrlTtlSeconds;
  }

  /** The fault, if any, for one request to `route`. */
  decide(route: FaultRoute): FaultDecision {
    if (!this.targets(route)) return { kind: "none" };
    const { resetRate = 0, rateLimitRate = 0, errorRate = 0 } = this.options;
    const draw = this.random();
    if (draw < resetRate) return { kind: "reset" };
    if (draw < resetRate + rateLimitRate) {
      const retryAfter = String(Math.floor(this.random() * 2));
      return { kind: "status", status: 429, retryAfter };
    }
    if (draw < resetRate + rateLimitRate + errorRate) {
      const index = Math.floor(this.random() * ERROR_STATUSES.length);
      return { kind: "status", status: ERROR_STATUSES[index] };
    }
    return { kind: "none" };
  }

  /** Whether a complete call should be stored and then left unanswered. */
  commitThenDrop(): boolean {
    const rate = this.options.commitThenDropRate ?? 0;
    return rate > 0 && this.targets("complete") && this.random() < rate;
  }

  private targets(route: FaultRoute): boolean {
    const routes = this.options.routes;
    return !routes || routes.length === 0 || routes.includes(route);
  }
}

/** A small seeded PRNG (mulberry32) giving numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
