/**
 * The fetches a consumer keeps in flight, one per leader broker as Kafka's consumer keeps one per node. Each
 * covers partitions no other fetch in flight covers (keys), so a partition's records come in order; the
 * consumer takes the fetches as they complete, each freeing its partitions, and starts the next fetch of a
 * partition as soon as it has taken the previous answer (pipelining: the request is on its way while the
 * application handles the records, with no timer between). close() gives up every fetch in flight: on a
 * FetchStream the broker ends its long poll at once.
 */
import { assert, type TributaryError } from '@tributary/core';
import { toError } from './retry.js';

export interface CompletedFetch<Key, Result> {
  readonly keys: readonly Key[];
  readonly result: Result;
}

export class FetchPipeline<Key, Result> {
  /** Keys of the fetches in flight or completed and not taken. */
  private readonly busy = new Set<Key>();
  /** Completed fetches not taken yet, in completion order. */
  private readonly completed: CompletedFetch<Key, Result>[] = [];
  private running = 0;
  /** The one next() waiting, if any. */
  private notify: (() => void) | undefined;
  private interrupted = false;
  private closed = false;
  private readonly abort = new AbortController();

  /** Fetches started and not completed. */
  get inFlight(): number {
    return this.running;
  }

  /** Whether nothing is in flight or waiting to be taken (next() would have nothing to give). */
  get idle(): boolean {
    return this.running === 0 && this.completed.length === 0;
  }

  /** Whether `key` is covered by a fetch in flight or not taken yet. */
  isBusy(key: Key): boolean {
    return this.busy.has(key);
  }

  /**
   * Starts a fetch covering `keys` (none of them busy). `fetch` gets the signal close() aborts; what it
   * throws becomes the result `failed` makes of it.
   */
  start(
    keys: readonly Key[],
    fetch: (signal: AbortSignal) => Promise<Result>,
    failed: (error: TributaryError) => Result,
  ): void {
    assert(!this.closed, 'a closed fetch pipeline starts no fetch');
    assert(keys.length > 0, 'a fetch covers at least one key');
    for (const key of keys) {
      assert(!this.busy.has(key), 'a key is in at most one fetch at a time');
      this.busy.add(key);
    }
    this.running++;
    // Promise.resolve().then(...) also turns a synchronous throw of `fetch` into a failed result.
    Promise.resolve()
      .then(() => fetch(this.abort.signal))
      .then(
        (result) => result,
        (error: unknown) => failed(toError(error)),
      )
      .then((result) => {
        this.running--;
        if (this.closed) return;
        this.completed.push({ keys, result });
        this.wakeUp();
      });
  }

  /**
   * The next completed fetch, its keys free again; waits for one. Undefined when interrupt() was called
   * since the last next() returned, or once closed.
   */
  async next(): Promise<CompletedFetch<Key, Result> | undefined> {
    for (;;) {
      if (this.closed) return undefined;
      const done = this.completed.shift();
      if (done !== undefined) {
        for (const key of done.keys) this.busy.delete(key);
        return done;
      }
      if (this.interrupted) {
        this.interrupted = false;
        return undefined;
      }
      assert(this.running > 0, 'next() with no fetch in flight would wait for ever');
      assert(this.notify === undefined, 'one next() at a time');
      await new Promise<void>((resolve) => {
        this.notify = resolve;
      });
    }
  }

  /** Makes the waiting (or the next) next() return undefined: the consumer has something else to do. */
  interrupt(): void {
    this.interrupted = true;
    this.wakeUp();
  }

  /** Gives up every fetch in flight; next() returns undefined from now on. */
  close(): void {
    this.closed = true;
    this.abort.abort();
    this.completed.length = 0;
    this.busy.clear();
    this.wakeUp();
  }

  private wakeUp(): void {
    const notify = this.notify;
    this.notify = undefined;
    notify?.();
  }
}
