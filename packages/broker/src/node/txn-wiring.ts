/**
 * The transaction coordinator's parts on a broker (packages/broker/src/txn): the coordinator shell over
 * the replica manager, the marker writer (this broker as a partition leader) and sender (this broker as
 * a coordinator), KIP-890's verifier on the produce path, and their gRPC services. Kept apart from
 * broker-parts.ts so the node's wiring of transactions reads in one place.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Clock, TributaryError } from '@tributary/core';
import {
  addTransactionCoordinatorService,
  addTransactionMarkersService,
  type ControllerConnection,
  gateUnaryService,
} from '@tributary/protocol';
import type { Logger } from 'pino';
import { GROUP_DEFAULTS } from '../group/index.js';
import type { MetadataFollower } from '../metadata-follower/metadata-follower.js';
import type { ProducerIdManager } from '../producer-ids/producer-id-manager.js';
import { TXN_DEFAULTS } from '../txn/limits.js';
import { TxnMarkerSender, TxnMarkersClients, TxnMarkerWriter } from '../txn/markers.js';
import type { TxnPorts } from '../txn/ports.js';
import {
  createTransactionCoordinatorHandlers,
  createTransactionMarkersHandlers,
} from '../txn/txn-service.js';
import { TransactionCoordinator } from '../txn/txn-shell.js';
import { TxnPartitionVerifier } from '../txn/verification.js';
import { BROKER_DEFAULTS, type BrokerOptions } from './broker-options.js';
import type { ReplicaManagerPort } from './replica-port.js';

export interface TransactionParts {
  readonly coordinator: TransactionCoordinator;
  readonly markerWriter: TxnMarkerWriter;
  /** Filled by the group coordinator's wiring (TxnOffsetCommit, markers on __consumer_offsets). */
  readonly ports: TxnPorts;
  close(): void;
}

/** The transaction coordinator over the replica manager, or null when the replica manager lacks the hooks. */
export function openTransactionParts(parts: {
  readonly options: BrokerOptions;
  readonly logger: Logger;
  readonly connection: ControllerConnection;
  readonly follower: MetadataFollower;
  readonly replicaManager: ReplicaManagerPort;
  readonly producerIds: ProducerIdManager;
  readonly credentials: grpc.ChannelCredentials | undefined;
  readonly clock: Clock;
}): TransactionParts | null {
  const { options, connection, replicaManager, follower, logger } = parts;
  const onLeadershipChange = replicaManager.onLeadershipChange?.bind(replicaManager);
  const readLocalLog = replicaManager.readLocalLog?.bind(replicaManager);
  const produceAsCoordinator = replicaManager.produceAsCoordinator?.bind(replicaManager);
  if (onLeadershipChange === undefined || readLocalLog === undefined || produceAsCoordinator === undefined) {
    return null;
  }
  const clock = parts.clock;
  const ports: TxnPorts = { txnOffsetCommit: null, markerListener: null };
  const clients = new TxnMarkersClients(parts.credentials);
  const markerWriter = new TxnMarkerWriter({ produceAsCoordinator, ports, clock, logger });
  const currentImage = () => follower.currentImage();
  const sender = new TxnMarkerSender({
    brokerId: options.nodeId,
    currentImage,
    local: markerWriter,
    clients,
    logger,
  });
  const coordinator = new TransactionCoordinator({
    brokerId: options.nodeId,
    dataPlane: {
      produce: (request) => replicaManager.produce(request),
      produceAsCoordinator,
      onLeadershipChange,
      readLocalLog,
    },
    metadata: follower,
    createTopic: async (request) => {
      await connection.admin(
        'CreateTopic',
        { ...request, validateOnly: false },
        { deadlineMs: BROKER_DEFAULTS.controllerRequestTimeoutMs },
      );
    },
    producerIds: parts.producerIds,
    markers: sender,
    config: {
      stateTopicPartitions: options.transactionStateLogNumPartitions ?? TXN_DEFAULTS.stateTopicPartitions,
      stateTopicReplicationFactor:
        options.transactionStateLogReplicationFactor ?? TXN_DEFAULTS.stateTopicReplicationFactor,
      transactionMaxTimeoutMs: options.transactionMaxTimeoutMs ?? TXN_DEFAULTS.transactionMaxTimeoutMs,
      transactionalIdExpirationMs:
        options.transactionalIdExpirationMs ?? TXN_DEFAULTS.transactionalIdExpirationMs,
      abortTimedOutTransactionCleanupIntervalMs:
        options.transactionAbortTimedOutTransactionCleanupIntervalMs ??
        TXN_DEFAULTS.abortTimedOutTransactionCleanupIntervalMs,
      removeExpiredTransactionalIdCleanupIntervalMs:
        TXN_DEFAULTS.removeExpiredTransactionalIdCleanupIntervalMs,
      offsetsTopicPartitions: options.offsetsTopicPartitions ?? GROUP_DEFAULTS.offsetsTopicPartitions,
    },
    clock,
    logger,
  });
  const verifier = new TxnPartitionVerifier({
    brokerId: options.nodeId,
    currentImage,
    local: coordinator,
    clients,
    logger,
  });
  replicaManager.setTransactionVerifier?.((write) => verifier.verify(write));
  coordinator.start();
  return {
    coordinator,
    markerWriter,
    ports,
    close: () => {
      coordinator.close();
      clients.close();
    },
  };
}

export function addTransactionServices(
  server: grpc.Server,
  txn: TransactionParts,
  notReady: () => TributaryError | undefined,
  logger: Logger,
): void {
  addTransactionCoordinatorService(
    server,
    gateUnaryService(createTransactionCoordinatorHandlers(txn.coordinator, txn.ports, logger), notReady),
  );
  addTransactionMarkersService(
    server,
    gateUnaryService(createTransactionMarkersHandlers(txn.coordinator, txn.markerWriter, logger), notReady),
  );
}
