/**
 * The parts of a broker node that startBroker wires together: replication clients, auto-creation through
 * the controller, the gRPC services over the parts, and the group coordinator.
 */
import type * as grpc from '@grpc/grpc-js';
import { type Clock, systemClock, TributaryError } from '@tributary/core';
import {
  addBrokerService,
  addControllerAdminService,
  addGroupCoordinatorService,
  addReplicationService,
  type ControllerConnection,
  callerOf,
  createReplicationClient,
  gateUnaryService,
  type ReplicationClient,
} from '@tributary/protocol';
import type { Logger } from 'pino';
import { createGroupCoordinatorHandlers, GROUP_DEFAULTS, GroupCoordinator } from '../group/index.js';
import type { MetadataFollower } from '../metadata-follower/metadata-follower.js';
import type { ProducerIdManager } from '../producer-ids/producer-id-manager.js';
import type { BrokerClientQuotas } from '../quotas/client-quotas.js';
import { REPLICA_FETCH_RECONNECT_BACKOFF } from '../replica/follower-fetcher.js';
import { type AdminForwarder, createAdminForwardingHandlers } from '../services/admin-forwarding.js';
import type { AutoCreateOptions } from '../services/auto-create.js';
import { type BrokerDataPlane, createBrokerHandlers } from '../services/broker-service.js';
import { createReplicationHandlers } from '../services/replication-service.js';
import { BROKER_DEFAULTS, type BrokerOptions } from './broker-options.js';
import { classicGroupSettings } from './config.js';
import type { ReplicaManagerPort } from './replica-port.js';

/** Replication clients by leader address, shared by every partition this broker follows. */
export class ReplicationClients {
  readonly #clients = new Map<string, ReplicationClient>();

  /** `credentials`: TLS towards the leaders (the broker's certificate, the CA); default plaintext. */
  constructor(private readonly credentials?: grpc.ChannelCredentials) {}

  get(address: string): ReplicationClient {
    let client = this.#clients.get(address);
    if (client === undefined) {
      client = createReplicationClient(address, {
        ...(this.credentials === undefined ? {} : { credentials: this.credentials }),
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

/** Auto-creation through the active controller (auto.create.topics.enable), or null when it is off. */
export function autoCreateOptions(
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

export function addServices(
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
    /** Client quotas, applied to Produce and Fetch. */
    readonly quotas?: BrokerClientQuotas;
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
        ...(parts.quotas === undefined ? {} : { quotas: parts.quotas }),
        // The authenticated principal of each call (User:ANONYMOUS where nobody is authenticated).
        callerOf,
        refusal: notReady,
        ...(options.clusterId === undefined ? {} : { clusterId: options.clusterId }),
        ...(options.produceInFlightBytesMax === undefined
          ? {}
          : { produceInFlightBytesMax: options.produceInFlightBytesMax }),
        ...(replicaManager.describeReplicas === undefined
          ? {}
          : { replicas: { describeReplicas: (wanted) => replicaManager.describeReplicas?.(wanted) ?? [] } }),
        ...(replicaManager.describeProducers === undefined
          ? {}
          : {
              producers: {
                describeProducers: (wanted) => replicaManager.describeProducers?.(wanted) ?? [],
              },
            }),
      }),
      notReady,
      ['ProduceStream', 'FetchStream'],
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
export function openGroupCoordinator(parts: {
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
  const produceAsCoordinator = replicaManager.produceAsCoordinator?.bind(replicaManager);
  if (onLeadershipChange === undefined || readLocalLog === undefined || produceAsCoordinator === undefined) {
    return null;
  }
  const coordinator = new GroupCoordinator({
    brokerId: options.nodeId,
    dataPlane: {
      produce: (request) => replicaManager.produce(request),
      produceAsCoordinator,
      onLeadershipChange,
      readLocalLog,
    },
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
