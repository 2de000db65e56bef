import { HARNESS_LIMITS } from './limits.js';

export function sleep(durationMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, durationMs));
}

export interface WaitForOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
}

/** Thrown by waitFor when the condition did not hold in time; says what was awaited and the last state seen. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/** Thrown by a probe to stop waitFor at once: waiting longer cannot help (the process died). */
export class WaitAbortedError extends Error {
  override readonly name = 'WaitAbortedError';
}

/**
 * Polls `probe` until it returns a value other than undefined, at most `timeoutMs`. A probe that throws
 * counts as "not yet" (a process may be starting); the last error or description goes into the timeout
 * message so the failure says what was seen. A probe that throws WaitAbortedError ends the wait at once.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: WaitForOptions,
): Promise<T> {
  const intervalMs = options.intervalMs ?? HARNESS_LIMITS.pollIntervalMs;
  const deadline = performance.now() + options.timeoutMs;
  let lastProblem = 'never probed';
  // The count bound backs up the time bound (a probe that returns at once still sleeps intervalMs).
  const attemptsMax = Math.ceil(options.timeoutMs / Math.max(1, intervalMs)) + 1;
  for (let attempt = 0; attempt < attemptsMax; attempt++) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastProblem = 'condition not met';
    } catch (error) {
      if (error instanceof WaitAbortedError) {
        throw new WaitAbortedError(`gave up waiting for ${what}: ${error.message}`, { cause: error });
      }
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (performance.now() >= deadline) break;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - performance.now())));
  }
  throw new WaitTimeoutError(
    `timed out after ${options.timeoutMs} ms waiting for ${what} (last: ${lastProblem})`,
  );
}
