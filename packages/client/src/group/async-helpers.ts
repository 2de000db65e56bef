/** Small async shells used by the group consumer: in-flight markers, bounded waits, ordered listeners. */
import { sleep } from '../retry.js';
import type { PartitionState } from './owned-partitions.js';
import type { TopicPartition } from './reconcile.js';
import type { RebalanceListener } from './types.js';

/** Marks a partition's handler as in flight; the returned function ends it. */
export function beginHandling(state: PartitionState): () => void {
  let finish: () => void = () => undefined;
  const inFlight = new Promise<void>((resolve) => {
    finish = resolve;
  });
  state.inFlight = inFlight;
  return () => {
    finish();
    if (state.inFlight === inFlight) state.inFlight = undefined;
  };
}

/** Waits until every promise settles or `timeoutMs` passes, whichever is first; never rejects. */
export async function settledWithin(
  promises: readonly (Promise<unknown> | undefined)[],
  timeoutMs: number,
): Promise<void> {
  const pending = promises.filter((p): p is Promise<unknown> => p !== undefined);
  if (pending.length === 0) return;
  const timer = new AbortController();
  await Promise.race([Promise.allSettled(pending), sleep(timeoutMs, timer.signal)]);
  timer.abort();
}

/**
 * Rebalance listeners run one at a time, in the order the rebalance events happened; a failing
 * listener is ignored (the partitions move on regardless; it is the application's bug to log).
 */
export class ListenerQueue {
  private chain: Promise<void> = Promise.resolve();

  /** Settles when every listener queued so far has run. */
  get idle(): Promise<void> {
    return this.chain;
  }

  call(listener: RebalanceListener | undefined, partitions: TopicPartition[]): Promise<void> {
    if (listener === undefined || partitions.length === 0) return this.chain;
    const run = this.chain.then(async () => {
      try {
        await listener(partitions);
      } catch {
        // See the class comment.
      }
    });
    this.chain = run;
    return run;
  }
}

/** A sleep that wake() or an abort signal cuts short. */
export class Waiter {
  private wakeNow: (() => void) | undefined;
  private woken = false;

  wake(): void {
    this.woken = true;
    this.wakeNow?.();
  }

  async wait(delayMs: number, signal: AbortSignal): Promise<void> {
    if (this.woken || delayMs <= 0) {
      this.woken = false;
      return;
    }
    const cut = new AbortController();
    this.wakeNow = () => cut.abort();
    const onStop = (): void => cut.abort();
    signal.addEventListener('abort', onStop, { once: true });
    try {
      await sleep(delayMs, cut.signal);
    } finally {
      signal.removeEventListener('abort', onStop);
      this.wakeNow = undefined;
      this.woken = false;
    }
  }
}
