/**
 * A broker process's parts wired together (DESIGN §2): the replica manager (partition logs and
 * replication), the metadata follower feeding it every committed image, the gRPC server with the
 * Broker and Replication services, and the lifecycle manager holding the broker's lease with the
 * active controller. close() hands leaderships over first (controlled shutdown), then stops the rest.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { assert, type Clock, systemClock, TributaryError, brokerId as toBrokerId } from '@tributary/core';
import {
  addBrokerService,
  addControllerAdminService,
  addGroupCoordinatorService,
  addReplicationService,
  bindServer,
  ControllerConnection,
  createReplicationClient,
  createServer,
  gateUnaryService,
  instrumentServer,
  type ReplicationClient,
  shutdownServer,
} from '@tributary/protocol';
import type { Logger } from 'pino';
import { createGroupCoordinatorHandlers, GROUP_DEFAULTS, GroupCoordinator } from '../group/index.js';
import { BrokerLifecycleManager } from '../lifecycle/manager.js';
import { MetadataFollower } from '../metadata-follower/metadata-follower.js';
import { BrokerMetrics } from '../metrics/broker-metrics.js';
import { type BrokerNodeParts, nodeScrapeSources } from '../metrics/node-sources.js';
import { addBrokerStandardServices, startMetricsEndpoint } from '../metrics/observability.js';
import { ProducerIdManager } from '../producer-ids/producer-id-manager.js';
import { REPLICA_FETCH_RECONNECT_BACKOFF } from '../replica/follower-fetcher.js';
import { UnreachableBrokers } from '../replica/unreachable-brokers.js';
import { AdminForwarder, createAdminForwardingHandlers } from '../services/admin-forwarding.js';
import type { AutoCreateOptions } from '../services/auto-create.js';
import { type BrokerDataPlane, createBrokerHandlers } from '../services/broker-service.js';
import { createReplicationHandlers } from '../services/replication-service.js';
import { advertisedAddressFor } from './addresses.js';
import { classicGroupSettings } from './config.js';
import { openDefaultReplicaManager } from './default-replica-manager.js';
import { ImageApplier } from './image-applier.js';
import { openKafkaListener } from './kafka-wiring.js';
import type { OpenReplicaManager, ReplicaManagerPort } from './replica-port.js';

export { advertisedAddressFor } from './addresses.js';

export const BROKER_DEFAULTS = {
  defaultPartitions: 1,
  defaultReplicationFactor: 1,
  /** How long a Metadata request waits for auto-created topics to reach this broker's image. */
  autoCreateWaitMs: 5_000,
  /** Deadline of one controller call made on a client's behalf (CreateTopic, AlterPartition). */
  controllerRequestTimeoutMs: 5_000,
  /** How long close() waits for the controller to move this broker's leaderships away. */
  controlledShutdownTimeoutMs: 10_000,
  /** Replica fetches carry up to a few MiB per response; a wide window keeps them flowing. */
  replicationFlowControlWindowBytes: 16 * 1024 * 1024,
} as const;

