/**
 * The core is pure (STYLE.md rule 2): no wall clock, no ambient randomness, no timers, no Node I/O. The one
 * exception is the simulation's command line, an imperative shell: it imports `node:` modules and times runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('.', import.meta.url).pathname;
const FORBIDDEN = [
  /\bDate\.now\b/,
  /\bMath\.random\b/,
  /\bsetTimeout\b/,
  /\bsetInterval\b/,
  /\bperformance\.now\b/,
];
const NODE_IMPORT = /from\s+['"]node:|import\(\s*['"]node:|require\(\s*['"]node:/;
const SHELL_FILES = new Set(['sim/cli.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('purity', () => {
  const files = sourceFiles(SRC).map((path) => ({
    name: relative(SRC, path),
    text: readFileSync(path, 'utf8'),
  }));

  it('finds the sources', () => {
    expect(files.map((f) => f.name)).toContain('node.ts');
  });

  it.each(files.map((f) => [f.name, f.text] as const))(
    '%s uses no clock, timers or ambient randomness',
    (name, text) => {
      if (SHELL_FILES.has(name)) return;
      for (const pattern of FORBIDDEN) expect(text).not.toMatch(pattern);
    },
  );

  it.each(files.map((f) => [f.name, f.text] as const))(
    '%s imports no node: modules unless allowed',
    (name, text) => {
      if (!SHELL_FILES.has(name)) expect(text).not.toMatch(NODE_IMPORT);
    },
  );
});
