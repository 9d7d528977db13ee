/**
 * Per-token rate limits: a token bucket per key (token hash, or client address before login). Kept beside
 * @fastify/rate-limit because these keys are not in the HTTP request: REST calls and WebSocket sends share
 * one budget per token, stream connects are limited per token (sent in the first message), and failed
 * tokens count per address across every route and the stream (the reasons in full: team-server.ts).
 */

/** How many calls a key may make: `perSecond` sustained, bursts up to `burst`. */
export interface RateLimitOptions {
  perSecond: number;
  burst: number;
}

/** Result of taking one call from a bucket. */
export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

/** Token buckets keyed by caller; idle buckets are forgotten. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly options: RateLimitOptions) {}

  /** Takes one call for `key`, or says how long to wait. */
  take(key: string, nowMs = Date.now()): RateDecision {
    const { perSecond, burst } = this.options;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: burst, at: nowMs };
      this.buckets.set(key, bucket);
      if (this.buckets.size > 10_000) this.sweep(nowMs);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * perSecond);
    bucket.at = nowMs;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / perSecond) * 1000) };
  }

  private sweep(nowMs: number): void {
    const full = this.options.burst / this.options.perSecond;
    for (const [key, bucket] of this.buckets) {
      if ((nowMs - bucket.at) / 1000 > full) this.buckets.delete(key);
    }
  }
}
