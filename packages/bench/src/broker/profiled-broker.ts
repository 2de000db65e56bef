#!/usr/bin/env node
/**
 * A stand-in broker bin for profiling (set as TRIBUTARY_BROKER_BIN): runs the real broker bin under
 * `node --cpu-prof --cpu-prof-dir=$TRIBUTARY_PROFILE_DIR/broker-<node-id>` (Node refuses --cpu-prof in
 * NODE_OPTIONS), forwards SIGTERM/SIGINT to it and exits with its status. The profile is written when the
 * broker exits cleanly (e.g. after SIGTERM's controlled shutdown), not on SIGKILL.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const nodeId = args[args.indexOf('--node-id') + 1] ?? 'unknown';
const dir = join(process.env.TRIBUTARY_PROFILE_DIR ?? '/tmp/prof', `broker-${nodeId}`);
const realBin = fileURLToPath(new URL('../../../broker/dist/bin/tributary-broker.js', import.meta.url));
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, realBin, ...args], {
  stdio: 'inherit',
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
