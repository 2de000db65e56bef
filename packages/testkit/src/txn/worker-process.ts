/**
 * The transaction tests' own child processes (pipeline-worker.js, zombie-producer.js, built into dist/txn)
 * as ManagedProcesses, so that they are SIGKILLed, paused and dumped like brokers, and the JSON events they
 * print, read back from the process's bounded output buffer.
 */
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '../managed-process.js';
import { WaitAbortedError, waitFor } from '../wait.js';
import { TXN_E2E_LIMITS } from './limits.js';

export type WorkerName = 'pipeline-worker' | 'zombie-producer';

/** The built script (the test runs from src or dist; both resolve to dist/txn). */
export function workerBinPath(name: WorkerName): string {
  return fileURLToPath(new URL(`../../dist/txn/${name}.js`, import.meta.url));
}

export function workerProcess(name: WorkerName, tag: string, args: readonly string[]): ManagedProcess {
  return new ManagedProcess({ name: `${name} ${tag}`, tag, binPath: workerBinPath(name), args: () => args });
}

export interface WorkerEvent {
  readonly event: string;
  readonly [field: string]: unknown;
}

/** Every JSON event line still in the process's output buffer, oldest first. */
export function workerEvents(worker: ManagedProcess): WorkerEvent[] {
  const events: WorkerEvent[] = [];
  for (const line of worker.output.tail()) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed === 'object' && parsed !== null && 'event' in parsed)
        events.push(parsed as WorkerEvent);
    } catch {
      // A line cut by the buffer's line limit: not an event.
    }
  }
  return events;
}

/** Waits for the worker to print `event` (fails at once if the worker exits without printing it). */
export function waitForEvent(worker: ManagedProcess, event: string): Promise<WorkerEvent> {
  return waitFor(
    `${worker.name} to print ${event}`,
    async () => {
      const found = workerEvents(worker).find((e) => e.event === event);
      if (found !== undefined) return found;
      if (!worker.isRunning)
        throw new WaitAbortedError(`${worker.name} exited: ${JSON.stringify(worker.exitStatus)}`);
      return undefined;
    },
    { timeoutMs: TXN_E2E_LIMITS.workerStepTimeoutMs },
  );
}
