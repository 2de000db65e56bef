import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import { TEST_WALL_CLOCK_OFFSET_ENV } from '@tributary/core';
import { HARNESS_LIMITS } from './limits.js';
import { type ExitStatus, ManagedProcess } from './managed-process.js';
import { type DescribeQuorumResponse, NodeConnection } from './rpc.js';
import { WaitAbortedError, waitFor } from './wait.js';
import { wallClockOffsetFile } from './wall-clock-offset.js';

export type { ExitStatus } from './managed-process.js';

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
  /** The harness's channel credentials towards a secure controller (TLS, client certificate). */
  readonly credentials?: grpc.ChannelCredentials;
}

/**
 * One real `tributary-controller` child process with fixed port and data dir, so it can be killed and
 * restarted as the same voter.
 */
export class ControllerProcess {
  readonly nodeId: number;
  readonly address: string;
  readonly dataDir: string;
  readonly process: ManagedProcess;
  private connection: NodeConnection | undefined;

  constructor(private readonly options: ControllerProcessOptions) {
    this.nodeId = options.nodeId;
    this.address = `127.0.0.1:${options.port}`;
    this.dataDir = options.dataDir;
    this.process = new ManagedProcess({
      name: `controller ${options.nodeId} (${this.address})`,
      tag: `c${options.nodeId}`,
      binPath: options.binPath ?? controllerBinPath(),
      args: () => this.args(),
      // The clock nemesis moves this process's wall clock through the file (wall-clock-offset.ts).
      env: { [TEST_WALL_CLOCK_OFFSET_ENV]: wallClockOffsetFile(options.dataDir) },
    });
  }

  get output() {
    return this.process.output;
  }
  get isRunning(): boolean {
    return this.process.isRunning;
  }
  get pid(): number | undefined {
    return this.process.pid;
  }
  /** How the last run ended (undefined while running or before the first exit). */
  get exitStatus(): ExitStatus | undefined {
    return this.process.exitStatus;
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
    this.process.start();
    this.connection?.close();
    this.connection = new NodeConnection(this.address, this.options.credentials);
  }

  /**
   * The gRPC connection to this controller (recreated on every start). Once started, asking for it
   * while the process is down throws WaitAbortedError, so a waitFor on a crashed node fails at once.
   */
  client(): NodeConnection {
    if (!this.process.isRunning && this.process.starts > 0) {
      throw new WaitAbortedError(
        `controller ${this.nodeId} is not running (exit ${JSON.stringify(this.process.exitStatus)})`,
      );
    }
    if (this.connection === undefined)
      this.connection = new NodeConnection(this.address, this.options.credentials);
    return this.connection;
  }

  describeQuorum(deadlineMs: number = HARNESS_LIMITS.rpcDeadlineMs): Promise<DescribeQuorumResponse> {
    return this.client().describeQuorum(deadlineMs);
  }

  /** Waits until the port answers DescribeQuorum; fails at once if the process exits meanwhile. */
  waitReady(timeoutMs: number = HARNESS_LIMITS.readyTimeoutMs): Promise<DescribeQuorumResponse> {
    return waitUntilReady(this.process, () =>
      waitFor(
        `controller ${this.nodeId} (${this.address}) to answer DescribeQuorum`,
        () => this.describeQuorum(Math.min(HARNESS_LIMITS.rpcDeadlineMs, timeoutMs)),
        { timeoutMs },
      ),
    );
  }

  /** Sends a signal and waits for the exit (SIGTERM escalates to SIGKILL after `timeoutMs`). */
  kill(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL', timeoutMs?: number): Promise<ExitStatus> {
    return this.process.kill(signal, timeoutMs);
  }

  pause(): void {
    this.process.pause();
  }

  resume(): void {
    this.process.resume();
  }

  /** Starts again with the same node id, port and data dir, and waits for readiness. */
  async restart(timeoutMs: number = HARNESS_LIMITS.readyTimeoutMs): Promise<DescribeQuorumResponse> {
    if (this.process.isRunning) await this.kill('SIGKILL');
    this.start();
    return this.waitReady(timeoutMs);
  }

  /** Empties the data dir; only while stopped (a running controller would be corrupted under it). */
  async wipeDataDir(): Promise<void> {
    if (this.process.isRunning) throw new Error(`wipeDataDir: controller ${this.nodeId} is running`);
    await rm(this.dataDir, { recursive: true, force: true });
    await mkdir(this.dataDir, { recursive: true });
    this.process.output.push(`--- harness: wiped ${this.dataDir}`);
  }

  /** The last lines of output, prefixed with the node id, for a failure message. */
  dump(lineCount = 60): string {
    return this.process.dump(lineCount);
  }

  /** Kills (SIGKILL) if running and closes the connection. */
  async dispose(): Promise<void> {
    try {
      if (this.process.isRunning) await this.kill('SIGKILL');
    } finally {
      this.connection?.close();
      this.connection = undefined;
    }
  }
}

/**
 * Races `ready` against the process exiting; on failure the error carries the process's output tail.
 * Shared by controller and broker processes.
 */
export async function waitUntilReady<T>(proc: ManagedProcess, ready: () => Promise<T>): Promise<T> {
  const exited = proc.exited;
  if (exited === undefined) {
    throw new Error(`${proc.name} is not running (last exit ${JSON.stringify(proc.exitStatus)})`);
  }
  let settled = false;
  const readiness = ready();
  const died = exited.then((status) => {
    if (!settled) throw new Error(`${proc.name} exited during startup: ${JSON.stringify(status)}`);
    return undefined;
  });
  try {
    const result = await Promise.race([readiness, died]);
    if (result === undefined) throw new Error(`${proc.name} exited during startup`);
    return result;
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${proc.dump(40)}`);
  } finally {
    settled = true;
    // The loser of the race must not surface as an unhandled rejection.
    readiness.catch(() => undefined);
    died.catch(() => undefined);
  }
}
