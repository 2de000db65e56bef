/**
 * The per-process wall clock offset reaches a real process (issue 16 item 3): a controller started with its
 * offset file a day ahead stamps its log lines a day ahead (pino reads Date.now), and after the file is set
 * ten minutes back while it runs, its next line (a SIGHUP reload) is stamped ten minutes back. This is what
 * the chaos suite's clock nemesis relies on.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ControllerProcess } from './controller-process.js';
import { freePorts } from './ports.js';
import { makeTempDir, type TempDir } from './temp-dir.js';
import { waitFor } from './wait.js';
import { setWallClockOffset } from './wall-clock-offset.js';

const DAY_MS = 86_400_000;
/** Loose enough for a loaded machine: the line was written at most this long before it is read. */
const SLACK_MS = 60_000;

let temp: TempDir | undefined;
let controller: ControllerProcess | undefined;

afterEach(async () => {
  await controller?.kill('SIGKILL');
  await temp?.remove();
});

/** The `time` of every JSON log line whose message is `msg` (pino's epoch ms). */
function stampedAt(node: ControllerProcess, msg: string): number[] {
  return node.output
    .tail()
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { time?: number; msg?: string })
    .filter((entry) => entry.msg === msg && typeof entry.time === 'number')
    .map((entry) => entry.time as number);
}

describe('the wall clock offset file', () => {
  it('moves a real process’s wall clock, before start and while it runs', async () => {
    temp = await makeTempDir('tributary-wall-clock-');
    const [port] = await freePorts(1);
    if (port === undefined) throw new Error('a free port');
    const dataDir = join(temp.path, 'c1');
    await setWallClockOffset(dataDir, DAY_MS);
    controller = new ControllerProcess({ nodeId: 1, port, dataDir, voters: `1@127.0.0.1:${port}` });
    controller.start();
    await controller.waitReady();
    const lines = controller.output.tail().filter((line) => line.startsWith('{'));
    const times = lines.map((line) => (JSON.parse(line) as { time?: number }).time ?? 0);
    expect(times.length, controller.output.tail().join('\n')).toBeGreaterThan(0);
    for (const time of times) {
      expect(time - Date.now()).toBeGreaterThan(DAY_MS - SLACK_MS);
      expect(time - Date.now()).toBeLessThan(DAY_MS + SLACK_MS);
    }
    await setWallClockOffset(dataDir, -10 * 60_000);
    // The process polls the file; each SIGHUP logs a line stamped by its clock of the moment.
    const backMs = await waitFor(
      'a log line stamped ten minutes back',
      async () => {
        controller?.process.hangUp();
        await new Promise((resolve) => setTimeout(resolve, 100));
        const stamps = controller === undefined ? [] : stampedAt(controller, 'reloading');
        const last = stamps[stamps.length - 1];
        return last !== undefined && last < Date.now() - 5 * 60_000 ? last : undefined;
      },
      { timeoutMs: 10_000 },
    );
    expect(Date.now() - backMs).toBeGreaterThan(10 * 60_000 - SLACK_MS);
    expect(Date.now() - backMs).toBeLessThan(10 * 60_000 + SLACK_MS);
  }, 60_000);
});
