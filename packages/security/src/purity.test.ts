/**
 * The security core is pure (STYLE.md rule 2, DESIGN §3): no wall clock, no ambient randomness, no
 * timers, no I/O. The one Node module it may import is node:crypto, for hashes, HMAC and PBKDF2, which are
 * deterministic functions of their inputs; nonces and salts come in as parameters (no randomBytes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('.', import.meta.url).pathname;
const FORBIDDEN = [
  /\bDate\.now\b/,
  /\bnew Date\(/,
  /\bMath\.random\b/,
  /\bsetTimeout\b/,
  /\bsetInterval\b/,
  /\bsetImmediate\b/,
  /\bperformance\.now\b/,
  /\bprocess\./,
  /\brandomBytes\b|\brandomUUID\b|\brandomInt\b|\bgetRandomValues\b/,
  /\bconsole\./,
];
const NODE_IMPORT = /from\s+['"]node:([a-z_/]+)['"]|import\(\s*['"]node:|require\(/g;
const ALLOWED_NODE_MODULES = new Set(['crypto']);

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
    expect(files.map((f) => f.name)).toContain('authorizer.ts');
  });

  it.each(files.map((f) => [f.name, f.text] as const))(
    '%s uses no clock, timers, randomness or console',
    (_, text) => {
      for (const pattern of FORBIDDEN) expect(text).not.toMatch(pattern);
    },
  );

  it.each(files.map((f) => [f.name, f.text] as const))('%s imports no node: module but crypto', (_, text) => {
    for (const match of text.matchAll(NODE_IMPORT)) {
      expect(ALLOWED_NODE_MODULES.has(match[1] ?? ''), match[0]).toBe(true);
    }
  });
});
