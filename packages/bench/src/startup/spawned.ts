/**
 * A process the start-up benchmark spawns: its stdout lines collected (pino JSON), its RSS read from
 * /proc, and a bounded stop (SIGTERM, then SIGKILL).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readProcCpuTicks } from '../kafka/proc-cpu.js';
import { LineCollector, parseVmRssKiB } from './process-log.js';

/** Lines kept per process: the milestones come in the first few dozen. */
const LOG_LINES_MAX = 2_000;
/** A clean stop (controlled shutdown, Raft and storage closed) takes well under this. */
const STOP_TIMEOUT_MS = 10_000;
const BYTES_PER_KIB = 1_024;
const BYTES_PER_MB = 1_000_000;

export class SpawnedProcess {
  readonly stdout = new LineCollector(LOG_LINES_MAX);
  readonly stderr = new LineCollector(LOG_LINES_MAX);
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(nodeArgs: readonly string[]) {
    this.child = spawn(process.execPath, [...nodeArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.stdout.push(chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise((done) => this.child.once('exit', () => done()));
  }

  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error('the process did not start');
    return pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resident set size now, in MB (10^6 bytes), from /proc/<pid>/status. */
  rssMB(): number {
    if (!this.running) throw new Error(`process ${this.pid} exited before its RSS was read`);
    const kib = parseVmRssKiB(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return (kib * BYTES_PER_KIB) / BYTES_PER_MB;
  }

  /** CPU time (user + system, every thread) the process has used so far, in ms; one clock tick resolution. */
  cpuMs(ticksPerSecond: number): number {
    return (readProcCpuTicks(this.pid).selfTicks * 1_000) / ticksPerSecond;
  }

  /** SIGTERM and wait for the exit; SIGKILL after STOP_TIMEOUT_MS. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((done) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        done();
      }, STOP_TIMEOUT_MS);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    await this.exited;
  }

  /** How it ended (or that it runs), and the last lines of its output, for an error message. */
  tail(lines = 20): string {
    const state = this.running
      ? `pid ${this.pid} running`
      : `pid ${this.pid} exited (code ${this.child.exitCode}, signal ${this.child.signalCode})`;
    return [state, ...this.stdout.lines, ...this.stderr.lines].slice(-lines).join('\n');
  }
}
