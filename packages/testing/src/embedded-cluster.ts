/**
 * A Tributary cluster inside the calling process, for application tests (issue 17 item 3, DESIGN §11): one
 * controller (a Raft quorum of one) and 1..N brokers, each on a free port of 127.0.0.1 chosen by the OS and in
 * its own directory under one temporary directory, with the Kafka listener on every broker when asked (KafkaJS,
 * kcat and other Kafka clients). Several clusters run side by side (parallel test files, several per file):
 * nothing is fixed but the loopback address.
 *
 * Failure tests: kill(brokerId) stops a broker without its controlled shutdown (the controller moves its
 * leaderships only when its session times out, as after a crash; what it wrote stays on disk, as after a
 * process crash with the machine up), restart(brokerId) starts it again on the same port and directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrokerHandle, startBroker } from '@tributary/broker';
import { TributaryClient } from '@tributary/client';
import { type ControllerHandle, startController } from '@tributary/controller';
import { assert, TributaryError, brokerId as toBrokerId } from '@tributary/core';
import { type Logger, pino } from 'pino';

export interface EmbeddedClusterOptions {
  /** Brokers to start, ids 1..brokers; default 1. */
  readonly brokers?: number;
  /** A Kafka listener on every broker (kafkaBootstrap); default false. */
  readonly kafka?: boolean;
  /** Topics are created on first use by producers and metadata requests, as in `tributary dev`; default true. */
  readonly autoCreateTopics?: boolean;
  /** Partitions of auto-created topics; default 1. */
  readonly defaultPartitions?: number;
  /** pino level of the nodes' logs (to stderr); default 'silent'. */
  readonly logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where the data lives; default a new temporary directory, removed by close(). */
  readonly dataDir?: string;
}

export interface EmbeddedTopic {
  readonly partitions?: number;
  /** Default: the number of brokers, at most 3. */
  readonly replicationFactor?: number;
  readonly configs?: Readonly<Record<string, string>>;
}

export interface EmbeddedCluster {
  /** host:port of every broker's gRPC listener, for TributaryClient({ bootstrap }). */
  readonly bootstrap: readonly string[];
  /** host:port of every broker's Kafka listener ([] without `kafka: true`), for KafkaJS's `brokers`. */
  readonly kafkaBootstrap: readonly string[];
  /** host:port of the controller, for TributaryClient({ controllers }) and `trib --controllers`. */
  readonly controllers: readonly string[];
  readonly brokerIds: readonly number[];
  readonly dataDir: string;
  /** Creates a topic and waits until every running broker knows its leaders. */
  createTopic(name: string, topic?: EmbeddedTopic): Promise<void>;
  /** Stops a broker at once, without handing its leaderships over (see the module comment). */
  kill(brokerId: number): Promise<void>;
  /** Starts a killed broker again on its port and data directory; resolves once it is registered. */
  restart(brokerId: number): Promise<void>;
  /** Stops every node and removes the temporary data directory. Idempotent. */
  close(): Promise<void>;
}

/** Every bound of the embedded cluster, in one place. */
export const EMBEDDED_LIMITS = {
  brokersMax: 9,
  /** How long createTopic, start and restart wait for the brokers to see the metadata. */
  readyTimeoutMs: 30_000,
  pollIntervalMs: 10,
  /** Internal topics sized for tests: Kafka's 50 offsets partitions cost a test's start-up for nothing. */
  offsetsTopicPartitions: 3,
  transactionStateLogPartitions: 3,
  /** A broker stopped by kill() is fenced after this; short, so failure tests move on quickly. */
  sessionTimeoutMs: 3_000,
} as const;

const LOOPBACK = '127.0.0.1';

