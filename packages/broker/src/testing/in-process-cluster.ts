/**
 * For the broker package's tests: a one-voter controller and brokers in this process, over real gRPC on
 * 127.0.0.1, in a temp dir. startBroker returns once the broker has caught up with the metadata log (client
 * RPCs answer BROKER_NOT_READY before that). Clients registered with `track` are closed with the cluster.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ControllerHandle, type ControllerOptions, startController } from '@tributary/controller';
import { waitFor } from '@tributary/core/testing';
import {
  type BrokerClient,
  type ControllerAdminClient,
  createBrokerClient,
  createControllerAdminClient,
  unary,
} from '@tributary/protocol';
import { pino } from 'pino';
import { type BrokerHandle, type BrokerOptions, startBroker } from '../node/broker-node.js';

/** Bound on each wait (a loaded CI machine is slow, not stuck). */
const WAIT_MS = 15_000;

export interface InProcessClusterOptions {
  /** Prefix of the temp dir's name. */
  readonly name?: string;
  /** Merged into every broker's options (startBroker's `extra` wins). */
  readonly brokerDefaults?: Partial<BrokerOptions>;
  /** Merged into the controller's options (e.g. a short leader balance interval). */
  readonly controllerOptions?: Partial<ControllerOptions>;
}

export class InProcessCluster {
  readonly brokers: BrokerHandle[] = [];
  private readonly closers: Array<() => void> = [];

  private constructor(
    readonly dir: string,
    readonly controller: ControllerHandle,
    private readonly brokerDefaults: Partial<BrokerOptions>,
  ) {}

  static async start(options: InProcessClusterOptions = {}): Promise<InProcessCluster> {
    const dir = await mkdtemp(join(tmpdir(), `${options.name ?? 'trib-broker-test'}-`));
    const controller = await startController({
      nodeId: 1,
      listen: '127.0.0.1:0',
      dataDir: join(dir, 'controller'),
      voters: [{ id: 1, address: '127.0.0.1:0' }],
      logger: pino({ level: 'silent' }),
      sessionTimeoutMs: 3_000,
      ...options.controllerOptions,
    });
    await waitFor('the controller to become active', () => controller.isActive(), WAIT_MS);
    return new InProcessCluster(dir, controller, options.brokerDefaults ?? {});
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
      controlledShutdownTimeoutMs: 3_000,
      ...this.brokerDefaults,
      ...extra,
    });
    this.brokers.push(broker);
    await waitFor(
      `broker ${nodeId} caught up with the metadata log`,
      () => broker.lifecycle.snapshot().caughtUp,
      WAIT_MS,
    );
    return broker;
  }

  /** Registers a client to be closed with the cluster. */
  track<C extends { close(): void }>(client: C): C {
    this.closers.push(() => client.close());
    return client;
  }

  admin(): ControllerAdminClient {
    return this.track(createControllerAdminClient(this.controllerAddress));
  }

  brokerClient(broker: BrokerHandle): BrokerClient {
    return this.track(createBrokerClient(`127.0.0.1:${broker.port}`));
  }

  /** Waits until every started broker is registered and unfenced in the controller's view. */
  async waitUnfenced(): Promise<void> {
    const admin = this.admin();
    await waitFor(
      'every broker to be unfenced',
      async () => {
        const cluster = await unary(admin, 'DescribeCluster', {}, { deadlineMs: 2_000 });
        const unfenced = this.brokers.every((b) =>
          cluster.brokers.some((info) => info.brokerId === b.nodeId && !info.fenced),
        );
        return unfenced;
      },
      WAIT_MS,
    );
  }

  async close(): Promise<void> {
    for (const close of this.closers) close();
    await Promise.all(this.brokers.map((broker) => broker.close()));
    await this.controller.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
