/**
 * Test-only disk fault injection for real broker processes (issue 16): with TRIBUTARY_TEST_MODE=1,
 * TRIBUTARY_TEST_FAIL_LOG_DIR=<dir>:<after-bytes>:<errno> makes every segment write and fsync under `dir`
 * fail with `errno` once `after-bytes` bytes have been written there, as a disk filling up or failing would,
 * deterministically and without root (no loop mount or tmpfs). Without TRIBUTARY_TEST_MODE=1 the variable is
 * refused, so that a stray setting can never fail a production broker's disk.
 */
import { resolve, sep } from 'node:path';
import { ConfigError, type Env } from '@tributary/core/config';
import { setStorageFaultHook } from '@tributary/log';

export const TEST_MODE_ENV = 'TRIBUTARY_TEST_MODE';
export const TEST_FAIL_LOG_DIR_ENV = 'TRIBUTARY_TEST_FAIL_LOG_DIR';

/** The errors a test may inject: what a full, failing, read-only or locked-out disk answers. */
const INJECTABLE_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EIO', 'EROFS', 'EACCES', 'EDQUOT']);

export interface LogDirFault {
  /** Absolute: writes to files under it fail. */
  readonly dir: string;
  /** Bytes written under `dir` before the first failure (0: the first write fails). */
  readonly afterBytes: number;
  readonly code: string;
}

/** Parses `<dir>:<after-bytes>:<errno>` (the dir may hold ':'; the last two fields are split off). */
export function parseLogDirFault(text: string): LogDirFault {
  const fields = text.split(':');
  const code = fields.pop() ?? '';
  const afterBytesText = fields.pop() ?? '';
  const dir = fields.join(':');
  if (dir === '' || !/^\d+$/.test(afterBytesText) || !INJECTABLE_CODES.has(code)) {
    throw new ConfigError(
      `${TEST_FAIL_LOG_DIR_ENV} must be <dir>:<after-bytes>:<errno> with errno one of ${[...INJECTABLE_CODES].join(', ')}, got ${JSON.stringify(text)}`,
    );
  }
  return { dir: resolve(dir), afterBytes: Number(afterBytesText), code };
}

/**
 * Installs the fault the environment asks for, if any (ConfigError when it is malformed, or set without test
 * mode); returns it, or null. The hook counts bytes per process: one broker per process.
 */
export function installLogDirFault(env: Env): LogDirFault | null {
  const text = env[TEST_FAIL_LOG_DIR_ENV];
  if (text === undefined || text === '') return null;
  if (env[TEST_MODE_ENV] !== '1') {
    throw new ConfigError(`${TEST_FAIL_LOG_DIR_ENV} is test-only: it is refused unless ${TEST_MODE_ENV}=1`);
  }
  const fault = parseLogDirFault(text);
  const prefix = fault.dir + sep;
  let writtenBytes = 0;
  setStorageFaultHook((path, operation, bytes) => {
    if (!path.startsWith(prefix)) return;
    if (writtenBytes + bytes > fault.afterBytes) {
      throw Object.assign(
        new Error(`${fault.code}: injected by ${TEST_FAIL_LOG_DIR_ENV}, ${operation} '${path}'`),
        {
          code: fault.code,
        },
      );
    }
    if (operation === 'write') writtenBytes += bytes;
  });
  return fault;
}
