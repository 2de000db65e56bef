#!/usr/bin/env node
/**
 * `node scripts/pack-packages.mjs DIR`: `npm pack`s every publishable package (issue 17 item 2) into DIR, as
 * `npm publish` would ship it, and prints the tarball paths. Packages must be built first (`npm run build`).
 * Those that read Tributary's .proto files at run time (protocol, and the bins' bundles, which inline it) get
 * a copy of the repository's protos/ in the tarball: it is copied in before packing and removed after, so
 * the repository keeps one copy.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** In dependency order (a package after what it depends on); bench and testkit stay in the repository. */
export const PUBLIC_PACKAGES = [
  'core',
  'records',
  'security',
  'protocol',
  'metadata',
  'raft',
  'log',
  'kafka-protocol',
  'client',
  'controller',
  'broker',
  'cli',
  'testing',
];
const WITH_PROTOS = new Set(['protocol', 'controller', 'broker', 'cli']);

export function packPackages(destination) {
  mkdirSync(destination, { recursive: true });
  const tarballs = [];
  for (const dir of PUBLIC_PACKAGES) {
    const packageDir = join(ROOT, 'packages', dir);
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    if (manifest.private === true) throw new Error(`${manifest.name} is private: it cannot be published`);
    if (!existsSync(join(packageDir, 'dist')))
      throw new Error(`${manifest.name} is not built: run npm run build`);
    const protos = join(packageDir, 'protos');
    if (WITH_PROTOS.has(dir)) cpSync(join(ROOT, 'protos'), protos, { recursive: true });
    try {
      const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
        cwd: packageDir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const [packed] = JSON.parse(out);
      tarballs.push(join(destination, packed.filename));
    } finally {
      if (WITH_PROTOS.has(dir)) rmSync(protos, { recursive: true, force: true });
    }
  }
  return tarballs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const destination = process.argv[2];
  if (destination === undefined) {
    process.stderr.write('usage: node scripts/pack-packages.mjs DIR\n');
    process.exit(2);
  }
  for (const tarball of packPackages(resolve(destination))) process.stdout.write(`${tarball}\n`);
}
