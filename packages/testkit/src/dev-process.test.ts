/**
 * `tributary dev` as users start it (packages/cli/bin/tributary.js, which runs the build's one-file bundle):
 * it serves, takes a record through `trib produce` and gives it back through `trib consume`, answers health
 * checks and (built on first use) server reflection, logs its module loading as 'starting', and exits 0 on
 * SIGTERM. The other tests start the dev cluster in-process; this one covers the real entry.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkHealth, listReflectedServices } from '@tributary/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type Run, run, TRIB_BIN } from './kafka/tools.js';
import { ManagedProcess } from './managed-process.js';
import { freePorts } from './ports.js';
import { makeTempDir, type TempDir } from './temp-dir.js';
import { waitFor } from './wait.js';

const TRIBUTARY_BIN = fileURLToPath(new URL('../../cli/bin/tributary.js', import.meta.url));
const BUNDLE_DIR = fileURLToPath(new URL('../../cli/dist/bundle/', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const COMMAND_TIMEOUT_MS = 20_000;
const RPC_DEADLINE_MS = 5_000;

/** `trib ARGS` with `input` on stdin (the shared runner: bounded in time, never crashed by EPIPE). */
function trib(args: readonly string[], input: string): Promise<Run> {
  return run(process.execPath, [TRIB_BIN, ...args], { input, timeoutMs: COMMAND_TIMEOUT_MS });
}

let dev: ManagedProcess | undefined;
let dataDir: TempDir | undefined;
afterEach(async () => {
  if (dev?.isRunning === true) await dev.kill('SIGKILL');
  dev = undefined;
  await dataDir?.remove();
  dataDir = undefined;
});

describe('tributary dev (the real entry)', () => {
  it('runs the bundle the build made, with a code cache V8 takes', () => {
    for (const file of ['tributary.js', 'tributary.cjs', 'tributary.cjs.cache']) {
      const path = join(BUNDLE_DIR, file);
      expect(existsSync(path), `${path} missing: build packages/cli`).toBe(true);
    }
    // As the entry compiles it, in a node of its own (this one runs with the test runner's flags).
    const compiled = spawnSync(
      process.execPath,
      [
        '-e',
        `const { readFileSync } = require('node:fs');
         const { compileFunction } = require('node:vm');
         const file = ${JSON.stringify(join(BUNDLE_DIR, 'tributary.cjs'))};
         const cachedData = readFileSync(file + '.cache').subarray(32);
         const parameters = ['exports', 'require', 'module', '__filename', '__dirname'];
         const compiled = compileFunction(readFileSync(file, 'utf8'), parameters, { filename: file, cachedData });
         process.stdout.write(String(compiled.cachedDataRejected));`,
      ],
      { encoding: 'utf8' },
    );
    expect(compiled.stderr).toBe('');
    expect(compiled.stdout).toBe('false');
  });

  it('serves produce and consume, health and reflection, and stops cleanly', async () => {
    const [controllerPort, brokerPort, kafkaPort] = await freePorts(3);
    dataDir = await makeTempDir('dev-process');
    const broker = `127.0.0.1:${brokerPort}`;
    const args = [
      'dev',
      ...['--data-dir', join(dataDir.path, 'data'), '--controller-listen', `127.0.0.1:${controllerPort}`],
      ...['--broker-listen', broker, '--kafka-listen', `127.0.0.1:${kafkaPort}`],
    ];
    const devProcess = new ManagedProcess({
      name: 'tributary dev',
      tag: 'dev',
      binPath: TRIBUTARY_BIN,
      args: () => args,
    });
    dev = devProcess;
    devProcess.start();
    await waitFor(
      'the dev cluster to be up',
      async () =>
        devProcess.output.tail().some((line) => line.includes('dev cluster is up')) ? true : undefined,
      { timeoutMs: START_TIMEOUT_MS },
    );
    expect(devProcess.output.tail().some((line) => line.includes('"msg":"starting"'))).toBe(true);

    const produced = await trib(['produce', 'dev-entry', '--bootstrap', broker], 'hello from the bundle\n');
    expect(produced.stderr).toBe('');
    expect(produced.code).toBe(0);
    const consumed = await trib(
      ['consume', 'dev-entry', '--from-beginning', '--max-messages', '1', '--bootstrap', broker],
      '',
    );
    expect(consumed.code).toBe(0);
    expect(consumed.stdout).toContain('hello from the bundle');

    expect(await checkHealth(broker, '', RPC_DEADLINE_MS)).toBe('SERVING');
    expect(await listReflectedServices(broker, RPC_DEADLINE_MS)).toContain('tributary.v1.Broker');

    expect(await devProcess.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
