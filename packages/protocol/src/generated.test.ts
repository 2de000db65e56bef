import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe('src/generated', () => {
  it('is what `npm run gen` produces from the current protos', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tributary-gen-'));
    try {
      const result = spawnSync(process.execPath, ['scripts/gen-types.mjs', outDir], {
        cwd: packageDir,
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const committedDir = join(packageDir, 'src/generated');
      const fresh = listFiles(outDir);
      expect(
        listFiles(committedDir),
        'generated file list differs: run `npm run gen -w @tributary/protocol`',
      ).toEqual(fresh);
      for (const file of fresh) {
        const committed = readFileSync(join(committedDir, file), 'utf8');
        expect(committed, `${file} is stale: run \`npm run gen -w @tributary/protocol\``).toBe(
          readFileSync(join(outDir, file), 'utf8'),
        );
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
