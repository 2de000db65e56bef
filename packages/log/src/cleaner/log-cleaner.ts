/**
 * The broker's log cleaner (Kafka's LogCleanerManager and its cleaner threads): tracks every local log
 * that may be compacted, and every `backoffMs` starts cleaning the dirtiest ones, at most `threads` at once,
 * their IO shared under one throttle. The cleaning itself is PartitionLog.clean; this is the scheduling shell
 * around it: which log, when, how many at once, and stopping a clean when its log is about to go away.
 *
 * Kafka's rules kept here: a log is cleanable when its dirty ratio (dirty bytes over all cleanable bytes)
 * reaches its min.cleanable.dirty.ratio, or when a record waited past max.compaction.lag.ms ("overdue");
 * among those the highest ratio goes first (grabFilthiestCompactedLog). A log whose clean failed is skipped
 * for one backoff and the cleaner carries on: one bad log never stops compaction of the others. A finished
 * clean looks for more work at once; only an idle cleaner sleeps a backoff.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { assert, type Clock, TributaryError } from '@tributary/core';
import type { LogLogger } from '../partition-log.js';
import type { CleanOptions, CleanResult } from './clean-log.js';
import { CLEANER_LIMITS } from './limits.js';
import { type CleanableState, needsCleaning } from './plan.js';
import { CleanerThrottle, type Sleep } from './throttle.js';

/** The narrow part of PartitionLog the cleaner uses (tests hand it real logs). */
export interface CleanableLog {
  readonly currentConfig: { readonly minCleanableDirtyRatio: number };
  /** Null when the log's cleanup.policy does not include compact. */
  cleanableState(nowMs: number, upperBoundOffset: number): CleanableState | null;
  clean(options: CleanOptions): Promise<CleanResult>;
}

export interface LogCleanerOptions {
  readonly clock: Clock;
  /** Kafka: log.cleaner.threads. */
  readonly threads?: number;
  /** Kafka: log.cleaner.backoff.ms. */
  readonly backoffMs?: number;
  /** Kafka: log.cleaner.io.max.bytes.per.second; undefined = unlimited. */
  readonly ioMaxBytesPerSecond?: number | undefined;
  readonly logger?: LogLogger;
  /** How the throttle waits; the default is a real timer (tests pass one that advances a manual clock). */
  readonly sleep?: Sleep;
}

/** Counters and gauges for metrics (Kafka's kafka.log:type=LogCleaner and LogCleanerManager beans). */
export interface LogCleanerStats {
  /** Counted chunk by chunk: a clean in progress (or aborted, or failed) counts what it did so far. */
  readonly bytesReadTotal: number;
  readonly bytesWrittenTotal: number;
  readonly recordsRemovedTotal: number;
  readonly cleansTotal: number;
  readonly errorsTotal: number;
  /** The last finished clean's duration; null before the first. */
  readonly lastCleanDurationMs: number | null;
  /** Wall-clock time the last clean finished; null before the first. */
  readonly lastCleanWallMs: number | null;
  /** The highest dirty ratio among registered compacted logs at the last check (Kafka: max-dirty-percent / 100). */
  readonly maxDirtyRatio: number;
  /** Each registered compacted log's dirty ratio at the last check. */
  readonly dirtyRatios: ReadonlyMap<string, number>;
  readonly cleansInProgress: number;
  readonly throttledMsTotal: number;
}

interface Registration {
  readonly log: CleanableLog;
  readonly upperBound: () => number;
  /** Monotonic ms before which the log is skipped (after a failed clean). */
  skipUntilMs: number;
  /** Dirty ratio at the last check; undefined when the log is not compacted. */
  dirtyRatio: number | undefined;
}

interface RunningClean {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

interface Candidate {
  readonly key: string;
  readonly registration: Registration;
  readonly upperBoundOffset: number;
  readonly dirtyRatio: number;
}

export class LogCleaner {
  private readonly clock: Clock;
  private readonly threads: number;
  private readonly backoffMs: number;
  private readonly logger: LogLogger;
  private readonly throttle: CleanerThrottle;
  private readonly registrations = new Map<string, Registration>();
  private readonly running = new Map<string, RunningClean>();
  private timer: NodeJS.Timeout | undefined;
  private state: 'idle' | 'started' | 'closed' = 'idle';
  private totals = { bytesRead: 0, bytesWritten: 0, recordsRemoved: 0, cleans: 0, errors: 0 };
  private lastCleanDurationMs: number | null = null;
  private lastCleanWallMs: number | null = null;
  private maxDirtyRatio = 0;

