import type { FaultOptions, FaultRoute } from "./types.js";

/** What to do to one request instead of answering it normally. */
export type FaultDecision =
  | { kind: "none" }
  | { kind: "reset" }
  | { kind: "status"; status: number; retryAfter?: string };

const ERROR_STATUSES = [500, 502, 503];

/**
 * Decides faults from a seeded PRNG, so a seed replays the same faults.
 * Each request draws from its own stream, keyed by what it is and how many
 * of its kind came before, so that parallel uploads arriving in another
 * order still meet the same faults.
 */
export class FaultInjector {
  private options: FaultOptions = {};
  private seen = new Map<string, number>();

  constructor(options: FaultOptions = {}) {
    this.set(options);
  }

  /** Replaces the faults in force and reseeds the PRNG. */
  set(options: FaultOptions): void {
    this.options = { ...options };
    this.seen.clear();
  }

  get latencyMs(): number {
    return this.options.latencyMs ?? 0;
  }

  get uploadUrlTtlSeconds(): number | undefined {
    return this.options.uploadUrlTtlSeconds;
  }

  /**
   * The fault, if any, for one request to `route`; `key` names the request
   * within its route (such as the artifact of an upload).
   */
  decide(route: FaultRoute, key = ""): FaultDecision {
    if (!this.targets(route)) return { kind: "none" };
    const random = this.streamFor(`${route}:${key}`);
    const { resetRate = 0, rateLimitRate = 0, errorRate = 0 } = this.options;
    const draw = random();
    if (draw < resetRate) return { kind: "reset" };
    if (draw < resetRate + rateLimitRate) {
      const retryAfter = String(Math.floor(random() * 2));
      return { kind: "status", status: 429, retryAfter };
    }
    if (draw < resetRate + rateLimitRate + errorRate) {
      const index = Math.floor(random() * ERROR_STATUSES.length);
      return { kind: "status", status: ERROR_STATUSES[index] };
    }
    return { kind: "none" };
  }

  /** Whether a complete call should be stored and then left unanswered. */
  commitThenDrop(): boolean {
    const rate = this.options.commitThenDropRate ?? 0;
    if (rate <= 0 || !this.targets("complete")) return false;
    return this.streamFor("commit-then-drop")() < rate;
  }

  /** A PRNG for the n-th request named `name`, derived from the seed. */
  private streamFor(name: string): () => number {
    const n = this.seen.get(name) ?? 0;
    this.seen.set(name, n + 1);
    return mulberry32(hashOf(`${this.options.seed ?? 0}/${name}/${n}`));
  }

  private targets(route: FaultRoute): boolean {
    const routes = this.options.routes;
    return !routes || routes.length === 0 || routes.includes(route);
  }
}

/** A 32-bit FNV-1a hash, to turn a request's name into a seed. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash;
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
