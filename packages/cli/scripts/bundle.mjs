// Bundles the `tributary` bin (dist/bin/tributary.js, as tsc built it) with every @tributary package it
// imports, and zod, into one ES module: dist/bundle/tributary.js, which bin/tributary.js runs when present.
//
// Why (issue 15, npm run bench:startup): `tributary dev` imports about 500 small ES modules, and Node
// resolves (package.json lookups, realpath, stat), reads and compiles each one separately, which was the
// largest remaining part of its start-up after the lazy loading: one module instead of ~500 took its CPU
// time to its first acknowledged produce from ≈ 1.4 s to ≈ 0.9 s on the loaded 2-core machine, and its idle
// RSS down by ≈ 15 MB. Nothing changes in what runs: the same compiled code, in the same order, one file.
// Other packages (grpc-js, protobufjs, pino, native addons...) stay external: they are CommonJS, load
// their own files relative to themselves, and are resolved from node_modules as before.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const input = join(packageDir, 'dist/bin/tributary.js');
const output = join(packageDir, 'dist/bundle/tributary.js');

/** Inlined: our own packages (ES modules, built by their own tsc) and zod (≈ 100 ES modules of its own). */
function isInlined(id) {
  return id.startsWith('.') || id.startsWith('/') || id.startsWith('@tributary/') || id === 'zod' || id.startsWith('zod/');
}

const bundle = await rolldown({
  input,
  platform: 'node',
  external: (id) => !isInlined(id),
  logLevel: 'warn',
});
await bundle.write({ file: output, format: 'esm', sourcemap: true });
await bundle.close();

// The shebang of the entry stays first (rolldown keeps it); the bundle is executable like the tsc output.
const text = readFileSync(output, 'utf8');
if (!text.startsWith('#!/usr/bin/env node')) writeFileSync(output, `#!/usr/bin/env node\n${text}`);
chmodSync(output, 0o755);
