import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A directory under os.tmpdir() that the harness removes on cleanup (and, as a last resort, at exit). */
export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

const liveTempDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test run that crashes past its afterAll still leaves no directories behind.
  process.once('exit', () => {
    for (const path of liveTempDirs) rmSync(path, { recursive: true, force: true });
  });
}

const PREFIX_PATTERN = /^[a-zA-Z0-9._-]{1,64}$/;

export async function makeTempDir(prefix: string): Promise<TempDir> {
  if (!PREFIX_PATTERN.test(prefix)) throw new RangeError(`makeTempDir: bad prefix "${prefix}"`);
  installExitHook();
  const path = await mkdtemp(join(tmpdir(), `${prefix}-`));
  liveTempDirs.add(path);
  return {
    path,
    async remove() {
      await rm(path, { recursive: true, force: true });
      liveTempDirs.delete(path);
    },
  };
}

/** Temp dirs made by this process and not yet removed (for tests of the harness itself). */
export function liveTempDirCount(): number {
  return liveTempDirs.size;
}
