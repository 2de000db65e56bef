#!/usr/bin/env node
/**
 * `node scripts/check-packages.mjs`: the packages install and work without the workspace (issue 17 item 2).
 * Packs every publishable package (scripts/pack-packages.mjs), copies examples/order-service into an empty
 * temporary directory (no workspace, no repository above it), installs the tarballs there with npm, builds
 * the example with its own TypeScript, starts `tributary dev` from the installed @tributary/cli on free ports,
 * and runs the example against it: it must exit 0 having billed every order with the group's lag at 0.
 * The packages must be built first (`npm run build`). Exit code 0 when everything worked, 1 otherwise.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packPackages } from './pack-packages.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE = join(ROOT, 'examples', 'order-service');
const READY_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 90_000;
const ORDERS = 50;

function log(line) {
  process.stderr.write(`check-packages: ${line}\n`);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function run(command, args, cwd) {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Starts `tributary dev` from the app's node_modules; resolves once its broker registered. */
function startDev(appDir, dataDir, controllerPort, brokerPort) {
  const child = spawn(
    join(appDir, 'node_modules', '.bin', 'tributary'),
    [
      'dev',
      '--data-dir',
      dataDir,
      '--controller-listen',
      `127.0.0.1:${controllerPort}`,
      '--broker-listen',
      `127.0.0.1:${brokerPort}`,
      '--kafka-listen',
      'off',
    ],
    { cwd: appDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const ready = new Promise((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`tributary dev not ready in ${READY_TIMEOUT_MS} ms:\n${output}`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('broker registered')) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`tributary dev exited (code ${code}, signal ${signal}):\n${output}`));
    });
  });
  return { child, ready, output: () => output };
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'tributary-packages-'));
  let dev;
  try {
    log(`packing into ${work}/packs`);
    const tarballs = packPackages(join(work, 'packs'));
    const appDir = join(work, 'order-service');
    cpSync(EXAMPLE, appDir, {
      recursive: true,
      filter: (source) => !/[/\\](node_modules|dist)([/\\]|$)/.test(source),
    });
    log(`installing ${tarballs.length} tarballs into ${appDir}`);
    run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs],
      appDir,
    );
    log('building the example with its own TypeScript');
    run('npm', ['run', 'build', '--silent'], appDir);
    const [controllerPort, brokerPort] = [await freePort(), await freePort()];
    dev = startDev(appDir, join(work, 'data'), controllerPort, brokerPort);
    await dev.ready;
    log(`tributary dev (from the installed @tributary/cli) serving on 127.0.0.1:${brokerPort}`);
    const out = execFileSync(
      process.execPath,
      ['dist/main.js', '--bootstrap', `127.0.0.1:${brokerPort}`, '--orders', String(ORDERS)],
      { cwd: appDir, encoding: 'utf8', timeout: RUN_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const summary = JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
    if (summary.produced !== ORDERS || summary.billed !== ORDERS || summary.lag !== 0) {
      throw new Error(`unexpected result from the example: ${out}`);
    }
    log(`the example ran: ${JSON.stringify(summary)}`);
    return 0;
  } catch (error) {
    log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    if (dev !== undefined) log(`tributary dev output:\n${dev.output()}`);
    return 1;
  } finally {
    if (dev !== undefined && dev.child.exitCode === null) {
      dev.child.kill('SIGTERM');
      await new Promise((done) => {
        const timer = setTimeout(() => {
          dev.child.kill('SIGKILL');
          done();
        }, 10_000);
        dev.child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
      });
    }
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
