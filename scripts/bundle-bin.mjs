// Bundles one bin of a package (its tsc output, e.g. dist/bin/tributary-broker.js) with every @tributary
// package it imports, and zod, into one CommonJS script with a V8 code cache, and writes the module the
// package's committed bin (bin/*.js) runs when present. Run from the package's directory (npm runs its build
// script there):
//   node ../../scripts/bundle-bin.mjs dist/bin/tributary-broker.js
// It writes, in dist/bundle/:
//   tributary-broker.cjs        the bundle (and its .map)
//   tributary-broker.cjs.cache  the SHA-256 of the bundle's text, then V8's code cache for it
//   tributary-broker.js         the entry: compiles the bundle with the cache, then runs it
//
// Why (issue 15, npm run bench:startup): a Tributary process imports about 500 small ES modules, and Node
// resolves (package.json lookups, realpath, stat), reads and compiles each one separately; that was the
// largest part of start-up left after the lazy loading. For `tributary dev`, one module instead of ~500 took
// its CPU time to its first acknowledged produce from ≈ 1.4 s to ≈ 0.9 s on the loaded 2-core machine and its
// idle RSS from 112 to 96 MB; a controller's from 89–92 to 80–83 MB. Nothing changes in what runs: the same
// compiled code, in the same order, in one file. Other packages (grpc-js, protobufjs, pino, native addons...)
// stay external: they are CommonJS, load their own files relative to themselves, and resolve from
// node_modules as before.
//
// Why a script and a code cache: V8 parses all of a module's 1.2–1.4 MB of text before running it (the
// functions are compiled later, on their first call, but must be pre-parsed), ≈ 60–110 ms of CPU per start
// here, and Node 20 has no code cache for ES modules (module.enableCompileCache is Node 22). A script compiled
// by node:vm takes V8's code cache: the one made here, right after compiling and before running anything, holds
// the top-level code and what the pre-parse found, and takes the compile to ≈ 20 ms. (A cache made after a run,
// with every function start-up compiled, measured no faster: deserializing it costs about what it saves.) V8
// refuses a cache made by another V8 version or under other V8 flags, and then the entry compiles the text
// as it would without one; the SHA-256 makes sure a cache is only ever used with the text it was made from.
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { compileFunction } from 'node:vm';
import { rolldown } from 'rolldown';

/** CommonJS's module wrapper (Module.wrap), as the parameters of the function the bundle's text is compiled into. */
const WRAPPER_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname'];

const entry = process.argv[2];
if (entry === undefined || !entry.startsWith('dist/bin/') || !entry.endsWith('.js')) {
  process.stderr.write(
    'usage: node ../../scripts/bundle-bin.mjs dist/bin/NAME.js (from the package directory)\n',
  );
  process.exit(2);
}
const input = resolve(entry);
const name = basename(entry, '.js');
const bundleFile = resolve(join('dist/bundle', `${name}.cjs`));
const cacheFile = `${bundleFile}.cache`;
const entryFile = resolve(join('dist/bundle', `${name}.js`));
// Before the bundle was a script, the entry was the bundle itself, with its map.
rmSync(`${entryFile}.map`, { force: true });

/**
 * Third-party packages inlined with everything they import (but EXTERNAL): pure JavaScript every process
 * loads at start. As ~300 CommonJS files of their own, Node resolved, read and compiled each (≈ 50 ms of
 * `tributary dev`'s ≈ 550 ms of CPU to its first produce, measured side by side); inlined, they are part of
 * the script the code cache covers. What they load relative to their own files is never used by Tributary
 * (grpc-js's channelz and ORCA protos, pino's worker transports); each module still runs only when
 * required, in the same order.
 */
const INLINED_PACKAGES = ['@grpc/grpc-js', 'commander', 'pino', 'prom-client', 'protobufjs'];

/**
 * Packages that stay external even when an inlined package imports them: native addons (level's LevelDB,
 * the CRC32C and compression codecs), and what is loaded on first use only, from node_modules (pino-pretty,
 * proto-loader and the health and reflection packages).
 */
const EXTERNAL_PACKAGES = [
  'level',
  'classic-level',
  '@node-rs/crc32',
  'snappy',
  'lz4-napi',
  '@toondepauw/node-zstd',
  'pino-pretty',
  '@grpc/proto-loader',
  '@grpc/reflection',
  'grpc-health-check',
];