export interface BrokerOptions {
  readonly nodeId: number;
  /** host:port to listen on; port 0 picks a free port (see handle.port). */
  readonly listen: string;
  readonly dataDir: string;
  /** host:port of every controller. */
  readonly controllers: readonly string[];
  /** host:port clients and other brokers reach this broker on. Default: listen's host with the bound port. */
  readonly advertisedAddress?: string;
  readonly logger: Logger;
  readonly autoCreateTopics?: boolean;
  readonly defaultPartitions?: number;
  readonly defaultReplicationFactor?: number;
  readonly heartbeatIntervalMs?: number;
  readonly sessionTimeoutMs?: number;
  readonly controlledShutdownTimeoutMs?: number;
  readonly clusterId?: string;
  readonly clock?: Clock;
  /** Injected for tests; defaults to the replica manager of packages/broker/src/replica. */
  readonly openReplicaManager?: OpenReplicaManager;
  /** Consumer groups (packages/broker/src/group): __consumer_offsets sizing and offset retention. */
  readonly offsetsTopicPartitions?: number;
  readonly offsetsTopicReplicationFactor?: number;
  readonly offsetsRetentionMs?: number;
  /** Session timeout of group members that send 0. */
  readonly groupSessionTimeoutMs?: number;
  /** The classic group protocol (Kafka clients): Kafka's group.* settings; unset = Kafka's defaults. */
  readonly groupInitialRebalanceDelayMs?: number;
  readonly groupMinSessionTimeoutMs?: number;
  readonly groupMaxSessionTimeoutMs?: number;
  readonly groupMaxSize?: number;
  /** HOST:PORT of the Prometheus /metrics endpoint (port 0 picks a free port); unset = no endpoint. */
  readonly metricsListen?: string;
  /** Bound on record bytes of Produce requests in flight; REQUEST_LIMITS.produceInFlightBytesMax by default. */
  readonly produceInFlightBytesMax?: number;
  /** HOST:PORT of the Kafka listener (DESIGN §9; port 0 picks a free port); unset = no Kafka listener. */
  readonly kafkaListen?: string;
  /** What Kafka Metadata answers name for this broker. Default: kafkaListen's host with the bound port. */
  readonly kafkaAdvertised?: string;
  /** Kafka's connections.max.idle.ms for the Kafka listener; 10 minutes by default. */
  readonly kafkaConnectionsMaxIdleMs?: number;
  /** The broker's rack (Kafka's broker.rack): replica placement spreads over racks; Metadata names it. */
  readonly rack?: string;
}

export interface BrokerHandle {
  readonly nodeId: number;
  /** The port the gRPC server is bound to. */
  readonly port: number;
  /** The port of the /metrics endpoint; null without metricsListen. */
  readonly metricsPort: number | null;
  /** The port of the Kafka listener; null without kafkaListen. */
  readonly kafkaPort: number | null;
  /** The Kafka address registered with the controller; null without kafkaListen. */
  readonly kafkaAddress: string | null;
  /** The address registered with the controller. */
  readonly advertisedAddress: string;
  readonly logger: Logger;
  readonly follower: MetadataFollower;
  readonly lifecycle: BrokerLifecycleManager;
  readonly replicaManager: ReplicaManagerPort;
  /** Null when the replica manager cannot host one (test doubles). */
  readonly groupCoordinator: GroupCoordinator | null;
  /** Controlled shutdown (bounded), then server, replica manager, metadata follower. Idempotent. */
  close(): Promise<void>;
}

/** Replication clients by leader address, shared by every partition this broker follows. */
class ReplicationClients {
  readonly #clients = new Map<string, ReplicationClient>();

