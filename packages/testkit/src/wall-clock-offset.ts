/**
 * The harness's side of the per-process wall clock offset (packages/core test-wall-clock.ts): every broker and
 * controller process it starts reads its offset from the file beside its data directory, and the clock nemesis
 * writes that file to jump the process's wall clock forwards or backwards while it runs.
 */
import { rename, writeFile } from 'node:fs/promises';
import { assert } from '@tributary/core';

/** Beside the data directory, not in it: the broker's log directory scan never meets it. */
export function wallClockOffsetFile(dataDir: string): string {
  return `${dataDir}.wall-clock-offset-ms`;
}

/**
 * Sets the offset of the process whose data directory is `dataDir` (0: its real wall clock). Written to a
 * temporary file then renamed, so the process never reads half a number; it takes effect within
 * TEST_WALL_CLOCK_POLL_MS, and from its next start if the process is down.
 */
export async function setWallClockOffset(dataDir: string, offsetMs: number): Promise<void> {
  assert(Number.isSafeInteger(offsetMs), () => `wall clock offset ${offsetMs} is an integer number of ms`);
  const path = wallClockOffsetFile(dataDir);
  await writeFile(`${path}.tmp`, `${offsetMs}\n`);
  await rename(`${path}.tmp`, path);
}
