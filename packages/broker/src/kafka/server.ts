/**
 * Assembles a broker's Kafka listener: the handlers over the broker's parts, the registry that
 * advertises them, and the TCP listener. The listener is bound at start (so that the broker can
 * register its Kafka address), but connections are served only once the broker has caught up with
 * the metadata log, as a KRaft broker enables request processing only then: before that, its answers
 * would come from an older image.
 */

import type { ProcessTls } from '@tributary/protocol';
import type { PrincipalMappingRules } from '@tributary/security';
import type { Logger } from 'pino';
import { guardKafkaHandlers } from './access/guard-handlers.js';
import { DEFAULT_CONNECTION_LIMITS } from './connection.js';
import type { RegisteredHandler } from './handler.js';
import { createAclsHandler, deleteAclsHandler, describeAclsHandler } from './handlers/admin-acls.js';
import {
  alterConfigsHandler,
  describeConfigsHandler,
  incrementalAlterConfigsHandler,
} from './handlers/admin-configs.js';
import {
  alterClientQuotasHandler,
  alterUserScramCredentialsHandler,
  describeClientQuotasHandler,
  describeUserScramCredentialsHandler,
} from './handlers/admin-scram-quotas.js';
import {
  createPartitionsHandler,
  createTopicsHandler,
  deleteTopicsHandler,
} from './handlers/admin-topics.js';
import { apiVersionsHandler } from './handlers/api-versions.js';
import { deleteRecordsHandler } from './handlers/delete-records.js';
import { describeClusterHandler } from './handlers/describe-cluster.js';
import { describeProducersHandler } from './handlers/describe-producers.js';
import { fetchHandler } from './handlers/fetch.js';
import { deleteGroupsHandler, describeGroupsHandler, listGroupsHandler } from './handlers/groups-admin.js';
import { findCoordinatorHandler } from './handlers/groups-find-coordinator.js';
import {
  heartbeatHandler,
  joinGroupHandler,
  leaveGroupHandler,
  syncGroupHandler,
} from './handlers/groups-membership.js';
import { offsetCommitHandler, offsetDeleteHandler } from './handlers/groups-offset-commit.js';
import { offsetFetchHandler } from './handlers/groups-offset-fetch.js';
import { initProducerIdHandler } from './handlers/init-producer-id.js';
import { listOffsetsHandler } from './handlers/list-offsets.js';
import { metadataHandler } from './handlers/metadata.js';
import { offsetForLeaderEpochHandler } from './handlers/offset-for-leader-epoch.js';
import { produceHandler } from './handlers/produce.js';
import { saslAuthenticateHandler, saslHandshakeHandler } from './handlers/sasl.js';
import {
  describeTransactionsHandler,
  listTransactionsHandler,
  writeTxnMarkersHandler,
} from './handlers/transaction-admin.js';
import {
  addOffsetsToTxnHandler,
  addPartitionsToTxnHandler,
  endTxnHandler,
  txnOffsetCommitHandler,
} from './handlers/transactions.js';
import { defaultAuthentication, type KafkaListener, startKafkaListener } from './listener.js';
import type { KafkaBrokerParts } from './parts.js';
import { KafkaApiRegistry } from './registry.js';
import type { KafkaAuthenticationOptions, SaslMetrics } from './security/authentication.js';

