/**
 * Group commit (DESIGN §8: an fsync costs ≈ 0.2–0.3 ms here, so anything that must be synced is
 * group-committed): at most one commit runs at a time, and every request made while one runs is covered by
 * ONE next commit, started as soon as the running one ends. A request is only ever answered by a commit that
 * started after it was made, so the commit covers every write that landed before the request. With requests
 * arriving faster than commits complete, the number of commits is about elapsed time / commit time, never
 * one per request.
 */
import { assert } from '@tributary/core';

export class GroupCommit {
  /** The commit running now; null when none is. */
  #running: Promise<void> | null = null;
  /** The commit that starts when the running one ends, shared by every request made meanwhile. */
  #queued: Promise<void> | null = null;
  #started = 0;

  /** `commit` does the work (an fsync); it is never called while a previous call is pending. */
  constructor(private readonly commit: () => Promise<void>) {}

  /** Commits started so far (tests and diagnostics). */
  get commitsStarted(): number {
    return this.#started;
  }

  /**
   * Resolves once a commit that started after this call has completed (rejects with its error). A failed
   * commit fails only the requests it was covering: the next request starts a new one.
   */
  request(): Promise<void> {
    if (this.#queued !== null) return this.#queued;
    const running = this.#running;
    if (running === null) return this.#start();
    const queued = running.then(ignore, ignore).then(() => {
      assert(this.#queued === queued && this.#running === null, 'the queued commit follows the running one');
      this.#queued = null;
      return this.#start();
    });
    this.#queued = queued;
    return queued;
  }

  #start(): Promise<void> {
    assert(this.#running === null, 'one commit at a time');
    this.#started++;
    let run: Promise<void>;
    try {
      run = this.commit();
    } catch (error) {
      run = Promise.reject(error);
    }
    this.#running = run;
    // Registered before any queued continuation (which waits two turns), so the slot is free by then.
    const release = (): void => {
      if (this.#running === run) this.#running = null;
    };
    run.then(release, release);
    return run;
  }
}

function ignore(): void {}
