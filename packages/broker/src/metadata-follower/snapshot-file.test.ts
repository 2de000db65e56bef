import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetadataDelta, MetadataImage } from '@tributary/metadata';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotChanges } from './snapshot-changes.js';
import { readSnapshotFile, SNAPSHOT_FILE_NAME, writeSnapshotFile } from './snapshot-file.js';

function imageWithTopic(name: string, offset: number): MetadataImage {
  const delta = new MetadataDelta(MetadataImage.EMPTY);
  delta.replay({ type: 'Topic', topicId: `id-${name}`, name }, offset);
  return delta.apply();
}

describe('the snapshot file', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('round-trips an image, is absent before the first write, and ignores a torn temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trib-mf-file-'));
    dirs.push(dir);
    expect(await readSnapshotFile(dir)).toBeNull();
    await writeSnapshotFile(dir, imageWithTopic('orders', 7));
    await writeFile(join(dir, `${SNAPSHOT_FILE_NAME}.tmp`), 'half a write');
    const image = await readSnapshotFile(dir);
    expect(image?.offset).toBe(7);
    expect(image?.topicsByName.has('orders')).toBe(true);
    expect(await readdir(dir)).toEqual([SNAPSHOT_FILE_NAME]);
  });

  it('refuses a corrupt file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trib-mf-file-'));
    dirs.push(dir);
    await writeFile(join(dir, SNAPSHOT_FILE_NAME), 'not a snapshot');
    await expect(readSnapshotFile(dir)).rejects.toThrow();
  });
});

describe('snapshotChanges', () => {
  it('reports topics created and removed between two whole images', () => {
    const previous = imageWithTopic('old', 3);
    const next = imageWithTopic('new', 9);
    const changes = snapshotChanges(previous, next);
    expect([...changes.createdTopics]).toEqual(['id-new']);
    expect([...changes.removedTopics]).toEqual(['id-old']);
    expect(changes.brokers.size).toBe(0);
    expect(snapshotChanges(next, next).createdTopics.size).toBe(0);
  });
});
