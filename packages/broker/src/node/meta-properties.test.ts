import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkMetaProperties,
  ensureMetaProperties,
  formatMetaProperties,
  META_PROPERTIES_FILE,
  parseMetaProperties,
} from './meta-properties.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'meta-properties-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('meta.properties', () => {
  it('round-trips, and a file missing a key or of another version is malformed', () => {
    const meta = { nodeId: 3, directoryId: 'd-1', clusterId: 'c-1' };
    expect(parseMetaProperties(formatMetaProperties(meta))).toEqual(meta);
    expect(parseMetaProperties('version=1\nnode.id=3\n')).toBeNull();
    expect(parseMetaProperties('version=2\nnode.id=3\ndirectory.id=d\n')).toBeNull();
    expect(parseMetaProperties('garbage')).toBeNull();
  });

  it('refuses another node, another cluster and a copied directory, naming the directory', () => {
    const of = (entries: [string, { nodeId: number; directoryId: string; clusterId?: string }][]) =>
      new Map(entries);
    expect(checkMetaProperties(of([['/a', { nodeId: 2, directoryId: 'x' }]]), 1, undefined)).toMatch(
      '/a belongs to node 2, not to node 1',
    );
    const twoClusters = of([
      ['/a', { nodeId: 1, directoryId: 'x', clusterId: 'c1' }],
      ['/b', { nodeId: 1, directoryId: 'y', clusterId: 'c2' }],
    ]);
    expect(checkMetaProperties(twoClusters, 1, undefined)).toMatch(
      '/b belongs to cluster c2, /a to cluster c1',
    );
    const copied = of([
      ['/a', { nodeId: 1, directoryId: 'x' }],
      ['/b', { nodeId: 1, directoryId: 'x' }],
    ]);
    expect(checkMetaProperties(copied, 1, undefined)).toMatch('/a and /b have the same directory.id');
    expect(
      checkMetaProperties(of([['/a', { nodeId: 1, directoryId: 'x', clusterId: 'c' }]]), 1, 'c'),
    ).toBeNull();
  });

  it('writes the missing files with distinct directory ids and refuses a directory of another broker', async () => {
    const [a, b] = [join(root, 'a'), join(root, 'b')];
    const first = await ensureMetaProperties([a], 1, undefined);
    const second = await ensureMetaProperties([a, b], 1, undefined);
    expect(second.get(a)).toEqual(first.get(a));
    expect(second.get(b)?.directoryId).not.toBe(second.get(a)?.directoryId);
    expect(await readFile(join(b, META_PROPERTIES_FILE), 'utf8')).toContain('node.id=1');
    await expect(ensureMetaProperties([a, b], 2, undefined)).rejects.toThrow(
      'belongs to node 1, not to node 2',
    );
    await writeFile(join(b, META_PROPERTIES_FILE), 'broken');
    await expect(ensureMetaProperties([a, b], 1, undefined)).rejects.toThrow('is malformed');
  });
});
