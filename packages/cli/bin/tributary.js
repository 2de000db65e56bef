#!/usr/bin/env node
// Committed (not built) so that npm links this bin at install time, before the TypeScript build has
// produced dist/. It loads the built program, or says how to build it: the one-file bundle the build makes
// (scripts/bundle-bin.mjs at the repository root says why: start-up time and memory), else tsc's output.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/tributary.js', import.meta.url);
const program = existsSync(bundle) ? bundle : new URL('../dist/bin/tributary.js', import.meta.url);
if (!existsSync(program)) {
  process.stderr.write('tributary: not built yet; run `npm run build` in the repository first\n');
  process.exit(1);
}
await import(program.href);
