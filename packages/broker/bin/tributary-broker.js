#!/usr/bin/env node
// Committed (not built) so that npm links this bin at install time, before the TypeScript build has
// produced dist/. It loads the built program, or says how to build it.
import { existsSync } from 'node:fs';

const program = new URL('../dist/bin/tributary-broker.js', import.meta.url);
if (!existsSync(program)) {
  process.stderr.write('tributary-broker: not built yet; run `npm run build` in the repository first\n');
  process.exit(1);
}
await import(program.href);
