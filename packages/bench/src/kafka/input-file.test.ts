import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordLines, writeRecordFile } from './input-file.js';

describe('the kcat input file', () => {
  it('holds one alphanumeric value of the given size per line, the same for the same seed', () => {
    const lines = recordLines(12, 500, 100).toString('latin1').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(500);
    for (const line of lines) expect(line).toMatch(/^[A-Za-z0-9]{100}$/);
    expect(new Set(lines).size).toBe(500);
    // Buffer.equals, not toEqual: a deep compare walks every byte as an element.
    expect(recordLines(12, 500, 100).equals(recordLines(12, 500, 100))).toBe(true);
    expect(recordLines(13, 500, 100).equals(recordLines(12, 500, 100))).toBe(false);
  });

  it('writes the same bytes to a file across chunk boundaries', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kafka-bench-input-'));
    try {
      const path = join(dir, 'values.txt');
      await writeRecordFile(path, { seed: 5, count: 25_001, valueBytes: 20 });
      expect((await readFile(path)).equals(recordLines(5, 25_001, 20))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