  constructor(options: LogCleanerOptions) {
    this.clock = options.clock;
    this.threads = checkSetting(
      'threads',
      options.threads ?? CLEANER_LIMITS.threadsDefault,
      1,
      CLEANER_LIMITS.threadsMax,
    );
    this.backoffMs = checkSetting(
      'backoffMs',
      options.backoffMs ?? CLEANER_LIMITS.backoffMsDefault,
      CLEANER_LIMITS.backoffMsMin,
      CLEANER_LIMITS.backoffMsMax,
    );
    this.logger = options.logger ?? (() => {});
    this.throttle = new CleanerThrottle({
      ioMaxBytesPerSecond: options.ioMaxBytesPerSecond,
      clock: options.clock,
      sleep:
        options.sleep ?? ((ms, signal) => sleepFor(ms, undefined, signal === undefined ? {} : { signal })),
    });
  }

  /**
   * Tracks a log; `upperBound` gives the first offset that must not be cleaned yet (the broker: its high
   * watermark, or the last stable offset when lower). Registering a key again replaces the entry.
   */
  register(key: string, log: CleanableLog, upperBound: () => number): void {
    assert(this.state !== 'closed', 'a closed cleaner takes no logs');
    if (!this.registrations.has(key) && this.registrations.size >= CLEANER_LIMITS.registeredLogsMax) {
      throw new TributaryError(
        'RESOURCE_EXHAUSTED',
        `the log cleaner tracks ${this.registrations.size} logs`,
      );
    }
    this.registrations.set(key, { log, upperBound, skipUntilMs: 0, dirtyRatio: undefined });
  }

  /**
   * Stops tracking a log, aborting a clean of it in progress and waiting until that clean has returned:
   * afterwards the cleaner no longer touches the log, so the caller may close, truncate or delete it
   * (Kafka's abortCleaning before a log is deleted or truncated).
   */
  async unregister(key: string): Promise<void> {
    this.registrations.delete(key);
    const running = this.running.get(key);
    if (running === undefined) return;
    running.controller.abort();
    await running.done;
  }

  /** Whether a clean of `key` is running now (tests, describe). */
  isCleaning(key: string): boolean {
    return this.running.has(key);
  }

  /** Checks for work every backoffMs (the timer never keeps the process alive). */
  start(): void {
    assert(this.state === 'idle', 'the cleaner starts once');
    this.state = 'started';
    this.timer = setInterval(() => this.tick(), this.backoffMs);
    this.timer.unref();
    this.tick();
  }

  /** Stops the timer, aborts every clean in progress and waits for them to return. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.timer !== undefined) clearInterval(this.timer);
    const running = [...this.running.values()];
    for (const clean of running) clean.controller.abort();
    await Promise.all(running.map((clean) => clean.done));
    this.registrations.clear();
  }

  /**
   * Starts cleans of the dirtiest cleanable logs while fewer than `threads` run; returns the keys started.
   * The timer calls it; tests call it directly with a manual clock.
   */
  tick(): string[] {
    if (this.state === 'closed') return [];
    const started: string[] = [];
    let candidates: Candidate[] | undefined;
    while (this.running.size < this.threads) {
      candidates ??= this.cleanableLogs();
      const next = candidates.shift();
      if (next === undefined) break;
      this.startClean(next);
      started.push(next.key);
    }
    return started;
  }

