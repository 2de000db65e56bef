/**
 * Runs the real `trib` CLI (packages/cli/dist/bin/trib.js) as a child process and parses its `--json`
 * output: the last stdout line that is a JSON object. Every run is bounded by a kill timer.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The trib bin built by packages/cli; TRIBUTARY_TRIB_BIN overrides it. */
export function tribBinPath(): string {
  const override = process.env.TRIBUTARY_TRIB_BIN;
  if (override !== undefined && override.length > 0) return override;
  return fileURLToPath(new URL('../../../cli/dist/bin/trib.js', import.meta.url));
}

export interface PerfProduceResult {
  readonly acked: number;
  readonly failed: number;
  readonly errors: number;
  readonly elapsedMs: number;
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxLatencyMs: number;
  readonly maxStallMs: number;
  readonly lastError: string | null;
}

export interface PerfConsumeResult {
  readonly records: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
}

export interface TribRunOptions {
  /** Kill the child (SIGKILL) after this long. */
  readonly timeoutMs: number;
  /** Extra environment (e.g. NODE_OPTIONS for --cpu-prof). */
  readonly env?: Readonly<Record<string, string>>;
  /** Node flags before the script (e.g. --cpu-prof, which NODE_OPTIONS may not carry). */
  readonly execArgv?: readonly string[];
}

export interface TribRun<T> {
  readonly child: ChildProcess;
  readonly result: Promise<T>;
}

/** Starts `node trib.js ...args --json` and resolves with its parsed JSON line (rejects on exit ≠ 0). */
export function startTrib<T>(args: readonly string[], options: TribRunOptions): TribRun<T> {
  const child = spawn(process.execPath, [...(options.execArgv ?? []), tribBinPath(), ...args, '--json'], {
    env: { ...process.env, ...(options.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const result = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = stdout
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('{'))
        .at(-1);
      if (code !== 0 || line === undefined) {
        reject(
          new Error(
            `trib ${args.slice(0, 2).join(' ')} exited ${signal ?? code}: ${stderr.trim() || stdout.trim()}`,
          ),
        );
        return;
      }
      try {
        resolve(JSON.parse(line) as T);
      } catch (error) {
        reject(new Error(`trib printed bad JSON (${String(error)}): ${line}`));
      }
    });
  });
  return { child, result };
}

export function runTrib<T>(args: readonly string[], options: TribRunOptions): Promise<T> {
  return startTrib<T>(args, options).result;
}
