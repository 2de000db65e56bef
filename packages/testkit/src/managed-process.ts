/**
 * One real child process of ours (a controller or a broker) that tests start, SIGKILL, SIGTERM, pause with
 * SIGSTOP/SIGCONT and restart with the same arguments. Output goes to a bounded ring buffer for failure dumps.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HARNESS_LIMITS } from './limits.js';
import { LineRingBuffer } from './ring-buffer.js';
import { sleep } from './wait.js';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ManagedProcessOptions {
  /** How dumps and errors name it, e.g. "controller 2" / "broker 1". */
  readonly name: string;
  /** Prefix of every dumped line, e.g. "c2" / "b1". */
  readonly tag: string;
  readonly binPath: string;
  readonly args: () => readonly string[];
  /** Variables added to the harness's own environment for the child. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Children running now, across every ManagedProcess of this test process. */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Kills every child still running when this process exits. A test that times out keeps running after vitest
 * moves on, so its cleanup may not have run when the worker exits; its controllers and brokers were then left
 * running as orphans (seen: three controllers of a timed-out test still serving 12 minutes later, on a machine
 * whose load they added to). SIGKILL is the only thing an exit handler can still do (it must be synchronous).
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  });
}

export class ManagedProcess {
  readonly output = new LineRingBuffer(HARNESS_LIMITS.logLinesMax, HARNESS_LIMITS.logLineCharsMax);
  private child: ChildProcess | undefined;
  private exitedPromise: Promise<ExitStatus> | undefined;
  private lastExit: ExitStatus | undefined;
  private startCount = 0;
  private paused = false;

  constructor(private readonly options: ManagedProcessOptions) {}

  get name(): string {
    return this.options.name;
  }
  get isRunning(): boolean {
    return this.child !== undefined;
  }
  get isPaused(): boolean {
    return this.paused;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }
  get starts(): number {
    return this.startCount;
  }
  /** How the last run ended (undefined while running or before the first exit). */
  get exitStatus(): ExitStatus | undefined {
    return this.lastExit;
  }
  /** Resolves when the current run ends; undefined when not running. */
  get exited(): Promise<ExitStatus> | undefined {
    return this.child === undefined ? undefined : this.exitedPromise;
  }

  /** Spawns the process; does not wait for readiness. Fails if the bin is not built. */
  start(): void {
    const { name, binPath } = this.options;
    if (this.child !== undefined) throw new Error(`${name} is already running`);
    if (!existsSync(binPath)) throw new Error(`${name}: bin not found at ${binPath}: build it first`);
    this.startCount++;
    const args = this.options.args();
    this.output.push(`--- harness: start #${this.startCount} of ${name}: ${args.join(' ')}`);
    const child = spawn(process.execPath, [binPath, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'test', ...this.options.env },
    });
    installExitHook();
    liveChildren.add(child);
    child.once('exit', () => liveChildren.delete(child));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.output.write(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.output.write(chunk));
    this.exitedPromise = new Promise<ExitStatus>((resolve) => {
      const finish = (status: ExitStatus) => {
        this.output.push(`--- harness: ${name} exited code=${status.code} signal=${status.signal}`);
        this.lastExit = status;
        this.paused = false;
        if (this.child === child) this.child = undefined;
        resolve(status);
      };
      child.once('exit', (code, signal) => finish({ code, signal }));
      child.once('error', (error) => {
        this.output.push(`--- harness: spawn error: ${error.message}`);
        finish({ code: null, signal: null });
      });
    });
    this.child = child;
    this.lastExit = undefined;
  }

  /**
   * Sends a signal and waits for the exit. SIGTERM is a clean shutdown; if it takes longer than
   * `timeoutMs` the process is SIGKILLed and this throws.
   */
  async kill(
    signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL',
    timeoutMs: number = HARNESS_LIMITS.exitTimeoutMs,
  ): Promise<ExitStatus> {
    const child = this.child;
    const exited = this.exitedPromise;
    if (child === undefined || exited === undefined) return this.lastExit ?? { code: null, signal: null };
    if (this.paused && signal !== 'SIGKILL') this.resume();
    child.kill(signal);
    const timedOut = Symbol('timedOut');
    const result = await Promise.race([exited, sleep(timeoutMs).then(() => timedOut)]);
    if (result !== timedOut) return result as ExitStatus;
    this.output.push(`--- harness: ${this.name} ignored ${signal} for ${timeoutMs} ms; SIGKILL`);
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(timeoutMs)]);
    throw new Error(`${this.name} did not exit within ${timeoutMs} ms of ${signal}`);
  }

  /** SIGHUP: the process reloads what it can (TLS files) and logs a line saying so; it keeps running. */
  hangUp(): void {
    this.child?.kill('SIGHUP');
  }

  /** SIGSTOP: the process keeps its sockets but answers nothing (a GC pause or a hung host). */
  pause(): void {
    if (this.child === undefined || this.paused) return;
    this.child.kill('SIGSTOP');
    this.paused = true;
    this.output.push(`--- harness: ${this.name} paused (SIGSTOP)`);
  }

  resume(): void {
    if (this.child === undefined || !this.paused) return;
    this.child.kill('SIGCONT');
    this.paused = false;
    this.output.push(`--- harness: ${this.name} resumed (SIGCONT)`);
  }

  /** The last lines of output, prefixed with the tag, for a failure message. */
  dump(lineCount = 60): string {
    const lines = this.output.tail(lineCount);
    const header =
      `===== ${this.name} last ${lines.length} lines` +
      (this.output.dropped > 0 ? ` (${this.output.dropped} earlier lines dropped)` : '') +
      ' =====';
    return [header, ...lines.map((line) => `[${this.options.tag}] ${line}`)].join('\n');
  }
}