async function waitUntil(what: string, ready: () => boolean): Promise<void> {
  const deadline = performance.now() + EMBEDDED_LIMITS.readyTimeoutMs;
  while (!ready()) {
    if (performance.now() > deadline) {
      throw new TributaryError(
        'REQUEST_TIMED_OUT',
        `embedded cluster: ${what} not within ${EMBEDDED_LIMITS.readyTimeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, EMBEDDED_LIMITS.pollIntervalMs));
  }
}

interface BrokerSlot {
  readonly id: number;
  readonly dataDir: string;
  /** Bound at the first start and kept for restarts, so bootstrap lists stay valid. */
  port: number;
  kafkaPort: number;
  handle: BrokerHandle | undefined;
}

export async function startEmbeddedCluster(options: EmbeddedClusterOptions = {}): Promise<EmbeddedCluster> {
  const brokerCount = options.brokers ?? 1;
  assert(
    Number.isInteger(brokerCount) && brokerCount >= 1 && brokerCount <= EMBEDDED_LIMITS.brokersMax,
    `brokers must be 1..${EMBEDDED_LIMITS.brokersMax}, got ${brokerCount}`,
  );
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'tributary-embedded-')));
  const logger: Logger = pino({ level: options.logLevel ?? 'silent' }, pino.destination(2));
  const internalReplication = Math.min(brokerCount, 3);
  let controller: ControllerHandle | undefined;
  const slots: BrokerSlot[] = Array.from({ length: brokerCount }, (_, index) => ({
    id: index + 1,
    dataDir: join(dataDir, `broker-${index + 1}`),
    port: 0,
    kafkaPort: 0,
    handle: undefined,
  }));

  const controllerAddress = (): string => `${LOOPBACK}:${controller?.port ?? 0}`;
  const registered = (id: number): boolean => {
    const broker = controller?.committedImage().broker(toBrokerId(id));
    return broker !== undefined && !broker.fenced;
  };
  const startSlot = async (slot: BrokerSlot): Promise<void> => {
    slot.handle = await startBroker({
      nodeId: slot.id,
      listen: `${LOOPBACK}:${slot.port}`,
      dataDir: slot.dataDir,
      controllers: [controllerAddress()],
      logger: logger.child({ broker: slot.id }),
      autoCreateTopics: options.autoCreateTopics ?? true,
      defaultPartitions: options.defaultPartitions ?? 1,
      defaultReplicationFactor: internalReplication,
      offsetsTopicPartitions: EMBEDDED_LIMITS.offsetsTopicPartitions,
      offsetsTopicReplicationFactor: internalReplication,
      transactionStateLogNumPartitions: EMBEDDED_LIMITS.transactionStateLogPartitions,
      transactionStateLogReplicationFactor: internalReplication,
      groupInitialRebalanceDelayMs: 0,
      sessionTimeoutMs: EMBEDDED_LIMITS.sessionTimeoutMs,
      ...(options.kafka === true ? { kafkaListen: `${LOOPBACK}:${slot.kafkaPort}` } : {}),
    });
    slot.port = slot.handle.port;
    slot.kafkaPort = slot.handle.kafkaPort ?? 0;
    await waitUntil(`broker ${slot.id} registered`, () => registered(slot.id));
  };
  const slotOf = (brokerId: number): BrokerSlot => {
    const slot = slots.find((s) => s.id === brokerId);
    if (slot === undefined)
      throw new TributaryError('UNKNOWN_BROKER', `no broker ${brokerId} in this cluster`);
    return slot;
  };

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await Promise.all(slots.map((slot) => slot.handle?.close()));
    for (const slot of slots) slot.handle = undefined;
    await controller?.close();
    if (ownsDir) await rm(dataDir, { recursive: true, force: true });
  };

  try {
    controller = await startController({
      nodeId: 1,
      listen: `${LOOPBACK}:0`,
      dataDir: join(dataDir, 'controller-1'),
      voters: [{ id: 1, address: `${LOOPBACK}:0` }],
      logger: logger.child({ controller: 1 }),
    });
    await waitUntil('the controller active', () => controller?.isActive() === true);
    // One after the other: each takes its port from the OS, so there is nothing to collide on.
    for (const slot of slots) await startSlot(slot);
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }

  const cluster: EmbeddedCluster = {
    bootstrap: slots.map((slot) => `${LOOPBACK}:${slot.port}`),
    kafkaBootstrap: options.kafka === true ? slots.map((slot) => `${LOOPBACK}:${slot.kafkaPort}`) : [],
    controllers: [controllerAddress()],
    brokerIds: slots.map((slot) => slot.id),
    dataDir,
    async createTopic(name, topic = {}) {
      const client = new TributaryClient({ bootstrap: cluster.bootstrap, controllers: cluster.controllers });
      try {
        await client.admin().createTopic({
          name,
          partitions: topic.partitions ?? 1,
          replicationFactor: topic.replicationFactor ?? internalReplication,
          ...(topic.configs === undefined ? {} : { configs: topic.configs }),
        });
      } finally {
        client.close();
      }
      const partitions = topic.partitions ?? 1;
      await waitUntil(`topic ${name} led on every running broker`, () =>
        slots.every((slot) => {
          const image = slot.handle?.follower.currentImage();
          if (image === undefined) return true;
          const known = image.topicByName(name);
          return (
            known !== undefined &&
            known.partitions.size === partitions &&
            [...known.partitions.values()].every((partition) => partition.leader >= 0)
          );
        }),
      );
    },
    async kill(brokerId) {
      const slot = slotOf(brokerId);
      const handle = slot.handle;
      slot.handle = undefined;
      await handle?.close({ controlled: false });
    },
    async restart(brokerId) {
      const slot = slotOf(brokerId);
      if (slot.handle !== undefined)
        throw new TributaryError('INVALID_REQUEST', `broker ${brokerId} is running`);
      await startSlot(slot);
    },
    close() {
      closing ??= close();
      return closing;
    },
  };
  return cluster;
}
