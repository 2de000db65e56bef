import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseLogDir, isDiskError, LogDirectories, LogDirOfflineError } from './log-dirs.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'log-dirs-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('chooseLogDir', () => {
  it('picks the online directory with the fewest partitions, the first on a tie', () => {
    expect(
      chooseLogDir([
        { online: true, partitions: 3 },
        { online: true, partitions: 1 },
      ]),
    ).toBe(1);
    expect(
      chooseLogDir([
        { online: true, partitions: 2 },
        { online: true, partitions: 2 },
      ]),
    ).toBe(0);
    expect(
      chooseLogDir([
        { online: false, partitions: 0 },
        { online: true, partitions: 9 },
      ]),
    ).toBe(1);
    expect(chooseLogDir([{ online: false, partitions: 0 }])).toBeNull();
    expect(chooseLogDir([])).toBeNull();
  });
});

describe('isDiskError', () => {
  it('is true for the errno codes of a failing disk only', () => {
    const errno = (code: string) => Object.assign(new Error(code), { code });
    for (const code of ['ENOSPC', 'EIO', 'EROFS', 'EACCES', 'EDQUOT'])
      expect(isDiskError(errno(code))).toBe(true);
    expect(isDiskError(errno('ENOENT'))).toBe(false);
    expect(isDiskError(new Error('no code'))).toBe(false);
    expect(isDiskError('ENOSPC')).toBe(false);
  });
});

describe('LogDirectories', () => {
  it('finds existing partitions where they are and spreads new ones over the least loaded directory', async () => {
    const [a, b] = [join(root, 'a'), join(root, 'b')];
    await mkdir(join(a, 'orders-0'), { recursive: true });
    await mkdir(join(a, 'orders-1'), { recursive: true });
    await mkdir(join(b, 'payments-0'), { recursive: true });
    await mkdir(b, { recursive: true });
    await writeFile(join(a, 'replication-offset-checkpoint'), 'not a partition');
    const dirs = await LogDirectories.open([a, b]);
    expect(dirs.dirOf('orders-1')).toBe(a);
    expect(dirs.place('payments-0')).toBe(b);
    expect(dirs.place('new-0')).toBe(b); // b holds 1, a holds 2
    expect(dirs.place('new-1')).toBe(a); // a tie (2 and 2): the first listed
    expect(dirs.dirOf('new-0')).toBe(b);
    dirs.release('new-0');
    expect(dirs.dirOf('new-0')).toBeUndefined();
    expect(dirs.status().map((dir) => dir.partitions)).toEqual([3, 1]);
  });

  it('refuses a partition in two directories, naming both, and a directory listed twice', async () => {
    const [a, b] = [join(root, 'a'), join(root, 'b')];
    await mkdir(join(a, 'orders-0'), { recursive: true });
    await mkdir(join(b, 'orders-0'), { recursive: true });
    await expect(LogDirectories.open([a, b])).rejects.toThrow(
      `partition orders-0 is in two log directories: ${a} and ${b}`,
    );
    await expect(LogDirectories.open([a, a])).rejects.toThrow(`log directory ${a} is listed twice`);
  });

  it('refuses a directory it cannot use, naming it', async () => {
    const file = join(root, 'file');
    await writeFile(file, 'x');
    await expect(LogDirectories.open([join(file, 'logs')])).rejects.toThrow(
      `log directory ${join(file, 'logs')}`,
    );
  });

  it('takes a directory offline once: its partitions stay there, new ones go elsewhere', async () => {
    const [a, b] = [join(root, 'a'), join(root, 'b')];
    const dirs = await LogDirectories.open([a, b]);
    expect(dirs.place('x-0')).toBe(a);
    expect(dirs.place('y-0')).toBe(b);
    expect(dirs.markOffline(b, 'ENOSPC')).toEqual(['y-0']);
    expect(dirs.markOffline(b, 'EIO')).toBeNull();
    expect(() => dirs.place('y-0')).toThrow(LogDirOfflineError);
    expect(dirs.offlineDirOf('y-0')).toBe(b);
    expect(dirs.offlineDirOf('x-0')).toBeUndefined();
    expect([...dirs.offlinePartitionKeys()]).toEqual(['y-0']);
    expect(dirs.place('z-0')).toBe(a); // b has fewer partitions but is offline
    expect(dirs.offlineCount).toBe(1);
    expect(dirs.allOffline).toBe(false);
    expect(dirs.status()[1]).toMatchObject({ online: false, error: 'ENOSPC' });
    dirs.markOffline(a, 'EIO');
    expect(dirs.allOffline).toBe(true);
    expect(() => dirs.place('w-0')).toThrow('every log directory is offline');
  });
});
