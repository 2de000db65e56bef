/**
 * One real `tributary-broker` child process with a fixed port and data dir, so it can be SIGKILLed, paused
 * and restarted as the same broker.
 */

import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import { TEST_WALL_CLOCK_OFFSET_ENV } from '@tributary/core';
import {
  type BrokerClient,
  createBrokerClient,
  type MetadataResponse__Output,
  unary,
} from '@tributary/protocol';
import { waitUntilReady } from './controller-process.js';
import { HARNESS_LIMITS } from './limits.js';
import { type ExitStatus, ManagedProcess } from './managed-process.js';
import { HARNESS_CHANNEL_OPTIONS } from './rpc.js';
import { waitFor } from './wait.js';
import { wallClockOffsetFile } from './wall-clock-offset.js';

/** The broker bin built by packages/broker; TRIBUTARY_BROKER_BIN overrides it. */
export function brokerBinPath(): string {
  const override = process.env.TRIBUTARY_BROKER_BIN;
  if (override !== undefined && override.length > 0) return override;
  return fileURLToPath(new URL('../../broker/dist/bin/tributary-broker.js', import.meta.url));
}

export interface BrokerProcessOptions {
  readonly nodeId: number;
  readonly port: number;
  readonly dataDir: string;
  /** `127.0.0.1:P1,127.0.0.1:P2,...` */
  readonly controllers: string;
  /** What other brokers and clients are told to connect to (a link proxy); default: the listen address. */
  readonly advertisedAddress?: string;
  /** Port of the broker's Kafka listener (DESIGN §9), fixed so that a restart keeps it; none when unset. */
  readonly kafkaPort?: number;
  /** Port of the broker's Prometheus `/metrics` endpoint (--metrics-listen); none when unset. */
  readonly metricsPort?: number;
  readonly logLevel?: string;
  readonly extraArgs?: readonly string[];
  readonly binPath?: string;
  /** The harness's channel credentials towards a secure broker (TLS, client certificate). */
  readonly credentials?: grpc.ChannelCredentials;
}

export class BrokerProcess {
  readonly nodeId: number;
  readonly address: string;
  readonly dataDir: string;
  /** host:port of its Kafka listener; null when it serves none. */
  readonly kafkaAddress: string | null;
  /** host:port of its `/metrics` endpoint; null when it serves none. */
  readonly metricsAddress: string | null;
  readonly process: ManagedProcess;
  private client: BrokerClient | undefined;

  constructor(private readonly options: BrokerProcessOptions) {
    this.nodeId = options.nodeId;
    this.address = `127.0.0.1:${options.port}`;
    this.dataDir = options.dataDir;
    this.kafkaAddress = options.kafkaPort === undefined ? null : `127.0.0.1:${options.kafkaPort}`;
    this.metricsAddress = options.metricsPort === undefined ? null : `127.0.0.1:${options.metricsPort}`;
    this.process = new ManagedProcess({
      name: `broker ${options.nodeId} (${this.address})`,
      tag: `b${options.nodeId}`,
      binPath: options.binPath ?? brokerBinPath(),
      args: () => this.args(),
      // The clock nemesis moves this process's wall clock through the file (wall-clock-offset.ts).
      env: { [TEST_WALL_CLOCK_OFFSET_ENV]: wallClockOffsetFile(options.dataDir) },
    });
  }

  get isRunning(): boolean {
    return this.process.isRunning;
  }

  /** Stopped with SIGSTOP (pause()) and not resumed yet. */
  get isPaused(): boolean {
    return this.process.isPaused;
  }

  args(): string[] {
    return [
      '--node-id',
      String(this.nodeId),
      '--listen',
      this.address,
      '--data-dir',
      this.dataDir,
      '--controllers',
      this.options.controllers,
      '--log-level',
      this.options.logLevel ?? 'info',
      ...(this.options.advertisedAddress === undefined
        ? []
        : ['--advertised-address', this.options.advertisedAddress]),
      ...(this.kafkaAddress === null ? [] : ['--kafka-listen', this.kafkaAddress]),
      ...(this.metricsAddress === null ? [] : ['--metrics-listen', this.metricsAddress]),
      ...(this.options.extraArgs ?? []),
    ];
  }

  start(): void {
    this.process.start();
  }

  /**
   * The Broker service client of this broker (reused across restarts: gRPC reconnects). The harness's
   * short reconnect backoff matters: with grpc's default (1 s growing by 1.6x), a broker that starts
   * slowly on a loaded machine is first retried after waitReady's timeout has passed.
   */
  brokerClient(): BrokerClient {
    if (this.client === undefined) {
      this.client = createBrokerClient(this.address, {
        channelOptions: HARNESS_CHANNEL_OPTIONS,
        ...(this.options.credentials === undefined ? {} : { credentials: this.options.credentials }),
      });
    }
    return this.client;
  }

  metadata(deadlineMs: number = HARNESS_LIMITS.rpcDeadlineMs): Promise<MetadataResponse__Output> {
    return unary(
      this.brokerClient(),
      'Metadata',
      { topics: [], allowAutoTopicCreation: false },
      { deadlineMs },
    );
  }

  /** Waits until the broker answers Metadata; fails at once (with its output) if it exits meanwhile. */
  waitReady(timeoutMs: number = HARNESS_LIMITS.readyTimeoutMs): Promise<MetadataResponse__Output> {
    return waitUntilReady(this.process, () =>
      waitFor(`broker ${this.nodeId} to answer Metadata`, () => this.metadata(), { timeoutMs }),
    );
  }

  kill(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL', timeoutMs?: number): Promise<ExitStatus> {
    return this.process.kill(signal, timeoutMs);
  }

  pause(): void {
    this.process.pause();
  }

  resume(): void {
    this.process.resume();
  }

  async restart(timeoutMs: number = HARNESS_LIMITS.readyTimeoutMs): Promise<MetadataResponse__Output> {
    if (this.process.isRunning) await this.kill('SIGKILL');
    this.start();
    return this.waitReady(timeoutMs);
  }

  dump(lineCount = 60): string {
    return this.process.dump(lineCount);
  }

  async dispose(): Promise<void> {
    try {
      if (this.process.isRunning) await this.kill('SIGKILL');
    } finally {
      this.client?.close();
      this.client = undefined;
    }
  }
}
