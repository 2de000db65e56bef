import { describe, expect, it } from 'vitest';
import { SimulatedDisk } from './simulated-disk.js';

async function fileWith(disk: SimulatedDisk, path: string, text: string): Promise<void> {
  const file = await disk.open(path, 'w+');
  await file.writeAll(text);
  await file.close();
}

async function text(disk: SimulatedDisk, path: string): Promise<string | null> {
  try {
    return (await disk.readFile(path)).toString();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

describe('SimulatedDisk', () => {
  it('shows every change at once and loses what no fsync made durable', async () => {
    const disk = new SimulatedDisk({ seed: 1 });
    await disk.mkdirRecursive('/d');
    await fileWith(disk, '/d/a', 'hello');
    expect(await text(disk, '/d/a')).toBe('hello');
    disk.crash();
    // Neither the directory nor the file was ever synced into its parent.
    await expect(disk.readdir('/d')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps fsynced data only under a name its directory fsync made durable', async () => {
    const disk = new SimulatedDisk({ seed: 2 });
    await disk.mkdirRecursive('/d');
    await disk.syncDirectory('/');
    const file = await disk.open('/d/a', 'w+');
    await file.writeAll('synced');
    await file.datasync();
    disk.crash();
    expect(await text(disk, '/d/a')).toBeNull(); // data durable, name not: lost
    const again = await disk.open('/d/a', 'w+');
    await again.writeAll('synced');
    await again.datasync();
    await disk.syncDirectory('/d');
    await again.write(Buffer.from(' and more'), 0, 9, 6);
    expect(await text(disk, '/d/a')).toBe('synced and more');
    disk.crash();
    expect(await text(disk, '/d/a')).toBe('synced');
    expect(() => again.readSync(Buffer.alloc(1), 0, 1, 0)).toThrow(/EIO/);
    await again.close();
  });

  it('undoes renames and unlinks that no directory fsync made durable, and keeps the ones it did', async () => {
    const disk = new SimulatedDisk({ seed: 3 });
    await disk.mkdirRecursive('/d');
    await disk.syncDirectory('/');
    for (const name of ['a', 'b', 'c']) {
      const file = await disk.open(`/d/${name}`, 'w+');
      await file.writeAll(name);
      await file.sync();
      await file.close();
    }
    await disk.syncDirectory('/d');
    await disk.rename('/d/a', '/d/a2');
    await disk.rm('/d/b');
    await disk.syncDirectory('/d');
    await disk.rename('/d/c', '/d/c2');
    await disk.rm('/d/a2');
    disk.crash();
    expect(await disk.readdir('/d')).toEqual(['a2', 'c']);
    expect(await text(disk, '/d/a2')).toBe('a');
  });

  it('undoes an unsynced truncation', async () => {
    const disk = new SimulatedDisk({ seed: 4 });
    const file = await disk.open('/f', 'w+');
    await file.writeAll('0123456789');
    await file.datasync();
    await disk.syncDirectory('/');
    await file.truncate(3);
    expect(await text(disk, '/f')).toBe('012');
    disk.crash();
    expect(await text(disk, '/f')).toBe('0123456789');
  });

  it('with torn writes keeps an in-order part of the unsynced changes, the first lost one maybe in part, replayably', async () => {
    const outcomes = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const run = async (): Promise<string> => {
        const disk = new SimulatedDisk({ seed });
        await disk.syncDirectory('/');
        const file = await disk.open('/f', 'w+');
        await file.writeAll('base|');
        await file.sync();
        await disk.syncDirectory('/');
        await file.write(Buffer.from('first|'), 0, 6, 5);
        await file.write(Buffer.from('second'), 0, 6, 11);
        disk.crash({ tornWrites: true });
        return (await text(disk, '/f')) ?? '';
      };
      const content = await run();
      expect(await run()).toBe(content); // the same seed, the same crash
      // Always a prefix of what was written, never less than what was synced.
      expect('base|first|second'.startsWith(content)).toBe(true);
      expect(content.startsWith('base|')).toBe(true);
      outcomes.add(content);
    }
    expect(outcomes.has('base|')).toBe(true);
    expect(outcomes.has('base|first|second')).toBe(true);
    expect([...outcomes].some((content) => content.length > 5 && content.length < 11)).toBe(true);
  });

  it('loses power right after the chosen fsync and stays off until powered on', async () => {
    const disk = new SimulatedDisk({ seed: 6 });
    const file = await disk.open('/f', 'w+');
    await disk.syncDirectory('/');
    disk.crashAtSync(2);
    await file.writeAll('one');
    await file.datasync(); // the first: the power stays on
    await file.write(Buffer.from('two'), 0, 3, 3);
    await file.datasync(); // the second completes, then the power goes
    expect(disk.poweredOff).toBe(true);
    await expect(disk.readFile('/f')).rejects.toMatchObject({ code: 'EIO' });
    await expect(file.stat()).rejects.toMatchObject({ code: 'EIO' });
    disk.powerOn();
    expect(await text(disk, '/f')).toBe('onetwo');
    expect(disk.counters.crashes).toBe(1);
  });

  it('injects ENOSPC, EIO and EROFS on chosen operations and paths, as many times as asked', async () => {
    const disk = new SimulatedDisk({ seed: 5 });
    await disk.mkdirRecursive('/d');
    const file = await disk.open('/d/x.log', 'w+');
    disk.injectFault({ operations: ['write'], pathIncludes: '.log', code: 'ENOSPC', count: 1 });
    expect(() => file.writeSync(Buffer.from('a'), 0, 1, 0)).toThrow(/ENOSPC/);
    expect(file.writeSync(Buffer.from('a'), 0, 1, 0)).toBe(1);
    const removeFsync = disk.injectFault({ operations: ['datasync', 'fsync'], code: 'EIO' });
    await expect(file.datasync()).rejects.toMatchObject({ code: 'EIO' });
    removeFsync();
    await file.datasync();
    disk.injectFault({ operations: ['rename', 'writeFile'], code: 'EROFS' });
    await expect(disk.rename('/d/x.log', '/d/y.log')).rejects.toMatchObject({ code: 'EROFS' });
    await expect(disk.writeFile('/d/z', 'z')).rejects.toMatchObject({ code: 'EROFS' });
    disk.clearFaults();
    await disk.writeFile('/d/z', 'z');
    expect(disk.counters.fileSyncs).toBe(1);
  });
});
