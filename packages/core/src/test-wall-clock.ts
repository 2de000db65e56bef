/**
 * A test-only wall clock offset per process, for the chaos suite's clock nemesis (issue 16 item 3): when
 * TEST_TRIBUTARY_WALL_CLOCK_OFFSET_FILE names a file, the process's Date.now() (which systemClock.wallMs, pino,
 * grpc-js deadlines and every other wall clock reader in the process go through) returns the real wall clock
 * plus the integer number of ms the file holds, re-read whenever the file changes. The monotonic clock
 * (performance.now) is left alone, as a real clock step leaves CLOCK_MONOTONIC alone.
 *
 * An LD_PRELOAD clock-faking library could do this from outside the process, but the project installs none and
 * the suite must run on a fresh machine, so the offset is injected here instead (docs/decisions.md). Without the variable nothing is installed: production
 * processes never read the file. The name stays outside the TRIBUTARY_ prefix, whose unknown names the
 * processes' config parsers refuse. `new Date()` without arguments reads the real clock (V8 does not call
 * Date.now for it); nothing on a broker's or controller's data path does that.
 */
import { readFileSync, unwatchFile, watchFile } from 'node:fs';

export const TEST_WALL_CLOCK_OFFSET_ENV = 'TEST_TRIBUTARY_WALL_CLOCK_OFFSET_FILE';

/** How often the file's change time is polled (fs.watchFile): a jump takes effect within about this long. */
export const TEST_WALL_CLOCK_POLL_MS = 50;

/** The largest offset accepted either way: ten years, far past any jump a test means. */
const OFFSET_MS_MAX = 10 * 366 * 24 * 60 * 60 * 1000;

/** The offset a file's text holds: an integer number of ms (empty or missing: 0); anything else is an error. */
export function parseWallClockOffsetMs(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  const offsetMs = Number(trimmed);
  if (!/^-?\d+$/.test(trimmed) || !Number.isSafeInteger(offsetMs) || Math.abs(offsetMs) > OFFSET_MS_MAX) {
    throw new RangeError(
      `wall clock offset ${JSON.stringify(trimmed)} is not an integer number of ms within ±10 years`,
    );
  }
  return offsetMs;
}

function readOffsetMs(path: string): number {
  try {
    return parseWallClockOffsetMs(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

export interface InstalledWallClockOffset {
  /** The offset now in force, in ms. */
  offsetMs(): number;
  /** Puts Date.now back and stops watching the file. */
  uninstall(): void;
}

/**
 * Installs the offset when `env` names a file (see the module comment); returns null otherwise. A file that
 * holds something other than an offset throws at install and is ignored (offset kept) on later changes: a test
 * harness bug must not crash the process under test mid-run.
 */
export function installTestWallClockOffset(env: NodeJS.ProcessEnv): InstalledWallClockOffset | null {
  const path = env[TEST_WALL_CLOCK_OFFSET_ENV];
  if (path === undefined || path === '') return null;
  const realNow = Date.now;
  let offsetMs = readOffsetMs(path);
  Date.now = () => realNow() + offsetMs;
  const onChange = (): void => {
    try {
      offsetMs = readOffsetMs(path);
    } catch {
      // Kept: see above.
    }
  };
  // persistent: false, so the watch never keeps a process alive that would otherwise exit.
  watchFile(path, { interval: TEST_WALL_CLOCK_POLL_MS, persistent: false }, onChange);
  return {
    offsetMs: () => offsetMs,
    uninstall: () => {
      unwatchFile(path, onChange);
      Date.now = realNow;
    },
  };
}
