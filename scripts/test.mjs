#!/usr/bin/env node
/**
 * `npm test`: the whole suite. Builds every package, then runs two lanes side by side, one per core:
 *   - the integration tests (@tributary/testkit: real processes, one file at a time, about 11 minutes,
 *     the longest single task by far), and
 *   - everything else: lint, typecheck and the unit tests of every package, one task at a time.
 * Why not one `turbo run build lint typecheck test --concurrency=2`: turbo has no task priority, and in one
 * run the integration tests started only after lint, typecheck and unit tests had held both slots for about
 * four minutes, which put the suite past its 15-minute budget. Starting the long lane first takes those
 * minutes off the critical path without adding load (still two tasks at a time).
 * Output is relayed whole lines at a time so that the two lanes never split a line (.ci/run sums the
 * `<package>:test: Tests N passed` lines). The exit status is non-zero if either lane failed; both lanes
 * always run to the end so that one failure does not hide another.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const INTEGRATION = '@tributary/testkit';
const color = process.stdout.isTTY ? ['--color'] : [];
const common = ['--output-logs=new-only', ...color];

/** Runs `npx turbo ARGS`, relaying its output line by line; resolves with its exit code. */
function turbo(lane, args) {
  return new Promise((resolve) => {
    const child = spawn('npx', ['turbo', 'run', ...args, ...common], { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const [stream, sink] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
        sink.write(`${line}\n`);
      });
    }
    child.on('error', (error) => {
      process.stderr.write(`test lane "${lane}": could not start turbo: ${error.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

/** Runs the steps one after another; every step runs, the lane's code is the first failure's. */
async function lane(name, steps) {
  let code = 0;
  for (const args of steps) {
    const stepCode = await turbo(name, args);
    if (code === 0) code = stepCode;
  }
  return { name, code };
}

const buildCode = await turbo('build', ['build', '--concurrency=2']);
if (buildCode !== 0) {
  process.stderr.write(`npm test: the build failed (exit ${buildCode}); no test ran\n`);
  process.exit(buildCode);
}
const results = await Promise.all([
  lane('integration tests', [['test', `--filter=${INTEGRATION}`, '--concurrency=1']]),
  lane('lint, typecheck, unit tests', [
    ['lint', 'typecheck', 'test', `--filter=!${INTEGRATION}`, '--concurrency=1'],
    ['lint', 'typecheck', `--filter=${INTEGRATION}`, '--concurrency=1'],
  ]),
]);
for (const result of results) {
  process.stdout.write(
    `npm test: ${result.name}: ${result.code === 0 ? 'passed' : `FAILED (exit ${result.code})`}\n`,
  );
}
process.exit(results.some((result) => result.code !== 0) ? 1 : 0);
