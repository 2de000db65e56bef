/**
 * A broker process's parts wired together (DESIGN §2): the replica manager (partition logs and
 * replication), the metadata follower feeding it every committed image, the gRPC server with the
 * Broker and Replication services, and the lifecycle manager holding the broker's lease with the
 * active controller. close() hands leaderships over first (controlled shutdown), then stops the rest.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assert, systemClock, TributaryError, brokerId as toBrokerId, WIRE_LIMITS } from '@tributary/core';
import {
  bindServer,
  ControllerConnection,
  createServer,
  DEFAULT_PROCESS_SECURITY,
  guardServer,
  installAuthentication,
  instrumentServer,
  processAccessControl,
  reloadTls,
  shutdownServer,
} from '@tributary/protocol';
import { DEFAULT_QUOTA_WINDOW } from '@tributary/security';
import { groupTxnPorts } from '../group/txn-port.js';
import { BrokerLifecycleManager } from '../lifecycle/manager.js';
import { MetadataFollower } from '../metadata-follower/metadata-follower.js';
import { BrokerMetrics } from '../metrics/broker-metrics.js';
import { type BrokerNodeParts, nodeScrapeSources } from '../metrics/node-sources.js';
import { addBrokerStandardServices, startMetricsEndpoint } from '../metrics/observability.js';
import { ProducerIdManager } from '../producer-ids/producer-id-manager.js';
import { BrokerClientQuotas } from '../quotas/client-quotas.js';
import { QuotaMetrics } from '../quotas/quota-metrics.js';
import { DURABILITY_DEFAULT } from '../replica/config.js';
import { UnreachableBrokers } from '../replica/unreachable-brokers.js';
import { AdminForwarder } from '../services/admin-forwarding.js';
import { advertisedAddressFor } from './addresses.js';
import { BROKER_DEFAULTS, type BrokerHandle, type BrokerOptions } from './broker-options.js';
import { addServices, autoCreateOptions, openGroupCoordinator, ReplicationClients } from './broker-parts.js';
import { openDefaultReplicaManager } from './default-replica-manager.js';
import { ImageApplier } from './image-applier.js';
import { openKafkaListener } from './kafka-wiring.js';
import { ensureMetaProperties } from './meta-properties.js';
import { addTransactionServices, openTransactionParts } from './txn-wiring.js';

export { advertisedAddressFor } from './addresses.js';
export { BROKER_DEFAULTS, type BrokerHandle, type BrokerOptions } from './broker-options.js';

export async function startBroker(options: BrokerOptions): Promise<BrokerHandle> {
  assert(options.controllers.length > 0, 'a broker needs at least one controller address');
  assert(
    Number.isSafeInteger(options.nodeId) && options.nodeId >= 0,
    'nodeId must be a non-negative integer',
  );
  const self = toBrokerId(options.nodeId);
  const logger = options.logger.child({ brokerId: self });
  const clock = options.clock ?? systemClock;
  const dataDirs = typeof options.dataDir === 'string' ? [options.dataDir] : [...options.dataDir];
  const [firstDataDir, ...otherDataDirs] = dataDirs;
  assert(firstDataDir !== undefined, 'a broker needs at least one data directory');
  // Every directory names this node (and cluster): a disk from another broker is refused, naming it.
  await ensureMetaProperties(dataDirs, options.nodeId, options.clusterId);
  await mkdir(join(firstDataDir, 'metadata'), { recursive: true });
  for (const dir of dataDirs) await mkdir(join(dir, 'logs'), { recursive: true });

  const credentials = options.tls?.channelCredentials();
  const connection = new ControllerConnection({
    addresses: options.controllers,
    clock,
    ...(credentials === undefined ? {} : { credentials }),
  });
  const replicationClients = new ReplicationClients(credentials);
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
      dataDir: join(firstDataDir, 'logs'),
      additionalLogDirs: otherDataDirs.map((dir) => join(dir, 'logs')),
      onLogDirOffline: (logDir, allOffline) => {
        // The heartbeat reports the directory's partitions, so the controller moves them now.
        lifecycle?.heartbeatSoon();
        if (!allOffline) return;
        logger.fatal({ logDir }, 'every log directory is offline: the broker shuts down (as Kafka halts)');
        options.onAllLogDirsOffline?.();
      },
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
      logCleaner: {
        enable: options.logCleanerEnable,
        threads: options.logCleanerThreads,
        ioMaxBytesPerSecond: options.logCleanerIoMaxBytesPerSecond,
        backoffMs: options.logCleanerBackoffMs,
      },
      defaultFlushOnAck: (options.durability ?? DURABILITY_DEFAULT) === 'fsync',
      ...(options.logRetentionCheckIntervalMs === undefined
        ? {}
        : { retentionCheckIntervalMs: options.logRetentionCheckIntervalMs }),
    });
    cleanups.push(() => replicaManager.close());
    parts.replicaManager = replicaManager;

    const follower = await MetadataFollower.start({
      controllers: options.controllers,
      dataDir: join(firstDataDir, 'metadata'),
      logger: logger.child({ subsystem: 'metadata-follower' }),
      clock,
      ...(credentials === undefined ? {} : { credentials }),
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
    // Also before the first image: no leadership of __transaction_state may be missed either.
    const transactions = openTransactionParts({
      options,
      logger,
      connection,
      follower,
      replicaManager,
      producerIds,
      credentials,
      clock,
    });
    if (transactions !== null) {
      cleanups.push(() => transactions.close());
      // TxnOffsetCommit and the markers written to __consumer_offsets reach the group coordinator here.
      if (groupCoordinator !== null) Object.assign(transactions.ports, groupTxnPorts(groupCoordinator));
    }
    const applier = new ImageApplier(replicaManager.applyMetadata.bind(replicaManager), logger);
    const unsubscribe = follower.onImage((image, changes) => applier.offer(image, changes));
    applier.offer(follower.currentImage());
    cleanups.push(async () => {
      unsubscribe();
      await applier.close();
    });

    // One per broker: the gRPC ControllerAdmin service and the Kafka listener's admin APIs share its bound.
    const adminForwarder = new AdminForwarder({ connection });
    const dataPlane = metrics.instrumentDataPlane(replicaManager);
    // Client quotas from the image this broker has replayed: a changed quota applies from the next request.
    let quotas: BrokerClientQuotas | undefined;
    const quotaMetrics = new QuotaMetrics(metrics.registry, () => quotas?.trackedEntities ?? 0);
    quotas = new BrokerClientQuotas({
      quotas: () => follower.currentImage().clientQuotas,
      clock,
      window: {
        samples: options.quotaWindowNum ?? DEFAULT_QUOTA_WINDOW.samples,
        sampleWindowMs: options.quotaWindowSizeMs ?? DEFAULT_QUOTA_WINDOW.sampleWindowMs,
      },
      metrics: quotaMetrics,
    });
    // Authorization (DESIGN §10) over the ACLs this broker has replayed: gRPC and Kafka listener alike.
    const access = processAccessControl({
      security: options.security ?? DEFAULT_PROCESS_SECURITY,
      acls: () => follower.currentImage().acls.byId,
      logger: logger.child({ subsystem: 'authorizer' }),
      registry: metrics.registry,
      nowMs: () => clock.nowMs(),
    });
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
              quotas,
              access,
              transactions: transactions?.coordinator ?? null,
              txnMarkers: transactions?.markerWriter ?? null,
              ...(replicaManager.describeProducers === undefined
                ? {}
                : {
                    producers: {
                      describeProducers: (wanted) => replicaManager.describeProducers?.(wanted) ?? [],
                    },
                  }),
              logger,
            },
            admin: adminForwarder,
            caughtUp,
            connectionsMaxIdleMs: options.kafkaConnectionsMaxIdleMs,
            tls: options.tls,
            security: options.security,
            clusterId: options.clusterId,
            metricsRegistry: metrics.registry,
            logger,
          });
    if (kafka !== null) cleanups.push(() => kafka.listener.close());
    const server = createServer();
    cleanups.push(() => server.forceShutdown());
    // Before any service is added: every RPC gets a request id (x-request-id) and a latency observation.
    instrumentServer(server, { onCallEnd: metrics.observeRpc, logger });
    // Then every call is authenticated (the Auth and health services excepted); credentials come from the
    // image this broker has replayed, so user changes apply as soon as it has them.
    installAuthentication(server, {
      security: options.security ?? DEFAULT_PROCESS_SECURITY,
      credential: (user, mechanism) => follower.currentImage().scram.credential(user, mechanism),
      ...(options.clusterId === undefined ? {} : { clusterId: options.clusterId }),
      clock,
      logger: logger.child({ subsystem: 'auth' }),
    });
    // Then every authenticated call is authorized by the one table (GRPC_METHOD_ACCESS).
    guardServer(server, {
      access,
      topicNameOfId: (topicId) => follower.currentImage().topicsById.get(topicId)?.name,
    });
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
      quotas,
    });
    if (transactions !== null) {
      const notReady = (): TributaryError | undefined =>
        metadataReady()
          ? undefined
          : new TributaryError('BROKER_NOT_READY', `broker ${self} is catching up with the metadata log`);
      addTransactionServices(server, transactions, notReady, logger);
    }
    const standard = addBrokerStandardServices(server, {
      lifecycle: () => lifecycle?.snapshot(),
      groupCoordinator: groupCoordinator !== null,
    });
    cleanups.push(() => standard.close());
    const port = await bindServer(server, options.listen, options.tls?.serverCredentials());
    const metricsServer = await startMetricsEndpoint(
      options.metricsListen,
      metrics.registry,
      logger,
      options.metricsTls === true ? options.tls : undefined,
    );
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
      offlinePartitions: () =>
        replicaManager.offlinePartitionsToReport?.(WIRE_LIMITS.offlinePartitionsPerHeartbeatMax) ?? [],
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
        tls: options.tls?.summary() ?? null,
        durability: options.durability ?? DURABILITY_DEFAULT,
      },
      'broker ready',
    );

    const shutdownTimeoutMs =
      options.controlledShutdownTimeoutMs ?? BROKER_DEFAULTS.controlledShutdownTimeoutMs;
    let closing: Promise<void> | undefined;
    const close = async (controlled: boolean): Promise<void> => {
      standard.shutdown();
      if (controlled) {
        const final = await manager.controlledShutdown({ timeoutMs: shutdownTimeoutMs });
        logger.info({ completed: final.shutdownCompleted }, 'controlled shutdown finished');
      }
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
      transactions,
      close: (closeOptions) => {
        closing ??= close(closeOptions?.controlled ?? true);
        return closing;
      },
      reload: () => {
        reloadTls(options.tls, logger);
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
