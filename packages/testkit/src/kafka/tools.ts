/**
 * Real Kafka clients and our own CLI as child processes, for the Kafka-listener tests (DESIGN §9):
 * kcat (librdkafka 2.0.x, from Debian; `.ci/run` and `npm test`'s pretest install it) and `trib`.
 * Every run is bounded in time and killed when it overstays.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TRIB_BIN = fileURLToPath(new URL('../../../cli/dist/bin/trib.js', import.meta.url));
const KCAT_CANDIDATES = ['/usr/bin/kcat', '/usr/local/bin/kcat', '/usr/bin/kafkacat'];
const RUN_TIMEOUT_MS = 60_000;

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function kcatPath(): string {
  const found = KCAT_CANDIDATES.find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error(
      'kcat is not installed: `bash scripts/ensure-test-tools.sh` (run by npm test) installs it',
    );
  }
  return found;
}

export function run(
  command: string,
  args: readonly string[],
  options: { readonly input?: string; readonly timeoutMs?: number; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timeoutMs = options.timeoutMs ?? RUN_TIMEOUT_MS;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${command} ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr.slice(-2000)}`),
      );
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A tool that exits before reading all of its input must not crash the test runner with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** kcat with the given arguments; fails with its stderr when it exits non-zero. */
export async function kcat(
  args: readonly string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<string> {
  const result = await run(kcatPath(), args, options);
  if (result.code !== 0)
    throw new Error(`kcat ${args.join(' ')} exited ${result.code}\n${result.stderr.slice(-3000)}`);
  return result.stdout;
}

export async function trib(
  args: readonly string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<string> {
  const result = await run(process.execPath, [TRIB_BIN, ...args], options);
  if (result.code !== 0)
    throw new Error(`trib ${args.join(' ')} exited ${result.code}\n${result.stderr.slice(-3000)}`);
  return result.stdout;
}
