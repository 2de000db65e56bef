import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { HARNESS_LIMITS } from './limits.js';
import { LineRingBuffer } from './ring-buffer.js';
import { type DescribeQuorumResponse, NodeConnection } from './rpc.js';
import { sleep, WaitAbortedError, waitFor } from './wait.js';

/** The controller bin built by packages/controller; TRIBUTARY_CONTROLLER_BIN overrides it. */
export function controllerBinPath(): string {
  const override = process.env.TRIBUTARY_CONTROLLER_BIN;
  if (override !== undefined && override.length > 0) return override;
  return fileURLToPath(new URL('../../controller/dist/bin/tributary-controller.js', import.meta.url));
}

export interface ControllerProcessOptions {
  readonly nodeId: number;
  readonly port: number;
  readonly dataDir: string;
  /** `1@127.0.0.1:P1,2@127.0.0.1:P2,...` */
  readonly voters: string;
  readonly snapshotIntervalEntries?: number;
  readonly logLevel?: string;
  readonly extraArgs?: readonly string[];
  readonly binPath?: string;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * One real `tributary-controller` child process with fixed port and data dir, so it can be killed and
 * restarted as the same voter. Output goes to a bounded ring buffer for failure dumps.
 */
export class ControllerProcess {
  readonly nodeId: number;
  readonly address: string;
  readonly dataDir: string;
  readonly output = new LineRingBuffer(HARNESS_LIMITS.logLinesMax, HARNESS_LIMITS.logLineCharsMax);
  private child: ChildProcess | undefined;
  private exited: Promise<ExitStatus> | undefined;
  private connection: NodeConnection | undefined;
  private lastExit: ExitStatus | undefined;
  private starts = 0;

  constructor(private readonly options: ControllerProcessOptions) {
    this.nodeId = options.nodeId;
    this.address = `127.0.0.1:${options.port}`;
    this.dataDir = options.dataDir;
  }

