// When to try again after an agent failed to start or crashed: exponential back-off from 1 s, capped,
// and a limit of consecutive failures after which the agent stays failed until someone asks again.
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Consecutive failures after which automatic restarts stop. */
  maxFailures: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 5 * 60_000, maxFailures: 5 };

/** Delay before the next attempt after `failures` consecutive failures (1 → base, 2 → 2×base, ...). */
export function retryDelayMs(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (failures <= 0) return 0;
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - 1, 30));
}

export function givesUp(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): boolean {
  return failures >= policy.maxFailures;
}
