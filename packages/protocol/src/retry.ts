/**
 * Retry policy for calls to the active controller, kept pure (time and randomness are parameters) so
 * it can be tested without a network. Only retriable errors are retried (KafkaJS style).
 */
import type { Random, TributaryError } from '@tributary/core';

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 50, maxMs: 1_000 };

/**
 * Exponential backoff with "equal jitter": half the window fixed, half random, so retries spread out
 * but never collapse to zero. `round` counts from 0.
 */
export function backoffDelayMs(round: number, policy: BackoffPolicy, random: Random): number {
  const windowMs = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(round, 30));
  return Math.floor(windowMs / 2 + random.next() * (windowMs / 2));
}

/** Codes meaning "this node cannot serve the call; another one may": move on to the next address. */
const WRONG_NODE_CODES: ReadonlySet<string> = new Set([
  'NOT_CONTROLLER',
  'LEADER_NOT_AVAILABLE',
  'SHUTTING_DOWN',
  'REQUEST_TIMED_OUT',
]);

export interface RetryState {
  /** Known controller addresses in rotation order. */
  readonly addresses: readonly string[];
  /** Addresses tried since the last backoff sleep. */
  readonly triedSinceBackoff: ReadonlySet<string>;
}

export type RetryStep =
  | { readonly kind: 'fail' }
  | { readonly kind: 'retry'; readonly address: string; readonly backoff: boolean };

/**
 * Where to send the next attempt after `error` from `target`: the hinted leader at once; otherwise
 * the next untried address at once; otherwise (every address tried) the next address after a backoff.
 */
export function nextRetryStep(state: RetryState, target: string, error: TributaryError): RetryStep {
  if (!error.retriable) return { kind: 'fail' };
  if (!WRONG_NODE_CODES.has(error.code)) {
    // The node answered but is overloaded or busy (RESOURCE_EXHAUSTED, ...): same node, after a pause.
    return { kind: 'retry', address: target, backoff: true };
  }
  const hint = error.leaderHint?.address;
  if (hint !== undefined && hint !== target && !state.triedSinceBackoff.has(hint)) {
    return { kind: 'retry', address: hint, backoff: false };
  }
  const index = state.addresses.indexOf(target);
  const count = state.addresses.length;
  for (let step = 1; step <= count; step++) {
    const candidate = state.addresses[(index + step) % count];
    if (candidate !== undefined && !state.triedSinceBackoff.has(candidate)) {
      return { kind: 'retry', address: candidate, backoff: false };
    }
  }
  const next = hint ?? state.addresses[(index + 1) % count] ?? target;
  return { kind: 'retry', address: next, backoff: true };
}
