// Bundles one bin of a package (its tsc output, e.g. dist/bin/tributary-broker.js) with every @tributary
// package it imports, and zod, into one ES module: dist/bundle/<the same name>, which the package's committed
// bin (bin/*.js) runs when present. Run from the package's directory (npm runs its build script there):
//   node ../../scripts/bundle-bin.mjs dist/bin/tributary-broker.js
//
// Why (issue 15, npm run bench:startup): a Tributary process imports about 500 small ES modules, and Node
// resolves (package.json lookups, realpath, stat), reads and compiles each one separately; that was the
// largest part of start-up left after the lazy loading. For `tributary dev`, one module instead of ~500 took
// its CPU time to its first acknowledged produce from ≈ 1.4 s to ≈ 0.9 s on the loaded 2-core machine and its
// idle RSS from 112 to 96 MB; a controller's from 89–92 to 80–83 MB. Nothing changes in what runs: the same
// compiled code, in the same order, in one file. Other packages (grpc-js, protobufjs, pino, native addons...)
// stay external: they are CommonJS, load their own files relative to themselves, and resolve from
// node_modules as before.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { rolldown } from 'rolldown';

const entry = process.argv[2];
if (entry === undefined || !entry.startsWith('dist/bin/') || !entry.endsWith('.js')) {
  process.stderr.write(
    'usage: node ../../scripts/bundle-bin.mjs dist/bin/NAME.js (from the package directory)\n',
  );
  process.exit(2);
}
const input = resolve(entry);
const output = resolve(join('dist/bundle', basename(entry)));

/** Inlined: our own packages (ES modules, built by their own tsc) and zod (≈ 100 ES modules of its own). */
function isInlined(id) {
  return (
    id.startsWith('.') ||
    id.startsWith('/') ||
    id.startsWith('@tributary/') ||
    id === 'zod' ||
    id.startsWith('zod/')
  );
}

const bundle = await rolldown({
  input,
  platform: 'node',
  external: (id) => !isInlined(id),
  logLevel: 'warn',
});
await bundle.write({
  file: output,
  format: 'esm',
  sourcemap: true,
  // Only legal comments (licences) stay; non-ASCII characters left (in strings) are written as \u escapes. V8
  // keeps a module's source text for as long as the process runs (lazy compilation, Function#toString), and
  // one non-ASCII character anywhere makes it a two-byte string: the doc comments (≈ 45 % of the text) with
  // their ≈, — and § cost `tributary dev` ≈ 3.5 MB of heap and Node ≈ 20 ms to decode and V8 more to scan.
  // Stack traces name bundle lines either way; the source map maps them back.
  comments: { legal: true, annotation: false, jsdoc: false },
  charset: 'ascii',
});
await bundle.close();

// The entry's shebang stays first (rolldown keeps it); the bundle is executable like the tsc output.
const text = readFileSync(output, 'utf8');
if (!text.startsWith('#!/usr/bin/env node')) writeFileSync(output, `#!/usr/bin/env node\n${text}`);
chmodSync(output, 0o755);
