/**
 * Test harness for the broker's gRPC fuzz suites: an in-process one-voter controller with brokers over real
 * gRPC. The raw client and the outcome check every fuzzed call must pass are shared with the controller's
 * suites (@tributary/protocol/testing/fuzz) and re-exported here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ControllerHandle, startController } from '@tributary/controller';
import { createControllerAdminClient, unary } from '@tributary/protocol';
import { pino } from 'pino';
import { type BrokerHandle, type BrokerOptions, startBroker } from '../node/broker-node.js';

export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const endMs = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > endMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export class FuzzCluster {
  readonly brokers: BrokerHandle[] = [];
  private readonly closers: Array<() => void> = [];

  private constructor(
    readonly dir: string,
    readonly controller: ControllerHandle,
  ) {}

  static async start(): Promise<FuzzCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'trib-fuzz-'));
    const controller = await startController({
      nodeId: 1,
      listen: '127.0.0.1:0',
      dataDir: join(dir, 'controller'),
      voters: [{ id: 1, address: '127.0.0.1:0' }],
      logger: pino({ level: 'silent' }),
      sessionTimeoutMs: 3_000,
    });
    await waitUntil('the controller to become active', () => controller.isActive());
    return new FuzzCluster(dir, controller);
  }

  get controllerAddress(): string {
    return `127.0.0.1:${this.controller.port}`;
  }

  async startBroker(nodeId: number, extra: Partial<BrokerOptions> = {}): Promise<BrokerHandle> {
    const broker = await startBroker({
      nodeId,
      listen: '127.0.0.1:0',
      dataDir: join(this.dir, `broker-${nodeId}`),
      controllers: [this.controllerAddress],
      logger: pino({ level: 'silent' }),
      heartbeatIntervalMs: 100,
      controlledShutdownTimeoutMs: 2_000,
      offsetsTopicPartitions: 1,
      offsetsTopicReplicationFactor: 1,
      ...extra,
    });
    this.brokers.push(broker);
    // Client RPCs answer BROKER_NOT_READY until the broker has caught up with the metadata log.
    await waitUntil(
      `broker ${nodeId} caught up with the metadata log`,
      () => broker.lifecycle.snapshot().caughtUp,
    );
    return broker;
  }

  /** Registers a client to be closed with the cluster. */
  track<C extends { close(): void }>(client: C): C {
    this.closers.push(() => client.close());
    return client;
  }

  async waitUnfenced(): Promise<void> {
    const admin = this.track(createControllerAdminClient(this.controllerAddress));
    await waitUntil('every broker to be unfenced', async () => {
      const cluster = await unary(admin, 'DescribeCluster', {}, { deadlineMs: 2_000 });
      return this.brokers.every((b) =>
        cluster.brokers.some((info) => info.brokerId === b.nodeId && !info.fenced),
      );
    });
  }

  async close(): Promise<void> {
    for (const close of this.closers) close();
    await Promise.all(this.brokers.map((broker) => broker.close()));
    await this.controller.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

export {
  assertProperty,
  expectCleanOutcome,
  FUZZ_CALL_DEADLINE_MS,
  isDeserializeError,
  type Outcome,
  RawClient,
  serializeRequest,
} from '@tributary/protocol/testing/fuzz';
