import { join, resolve } from 'node:path';
import { checkStorageFault, setStorageFaultHook } from '@tributary/log';
import { afterEach, describe, expect, it } from 'vitest';
import { installLogDirFault, parseLogDirFault } from './test-faults.js';

afterEach(() => {
  setStorageFaultHook(null);
});

describe('test-only log directory faults', () => {
  it('parses <dir>:<after-bytes>:<errno>, the dir possibly holding colons', () => {
    expect(parseLogDirFault('/d/b1:4096:ENOSPC')).toEqual({ dir: '/d/b1', afterBytes: 4096, code: 'ENOSPC' });
    expect(parseLogDirFault('/d/a:b:0:EIO')).toEqual({ dir: '/d/a:b', afterBytes: 0, code: 'EIO' });
    expect(parseLogDirFault('rel:1:EROFS').dir).toBe(resolve('rel'));
    for (const bad of ['/d:x:EIO', '/d:1:ENOENT', ':1:EIO', 'nothing']) {
      expect(() => parseLogDirFault(bad)).toThrow('TRIBUTARY_TEST_FAIL_LOG_DIR must be');
    }
  });

  it('is refused without test mode, and absent without the variable', () => {
    expect(installLogDirFault({})).toBeNull();
    expect(() => installLogDirFault({ TRIBUTARY_TEST_FAIL_LOG_DIR: '/d:0:EIO' })).toThrow(
      'refused unless TRIBUTARY_TEST_MODE=1',
    );
  });

  it('fails writes and syncs under the directory once the bytes are written, and nothing elsewhere', () => {
    installLogDirFault({ TRIBUTARY_TEST_MODE: '1', TRIBUTARY_TEST_FAIL_LOG_DIR: '/d/b1-disk2:100:ENOSPC' });
    const inside = join('/d/b1-disk2', 'logs', 'orders-0', '00000000000000000000.log');
    checkStorageFault(inside, 'write', 60);
    checkStorageFault(inside, 'write', 40);
    checkStorageFault(inside, 'sync', 0);
    expect(() => checkStorageFault(inside, 'write', 1)).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    checkStorageFault('/d/b1-disk2-other/logs/x-0/0.log', 'write', 1_000);
    checkStorageFault('/d/b1/logs/x-0/0.log', 'write', 1_000);
  });
});