  get(address: string): ReplicationClient {
    let client = this.#clients.get(address);
    if (client === undefined) {
      client = createReplicationClient(address, {
        channelOptions: {
          'grpc-node.flow_control_window': BROKER_DEFAULTS.replicationFlowControlWindowBytes,
          ...REPLICA_FETCH_RECONNECT_BACKOFF,
        },
      });
      this.#clients.set(address, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }
}

export async function startBroker(options: BrokerOptions): Promise<BrokerHandle> {
  assert(options.controllers.length > 0, 'a broker needs at least one controller address');
  assert(
    Number.isSafeInteger(options.nodeId) && options.nodeId >= 0,
    'nodeId must be a non-negative integer',
  );
  const self = toBrokerId(options.nodeId);
  const logger = options.logger.child({ brokerId: self });
  const clock = options.clock ?? systemClock;
  await mkdir(join(options.dataDir, 'metadata'), { recursive: true });
  await mkdir(join(options.dataDir, 'logs'), { recursive: true });

  const connection = new ControllerConnection({ addresses: options.controllers, clock });
  const replicationClients = new ReplicationClients();
  // The lifecycle manager needs the bound port, so it is created last; the replica manager asks it for
  // the broker epoch only once replication starts.
  let lifecycle: BrokerLifecycleManager | undefined;
  /** Latched: once caught up with the metadata log, this process never serves from an older image again. */
  let metadataCaughtUp = false;
  const brokerEpochNow = (): number => lifecycle?.snapshot().brokerEpoch ?? 0;
  // Leaders our replica fetches could not connect to: evidence for the controller's fast fencing.
  const unreachable = new UnreachableBrokers();
  // Metrics read the parts at scrape time; each part is filled in here as it starts.
  const parts: BrokerNodeParts = {};
  const metrics = new BrokerMetrics(nodeScrapeSources(self, parts));
  const cleanups: Array<() => Promise<void> | void> = [
    () => replicationClients.close(),
    () => connection.close(),
  ];
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.error({ err: error }, 'broker clean-up step failed');
      }
    }
  };

  try {
    const openReplicaManager = options.openReplicaManager ?? openDefaultReplicaManager;
    const replicaManager = await openReplicaManager({
      brokerId: self,
      dataDir: join(options.dataDir, 'logs'),
      clock,
      logger,
      alterPartition: metrics.instrumentAlterPartition(
        async (items) => {
          const response = await connection.lifecycle(
            'AlterPartition',
            { brokerId: self, brokerEpoch: brokerEpochNow(), items },
            { deadlineMs: BROKER_DEFAULTS.controllerRequestTimeoutMs },
          );
          return response.results;
        },
        (topic, partition) =>
          parts.follower?.currentImage().topicByName(topic)?.partitions.get(partition)?.isr,
      ),
      replicationClient: (address) => replicationClients.get(address),
      brokerEpoch: brokerEpochNow,
      onLeaderUnreachable: (leaderId) => {
        if (unreachable.reportFailure(leaderId, clock.nowMs())) lifecycle?.heartbeatSoon();
      },
      onLeaderReachable: (leaderId) => unreachable.reportSuccess(leaderId),
    });
    cleanups.push(() => replicaManager.close());
    parts.replicaManager = replicaManager;

    const follower = await MetadataFollower.start({
      controllers: options.controllers,
      dataDir: join(options.dataDir, 'metadata'),
      logger: logger.child({ subsystem: 'metadata-follower' }),
      clock,
    });
    cleanups.push(() => follower.close());
    parts.follower = follower;
    // Before the first image is applied, so that no leadership of __consumer_offsets is missed.
    const groupCoordinator = openGroupCoordinator({
      options,
      logger,
      connection,
      follower,
      replicaManager,
      clock,
    });
    if (groupCoordinator !== null) cleanups.push(() => groupCoordinator.close());
    parts.groupCoordinator = groupCoordinator;
    const applier = new ImageApplier((image) => replicaManager.applyMetadata(image), logger);
    const unsubscribe = follower.onImage((image) => applier.offer(image));
    applier.offer(follower.currentImage());
    cleanups.push(async () => {
      unsubscribe();
      await applier.close();
    });

    const producerIds = new ProducerIdManager({
      allocate: (deadlineMs) =>
        connection.lifecycle(
          'AllocateProducerIds',
          { brokerId: self, brokerEpoch: brokerEpochNow() },
          { deadlineMs: Math.min(deadlineMs, BROKER_DEFAULTS.controllerRequestTimeoutMs) },
        ),
      clock,
      logger: logger.child({ subsystem: 'producer-ids' }),
    });

    // One per broker: the gRPC ControllerAdmin service and the Kafka listener's admin APIs share its bound.
    const adminForwarder = new AdminForwarder({ connection });
    const dataPlane = metrics.instrumentDataPlane(replicaManager);
    const metadataReady = (): boolean => {
      metadataCaughtUp ||= lifecycle?.snapshot().caughtUp === true;
      return metadataCaughtUp;
    };
    let onCaughtUp: () => void = () => {};
    const caughtUp = new Promise<void>((resolve) => {
      onCaughtUp = resolve;
    });
    const kafka =
      options.kafkaListen === undefined
        ? null
        : await openKafkaListener({
            listen: options.kafkaListen,
            advertised: options.kafkaAdvertised,
            parts: {
              brokerId: self,
              metadata: follower,
              dataPlane,
              producerIds,
              groupCoordinator,
              admin: adminForwarder,
              autoCreate: autoCreateOptions(options, connection),
              topicDefaults: {
                partitions: options.defaultPartitions ?? BROKER_DEFAULTS.defaultPartitions,
                replicationFactor:
                  options.defaultReplicationFactor ?? BROKER_DEFAULTS.defaultReplicationFactor,
              },
              metadataReady,
              logger,
            },
            admin: adminForwarder,
            caughtUp,
            connectionsMaxIdleMs: options.kafkaConnectionsMaxIdleMs,
            logger,
          });
    if (kafka !== null) cleanups.push(() => kafka.listener.close());
    const server = createServer();
    cleanups.push(() => server.forceShutdown());
    // Before any service is added: every RPC gets a request id (x-request-id) and a latency observation.
    instrumentServer(server, { onCallEnd: metrics.observeRpc, logger });
    addServices(server, {
      options,
      logger,
      connection,
      follower,
      replicaManager,
      dataPlane,
      producerIds,
      groupCoordinator,
      adminForwarder,
      metadataReady,
    });
    const standard = addBrokerStandardServices(server, {
      lifecycle: () => lifecycle?.snapshot(),
      groupCoordinator: groupCoordinator !== null,
    });
    cleanups.push(() => standard.close());
    const port = await bindServer(server, options.listen);
    const metricsServer = await startMetricsEndpoint(options.metricsListen, metrics.registry, logger);
    if (metricsServer !== null) cleanups.push(() => metricsServer.close());
    const advertisedAddress = advertisedAddressFor(options.listen, port, options.advertisedAddress);

    const manager = new BrokerLifecycleManager({
      brokerId: self,
      address: advertisedAddress,
      ...(options.rack === undefined ? {} : { rack: options.rack }),
      ...(kafka === null ? {} : { kafkaAddress: kafka.advertisedAddress }),
      onStateChange: (snapshot) => {
        if (snapshot.caughtUp) onCaughtUp();
      },
      connection,
      metadataOffset: () => follower.appliedOffset(),
      unreachableBrokers: () => unreachable.list(clock.nowMs()),
      ...(options.heartbeatIntervalMs === undefined
        ? {}
        : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
      ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
      logger: logger.child({ subsystem: 'lifecycle' }),
      clock,
    });
    lifecycle = manager;
    parts.lifecycle = manager;
    manager.start();
    logger.info(
      {
        listen: options.listen,
        port,
        advertisedAddress,
        controllers: options.controllers,
        metricsPort: metricsServer?.port ?? null,
        kafkaAddress: kafka?.advertisedAddress ?? null,
      },
      'broker ready',
    );

    const shutdownTimeoutMs =
      options.controlledShutdownTimeoutMs ?? BROKER_DEFAULTS.controlledShutdownTimeoutMs;
    let closing: Promise<void> | undefined;
    const close = async (): Promise<void> => {
      standard.shutdown();
      const final = await manager.controlledShutdown({ timeoutMs: shutdownTimeoutMs });
      logger.info({ completed: final.shutdownCompleted }, 'controlled shutdown finished');
      await manager.close();
      await kafka?.listener.close();
      await shutdownServer(server, 500);
      await cleanUp();
      logger.info('broker stopped');
    };
    return {
      nodeId: self,
      port,
      metricsPort: metricsServer?.port ?? null,
      kafkaPort: kafka?.listener.port ?? null,
      kafkaAddress: kafka?.advertisedAddress ?? null,
      advertisedAddress,
      logger,
      follower,
      lifecycle: manager,
      replicaManager,
      groupCoordinator,
      close: () => {
        closing ??= close();
        return closing;
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Auto-creation through the active controller (auto.create.topics.enable), or null when it is off. */
function autoCreateOptions(
  options: BrokerOptions,
  connection: ControllerConnection,
): AutoCreateOptions | null {
  if (options.autoCreateTopics !== true) return null;
  return {
    createTopic: async (request) => {
      await connection.admin(
        'CreateTopic',
        { ...request, configs: [], validateOnly: false },
        { deadlineMs: BROKER_DEFAULTS.controllerRequestTimeoutMs },
      );
    },
    defaultPartitions: options.defaultPartitions ?? BROKER_DEFAULTS.defaultPartitions,
    defaultReplicationFactor: options.defaultReplicationFactor ?? BROKER_DEFAULTS.defaultReplicationFactor,
    waitMs: BROKER_DEFAULTS.autoCreateWaitMs,
  };
}

function addServices(
  server: grpc.Server,
  parts: {
    readonly options: BrokerOptions;
    readonly logger: Logger;
    readonly connection: ControllerConnection;
    readonly follower: MetadataFollower;
    readonly replicaManager: ReplicaManagerPort;
    /** The replica manager as the Broker service sees it (with traffic metrics). */
    readonly dataPlane: BrokerDataPlane;
    readonly producerIds: ProducerIdManager;
    readonly groupCoordinator: GroupCoordinator | null;
    readonly adminForwarder: AdminForwarder;
    /** True once this process has caught up with the metadata log (latched). */
    readonly metadataReady: () => boolean;
  },
): void {
  const { options, logger, connection, follower, replicaManager, producerIds } = parts;
  const autoCreate = autoCreateOptions(options, connection);
  // Until this process has caught up with the metadata log (to its own registration, which is newer than any
  // image it served before a restart), it would answer from the older snapshot it started from: metadata
  // going backwards for clients, and leaderships it no longer holds. Clients retry elsewhere meanwhile.
  const notReady = (): TributaryError | undefined =>
    parts.metadataReady()
      ? undefined
      : new TributaryError(
          'BROKER_NOT_READY',
          `broker ${options.nodeId} is catching up with the metadata log`,
        );
  addBrokerService(
    server,
    gateUnaryService(
      createBrokerHandlers({
        dataPlane: parts.dataPlane,
        producerIds,
        metadata: follower,
        autoCreate,
        logger,
        ...(options.clusterId === undefined ? {} : { clusterId: options.clusterId }),
        ...(options.produceInFlightBytesMax === undefined
          ? {}
          : { produceInFlightBytesMax: options.produceInFlightBytesMax }),
        ...(replicaManager.describeReplicas === undefined
          ? {}
          : { replicas: { describeReplicas: (wanted) => replicaManager.describeReplicas?.(wanted) ?? [] } }),
      }),
      notReady,
    ),
  );
  addReplicationService(server, createReplicationHandlers({ dataPlane: replicaManager, logger }));
  // Not gated on metadataReady: forwarding reads no local metadata, the controller answers.
  addControllerAdminService(
    server,
    createAdminForwardingHandlers({
      forwarder: parts.adminForwarder,
      logger,
      clock: options.clock ?? systemClock,
    }),
  );
  if (parts.groupCoordinator !== null) {
    addGroupCoordinatorService(
      server,
      gateUnaryService(createGroupCoordinatorHandlers(parts.groupCoordinator, logger), notReady),
    );
  }
}

/** The group coordinator over the replica manager, or null when the replica manager lacks the hooks. */
function openGroupCoordinator(parts: {
  readonly options: BrokerOptions;
  readonly logger: Logger;
  readonly connection: ControllerConnection;
  readonly follower: MetadataFollower;
  readonly replicaManager: ReplicaManagerPort;
  readonly clock: Clock;
}): GroupCoordinator | null {
  const { options, connection, replicaManager } = parts;
  const onLeadershipChange = replicaManager.onLeadershipChange?.bind(replicaManager);
  const readLocalLog = replicaManager.readLocalLog?.bind(replicaManager);
  if (onLeadershipChange === undefined || readLocalLog === undefined) return null;
  const coordinator = new GroupCoordinator({
    brokerId: options.nodeId,
    dataPlane: { produce: (request) => replicaManager.produce(request), onLeadershipChange, readLocalLog },
    metadata: parts.follower,
    createTopic: async (request) => {
      await connection.admin(
        'CreateTopic',
        { ...request, validateOnly: false },
        { deadlineMs: BROKER_DEFAULTS.controllerRequestTimeoutMs },
      );
    },
    config: {
      offsetsTopicPartitions: options.offsetsTopicPartitions ?? GROUP_DEFAULTS.offsetsTopicPartitions,
      offsetsTopicReplicationFactor:
        options.offsetsTopicReplicationFactor ?? GROUP_DEFAULTS.offsetsTopicReplicationFactor,
      offsetsRetentionMs: options.offsetsRetentionMs ?? GROUP_DEFAULTS.offsetsRetentionMs,
      defaultSessionTimeoutMs: options.groupSessionTimeoutMs ?? GROUP_DEFAULTS.sessionTimeoutMs,
      classic: classicGroupSettings(options),
    },
    clock: parts.clock,
    logger: parts.logger,
  });
  coordinator.start();
  return coordinator;
}