/** Every handler a broker serves on its Kafka listener. */
export function kafkaHandlers(
  parts: KafkaBrokerParts,
  registry: () => KafkaApiRegistry,
): RegisteredHandler[] {
  return [
    apiVersionsHandler(() => registry().advertisedVersions()),
    saslHandshakeHandler(),
    saslAuthenticateHandler(),
    produceHandler(parts),
    fetchHandler(parts),
    listOffsetsHandler(parts),
    metadataHandler(parts),
    initProducerIdHandler(parts),
    describeClusterHandler(parts),
    offsetForLeaderEpochHandler(parts),
    deleteRecordsHandler(parts),
    createTopicsHandler(parts),
    deleteTopicsHandler(parts),
    createPartitionsHandler(parts),
    describeConfigsHandler(parts),
    alterConfigsHandler(parts),
    incrementalAlterConfigsHandler(parts),
    findCoordinatorHandler(parts),
    joinGroupHandler(parts),
    syncGroupHandler(parts),
    heartbeatHandler(parts),
    leaveGroupHandler(parts),
    offsetCommitHandler(parts),
    offsetFetchHandler(parts),
    offsetDeleteHandler(parts),
    listGroupsHandler(parts),
    describeGroupsHandler(parts),
    deleteGroupsHandler(parts),
    describeAclsHandler(parts),
    createAclsHandler(parts),
    deleteAclsHandler(parts),
    describeClientQuotasHandler(parts),
    alterClientQuotasHandler(parts),
    describeUserScramCredentialsHandler(parts),
    alterUserScramCredentialsHandler(parts),
    addPartitionsToTxnHandler(parts),
    addOffsetsToTxnHandler(parts),
    endTxnHandler(parts),
    txnOffsetCommitHandler(parts),
    writeTxnMarkersHandler(parts),
    describeTransactionsHandler(parts),
    listTransactionsHandler(parts),
    describeProducersHandler(parts),
  ];
}

export function kafkaRegistry(parts: KafkaBrokerParts): KafkaApiRegistry {
  // Every handler is authorized by KAFKA_API_ACCESS when parts.access is on (DESIGN §10).
  const registry: KafkaApiRegistry = new KafkaApiRegistry(
    guardKafkaHandlers(
      kafkaHandlers(parts, () => registry),
      { parts },
    ),
  );
  return registry;
}

export interface KafkaServerOptions {
  readonly listen: string;
  readonly parts: KafkaBrokerParts;
  /** Resolves once the broker may serve (caught up with the metadata log). */
  readonly ready: Promise<void>;
  /** connections.max.idle.ms; KAFKA_CONNECTION_IDLE_MS_DEFAULT by default. */
  readonly connectionsMaxIdleMs?: number;
  /** TLS with the broker's files (see KafkaListenerOptions.tls). */
  readonly tls?: ProcessTls;
  /** How connections authenticate; SCRAM credentials always come from the broker's current image. */
  readonly authentication?: KafkaServerAuthentication;
  readonly logger: Logger;
}

export interface KafkaServerAuthentication {
  /** Default false. */
  readonly required?: boolean;
  /** Default: User:CN (TRIBUTARY_PRINCIPAL_MAPPING_RULES). */
  readonly principalMapping?: PrincipalMappingRules;
  /** Default: random per process (see KafkaAuthenticationOptions.unknownUserSecret). */
  readonly unknownUserSecret?: Uint8Array;
  readonly metrics?: SaslMetrics;
}

/** The listener's authentication: the given settings over the defaults, credentials from the current image. */
export function kafkaAuthentication(
  parts: Pick<KafkaBrokerParts, 'metadata'>,
  given: KafkaServerAuthentication = {},
): KafkaAuthenticationOptions {
  const defaults = defaultAuthentication();
  return {
    required: given.required ?? defaults.required,
    principalMapping: given.principalMapping ?? defaults.principalMapping,
    unknownUserSecret: given.unknownUserSecret ?? defaults.unknownUserSecret,
    credential: (user, mechanism) => parts.metadata.currentImage().scram.credential(user, mechanism),
    ...(given.metrics === undefined ? {} : { metrics: given.metrics }),
  };
}

export function startKafkaServer(options: KafkaServerOptions): Promise<KafkaListener> {
  return startKafkaListener({
    listen: options.listen,
    registry: kafkaRegistry(options.parts),
    logger: options.logger,
    ready: options.ready,
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    authentication: kafkaAuthentication(options.parts, options.authentication),
    limits: {
      ...DEFAULT_CONNECTION_LIMITS,
      ...(options.connectionsMaxIdleMs === undefined ? {} : { idleMs: options.connectionsMaxIdleMs }),
    },
  });
}