  get isRunning(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How the last run ended (undefined while running or before the first exit). */
  get exitStatus(): ExitStatus | undefined {
    return this.lastExit;
  }

  args(): string[] {
    const args = [
      '--node-id',
      String(this.nodeId),
      '--listen',
      this.address,
      '--data-dir',
      this.dataDir,
      '--voters',
      this.options.voters,
      '--log-level',
      this.options.logLevel ?? 'info',
    ];
    if (this.options.snapshotIntervalEntries !== undefined) {
      args.push('--snapshot-interval-entries', String(this.options.snapshotIntervalEntries));
    }
    args.push(...(this.options.extraArgs ?? []));
    return args;
  }

  /** Spawns the process; does not wait for readiness (see waitReady). Fails if the bin is not built. */
  start(): void {
    if (this.child !== undefined) throw new Error(`controller ${this.nodeId} is already running`);
    const binPath = this.options.binPath ?? controllerBinPath();
    if (!existsSync(binPath)) {
      throw new Error(`controller bin not found at ${binPath}: build packages/controller first`);
    }
    this.starts++;
    this.output.push(
      `--- harness: start #${this.starts} of controller ${this.nodeId}: ${this.args().join(' ')}`,
    );
    const child = spawn(process.execPath, [binPath, ...this.args()], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'test' },
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.output.write(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.output.write(chunk));
    this.exited = new Promise<ExitStatus>((resolve) => {
      const finish = (status: ExitStatus) => {
        this.output.push(
          `--- harness: controller ${this.nodeId} exited code=${status.code} signal=${status.signal}`,
        );
        this.lastExit = status;
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
    this.connection?.close();
    this.connection = new NodeConnection(this.address);
  }

  /**
   * The gRPC connection to this controller (recreated on every start). Once started, asking for it
   * while the process is down throws WaitAbortedError, so a waitFor on a crashed node fails at once.
   */
  client(): NodeConnection {
    if (this.child === undefined && this.starts > 0) {
      throw new WaitAbortedError(
        `controller ${this.nodeId} is not running (exit ${JSON.stringify(this.lastExit)})`,
      );
    }
    if (this.connection === undefined) this.connection = new NodeConnection(this.address);
    return this.connection;
  }

  describeQuorum(deadlineMs: number = HARNESS_LIMITS.rpcDeadlineMs): Promise<DescribeQuorumResponse> {
    return this.client().describeQuorum(deadlineMs);
  }

  /** Waits until the port answers DescribeQuorum; fails at once if the process exits meanwhile. */
  async waitReady(timeoutMs: number = HARNESS_LIMITS.readyTimeoutMs): Promise<DescribeQuorumResponse> {
    const exited = this.exited;
    if (this.child === undefined || exited === undefined) {
      throw new Error(
        `controller ${this.nodeId} is not running (last exit ${JSON.stringify(this.lastExit)})`,
      );
    }
    let settled = false;
    const ready = waitFor(
      `controller ${this.nodeId} (${this.address}) to answer DescribeQuorum`,
      () => this.describeQuorum(Math.min(HARNESS_LIMITS.rpcDeadlineMs, timeoutMs)),
      { timeoutMs },
    );
    const died = exited.then((status) => {
      if (!settled)
        throw new Error(`controller ${this.nodeId} exited during startup: ${JSON.stringify(status)}`);
      return undefined;
    });
    try {
      const result = await Promise.race([ready, died]);
      if (result === undefined) throw new Error(`controller ${this.nodeId} exited during startup`);
      return result;
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${this.dump(40)}`);
    } finally {
      settled = true;
      // The loser of the race must not surface as an unhandled rejection.
      ready.catch(() => undefined);
      died.catch(() => undefined);
    }
  }

  /**
   * Sends a signal and waits for the exit. SIGTERM is a clean shutdown; if it takes longer than
   * `timeoutMs` the process is SIGKILLed and the returned status says so.
   */
  async kill(
    signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL',
    timeoutMs: number = HARNESS_LIMITS.exitTimeoutMs,
  ): Promise<ExitStatus> {
    const child = this.child;
    const exited = this.exited;
    if (child === undefined || exited === undefined) return this.lastExit ?? { code: null, signal: null };
    child.kill(signal);
    const timedOut = Symbol('timedOut');
    const result = await Promise.race([exited, sleep(timeoutMs).then(() => timedOut)]);
    if (result !== timedOut) return result as ExitStatus;
    this.output.push(`--- harness: controller ${this.nodeId} ignored ${signal} for ${timeoutMs} ms; SIGKILL`);
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(timeoutMs)]);
    throw new Error(`controller ${this.nodeId} did not exit within ${timeoutMs} ms of ${signal}`);
  }

  /** Starts again with the same node id, port and data dir, and waits for readiness. */
  async restart(timeoutMs: number = HARNESS_LIMITS.readyTimeoutMs): Promise<DescribeQuorumResponse> {
    if (this.child !== undefined) await this.kill('SIGKILL');
    this.start();
    return this.waitReady(timeoutMs);
  }

  /** Empties the data dir; only while stopped (a running controller would be corrupted under it). */
  async wipeDataDir(): Promise<void> {
    if (this.child !== undefined) throw new Error(`wipeDataDir: controller ${this.nodeId} is running`);
    await rm(this.dataDir, { recursive: true, force: true });
    await mkdir(this.dataDir, { recursive: true });
    this.output.push(`--- harness: wiped ${this.dataDir}`);
  }

  /** The last lines of output, prefixed with the node id, for a failure message. */
  dump(lineCount = 60): string {
    const lines = this.output.tail(lineCount);
    const header =
      `===== controller ${this.nodeId} (${this.address}) last ${lines.length} lines` +
      (this.output.dropped > 0 ? ` (${this.output.dropped} earlier lines dropped)` : '') +
      ' =====';
    return [header, ...lines.map((line) => `[c${this.nodeId}] ${line}`)].join('\n');
  }

  /** Kills (SIGKILL) if running and closes the connection. */
  async dispose(): Promise<void> {
    try {
      if (this.child !== undefined) await this.kill('SIGKILL');
    } finally {
      this.connection?.close();
      this.connection = undefined;
    }
  }
}