function packageOf(id) {
  const parts = id.split('/');
  return id.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Inlined: our own packages (ES modules, built by their own tsc), zod (≈ 100 ES modules of its own), and
 * INLINED_PACKAGES with their dependencies. Node's built-in modules and EXTERNAL_PACKAGES stay external.
 */
function isExternal(id, importer) {
  if (id.startsWith('node:') || isBuiltin(id)) return true;
  if (id.startsWith('.') || id.startsWith('/') || id.startsWith('\0')) return false;
  const name = packageOf(id);
  if (EXTERNAL_PACKAGES.includes(name)) return true;
  if (name.startsWith('@tributary/') || name === 'zod' || INLINED_PACKAGES.includes(name)) return false;
  // A dependency of an inlined package is inlined with it; any other package our code imports stays external.
  return !(importer?.includes('/node_modules/') ?? false);
}

const bundle = await rolldown({
  input,
  platform: 'node',
  external: (id, importer) => isExternal(id, importer),
  logLevel: 'warn',
});
const { output } = await bundle.write({
  file: bundleFile,
  format: 'cjs',
  // The ES modules it is made of are strict code; the script stays so.
  strict: true,
  sourcemap: true,
  // Only legal comments (licences) stay; non-ASCII characters left (in strings) are written as \u escapes. V8
  // keeps a script's source text for as long as the process runs (lazy compilation, Function#toString), and
  // one non-ASCII character anywhere makes it a two-byte string: the doc comments (≈ 45 % of the text) with
  // their ≈, — and § cost `tributary dev` ≈ 3.5 MB of heap, and V8 more text to scan. Stack traces name
  // bundle lines either way; the source map maps them back.
  comments: { legal: true, annotation: false, jsdoc: false },
  charset: 'ascii',
});
await bundle.close();
// A script compiled from a code cache cannot run import() on node 20 (V8 drops the host options the dynamic
// import callback needs; vm's USE_MAIN_CONTEXT_DEFAULT_LOADER then fails, and is experimental anyway): code
// on a bin's path loads lazily with require (createRequire) instead.
const dynamicImports = output.flatMap((chunk) => (chunk.type === 'chunk' ? chunk.dynamicImports : []));
if (dynamicImports.length > 0) {
  throw new Error(
    `${entry}: import() of ${dynamicImports.join(', ')} cannot run from the bundle; use require`,
  );
}

// The entry's shebang stays first in rolldown's output; inside the CommonJS wrapper it is a syntax error. It
// becomes a comment (same line, so the source map still holds), and the directive must then start the text.
const written = readFileSync(bundleFile, 'utf8');
const source = written.startsWith('#!') ? `//${written.slice(2)}` : written;
writeFileSync(bundleFile, source);
if (!/^(\/\/[^\n]*\n)?["']use strict["'];/.test(source)) throw new Error(`${bundleFile} is not strict code`);
const digest = createHash('sha256').update(source).digest();
// Compiled as the entry compiles it (the same parameters, file name and options), under node's default flags.
const compiled = compileFunction(source, WRAPPER_PARAMETERS, {
  filename: bundleFile,
  produceCachedData: true,
});
if (compiled.cachedData === undefined) throw new Error(`V8 made no code cache for ${bundleFile}`);
writeFileSync(cacheFile, Buffer.concat([digest, compiled.cachedData]));

writeFileSync(
  entryFile,
  `#!/usr/bin/env node
// Generated by scripts/bundle-bin.mjs (which says why): compiles ${name}.cjs with V8's code cache for it
// (${name}.cjs.cache) when V8 takes it, else from its text alone, then runs it as CommonJS.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFunction } from 'node:vm';

const file = fileURLToPath(new URL('./${name}.cjs', import.meta.url));

/** The code cache, if it was made from this very text (V8 itself checks only its length). */
function cachedData(source) {
  let cache;
  try {
    cache = readFileSync(\`\${file}.cache\`);
  } catch {
    return undefined;
  }
  const digest = createHash('sha256').update(source).digest();
  return cache.length > digest.length && cache.subarray(0, digest.length).equals(digest)
    ? cache.subarray(digest.length)
    : undefined;
}

/**
 * The bundle as a CommonJS module function. The text is read in here so that nothing but V8's own copy of
 * it stays in memory (compileFunction takes the body as it is: no wrapped copy either).
 */
function compile() {
  const source = readFileSync(file, 'utf8');
  return compileFunction(source, ${JSON.stringify(WRAPPER_PARAMETERS)}, {
    filename: file,
    cachedData: cachedData(source),
  });
}

const run = compile();
// After the compile (a cache is only taken under the V8 flags it was made with), before anything is loaded.
const { holdYoungGeneration } = await import('@tributary/core/startup-heap');
holdYoungGeneration();
const module = { exports: {} };
run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
`,
);
chmodSync(entryFile, 0o755);