  /** Resolves when no clean is running (tests). */
  async whenIdle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((clean) => clean.done));
  }

  stats(): LogCleanerStats {
    const dirtyRatios = new Map<string, number>();
    for (const [key, registration] of this.registrations) {
      if (registration.dirtyRatio !== undefined) dirtyRatios.set(key, registration.dirtyRatio);
    }
    return {
      bytesReadTotal: this.totals.bytesRead,
      bytesWrittenTotal: this.totals.bytesWritten,
      recordsRemovedTotal: this.totals.recordsRemoved,
      cleansTotal: this.totals.cleans,
      errorsTotal: this.totals.errors,
      lastCleanDurationMs: this.lastCleanDurationMs,
      lastCleanWallMs: this.lastCleanWallMs,
      maxDirtyRatio: this.maxDirtyRatio,
      dirtyRatios,
      cleansInProgress: this.running.size,
      throttledMsTotal: this.throttle.throttledMs,
    };
  }

  /**
   * Every registered log that needs cleaning now, dirtiest first; refreshes each log's dirty ratio and the
   * maximum on the way (the metrics show them even while nothing is cleanable).
   */
  private cleanableLogs(): Candidate[] {
    const nowMs = this.clock.nowMs();
    const wallMs = this.clock.wallMs();
    const candidates: Candidate[] = [];
    let maxDirtyRatio = 0;
    for (const [key, registration] of this.registrations) {
      if (registration.skipUntilMs > nowMs) {
        maxDirtyRatio = Math.max(maxDirtyRatio, registration.dirtyRatio ?? 0);
        continue;
      }
      let candidate: Candidate | null;
      try {
        candidate = this.checkLog(key, registration, wallMs);
      } catch (error) {
        this.cleanFailed(key, registration, error);
        continue;
      }
      if (registration.dirtyRatio !== undefined)
        maxDirtyRatio = Math.max(maxDirtyRatio, registration.dirtyRatio);
      if (candidate === null || this.running.has(key)) continue;
      candidates.push(candidate);
    }
    this.maxDirtyRatio = maxDirtyRatio;
    return candidates.sort((a, b) => b.dirtyRatio - a.dirtyRatio);
  }

  /** The log as a candidate when it needs cleaning now (plan.ts needsCleaning: the ratio, or overdue). */
  private checkLog(key: string, registration: Registration, wallMs: number): Candidate | null {
    const upperBoundOffset = registration.upperBound();
    assert(
      Number.isSafeInteger(upperBoundOffset) && upperBoundOffset >= 0,
      () => `the cleaning upper bound of ${key} (${upperBoundOffset}) is an offset`,
    );
    const state = registration.log.cleanableState(wallMs, upperBoundOffset);
    registration.dirtyRatio = state?.dirtyRatio;
    if (state === null) return null;
    assert(state.dirtyRatio >= 0 && state.dirtyRatio <= 1, () => `dirty ratio of ${key} is a ratio`);
    if (!needsCleaning(state, registration.log.currentConfig.minCleanableDirtyRatio)) return null;
    return { key, registration, upperBoundOffset, dirtyRatio: state.dirtyRatio };
  }

  private startClean(candidate: Candidate): void {
    const { key, registration } = candidate;
    assert(!this.running.has(key), () => `one clean of ${key} at a time`);
    assert(this.running.size < this.threads, 'cleans in progress stay within the threads');
    const controller = new AbortController();
    const startedMs = this.clock.nowMs();
    const cleaning = registration.log.clean({
      nowMs: this.clock.wallMs(),
      upperBoundOffset: candidate.upperBoundOffset,
      throttle: (bytes) => this.throttle.throttle(bytes, controller.signal),
      onIo: (bytesRead, bytesWritten) => {
        this.totals.bytesRead += bytesRead;
        this.totals.bytesWritten += bytesWritten;
      },
      signal: controller.signal,
    });
    const done = cleaning.then(
      (result) => this.cleanDone(key, result, startedMs),
      (error: unknown) => {
        if (controller.signal.aborted) {
          this.logger('info', 'log cleaning aborted', { log: key });
          return;
        }
        this.cleanFailed(key, registration, error);
      },
    );
    const finished = done.finally(() => {
      this.running.delete(key);
      // Kafka's cleaner thread loops without sleeping while it finds work.
      if (this.state === 'started') this.tick();
    });
    this.running.set(key, { controller, done: finished });
  }

  private cleanDone(key: string, result: CleanResult, startedMs: number): void {
    const durationMs = this.clock.nowMs() - startedMs;
    this.totals.recordsRemoved += result.recordsRemoved;
    this.totals.cleans++;
    this.lastCleanDurationMs = durationMs;
    this.lastCleanWallMs = this.clock.wallMs();
    this.logger('info', 'log cleaned', { log: key, durationMs, ...result });
  }

  private cleanFailed(key: string, registration: Registration, error: unknown): void {
    this.totals.errors++;
    registration.skipUntilMs = this.clock.nowMs() + this.backoffMs;
    this.logger('error', 'log cleaning failed; skipping the log for a backoff', {
      log: key,
      backoffMs: this.backoffMs,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

function checkSetting(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new TributaryError(
      'INVALID_CONFIG',
      `log cleaner ${name} must be an integer in [${min}, ${max}], got ${value}`,
    );
  }
  return value;
}
