import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  installTestWallClockOffset,
  parseWallClockOffsetMs,
  TEST_WALL_CLOCK_OFFSET_ENV,
  TEST_WALL_CLOCK_POLL_MS,
} from './test-wall-clock.js';

const DAY_MS = 86_400_000;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function offsetFile(text: string | null): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-wall-clock-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'offset-ms');
  if (text !== null) await writeFile(path, text);
  return path;
}

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('the offset file change was not picked up in 5 s');
    await new Promise((resolve) => setTimeout(resolve, TEST_WALL_CLOCK_POLL_MS));
  }
}

describe('parseWallClockOffsetMs', () => {
  it.each([
    ['', 0],
    ['86400000\n', DAY_MS],
    ['-600000', -600_000],
  ])('%j is %d ms', (text, offsetMs) => {
    expect(parseWallClockOffsetMs(text)).toBe(offsetMs);
  });
  it.each(['1.5', 'a day', '1e3', String(20 * 366 * DAY_MS)])('refuses %j', (text) => {
    expect(() => parseWallClockOffsetMs(text)).toThrow(RangeError);
  });
});

describe('installTestWallClockOffset', () => {
  it('does nothing without the variable', () => {
    const before = Date.now;
    expect(installTestWallClockOffset({})).toBeNull();
    expect(Date.now).toBe(before);
  });

  it('moves Date.now by the file’s offset, follows changes, leaves performance.now alone, and uninstalls', async () => {
    const path = await offsetFile(String(DAY_MS));
    const realNow = Date.now;
    const installed = installTestWallClockOffset({ [TEST_WALL_CLOCK_OFFSET_ENV]: path });
    if (installed === null) throw new Error('installed with the variable set');
    cleanups.push(() => installed.uninstall());
    const monotonicBefore = performance.now();
    expect(Date.now() - realNow()).toBeGreaterThanOrEqual(DAY_MS - 5);
    expect(Date.now() - realNow()).toBeLessThanOrEqual(DAY_MS + 5);
    // Backwards, while the process runs.
    await writeFile(path, String(-10 * 60_000));
    await waitUntil(() => installed.offsetMs() === -600_000);
    expect(Math.abs(Date.now() - realNow() + 600_000)).toBeLessThanOrEqual(5);
    // Garbage is ignored (the offset stays); the monotonic clock never moved with any of it.
    await writeFile(path, 'not a number');
    await new Promise((resolve) => setTimeout(resolve, 4 * TEST_WALL_CLOCK_POLL_MS));
    expect(installed.offsetMs()).toBe(-600_000);
    expect(performance.now() - monotonicBefore).toBeLessThan(5_000);
    installed.uninstall();
    expect(Date.now).toBe(realNow);
  });

  it('starts at 0 when the file does not exist yet', async () => {
    const path = await offsetFile(null);
    const installed = installTestWallClockOffset({ [TEST_WALL_CLOCK_OFFSET_ENV]: path });
    cleanups.push(() => installed?.uninstall());
    expect(installed?.offsetMs()).toBe(0);
    await writeFile(path, String(DAY_MS));
    await waitUntil(() => installed?.offsetMs() === DAY_MS);
  });
});
