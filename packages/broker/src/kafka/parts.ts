/**
 * What the Kafka handlers use of the broker: its parts, called directly (DESIGN §9), never the broker's
 * own gRPC API over loopback. The gRPC services use the same parts, so both APIs are one system: the
 * same logs, producer state, group coordinator and committed offsets.
 */
import type { BrokerId } from '@tributary/core';
import type { MetadataImage } from '@tributary/metadata';
import type { AccessControl } from '@tributary/security';
import type { Logger } from 'pino';
import type { GroupCoordinator } from '../group/coordinator.js';
import type { BrokerClientQuotas } from '../quotas/client-quotas.js';
import type { AdminForwarder } from '../services/admin-forwarding.js';
import type { AutoCreateOptions, ImageSource } from '../services/auto-create.js';
import type { BrokerDataPlane, ProducerIdSource } from '../services/broker-service.js';
import type { ProducerDescriber } from '../services/describe-producers.js';
import type { TransactionCoordinatorPort, TxnMarkerWriterPort } from '../txn/ports.js';

export interface KafkaBrokerParts {
  readonly brokerId: number;
  readonly metadata: ImageSource;
  readonly dataPlane: BrokerDataPlane;
  readonly producerIds: ProducerIdSource;
  /** Null when the broker runs without one (test doubles): group APIs then answer COORDINATOR_NOT_AVAILABLE. */
  readonly groupCoordinator: GroupCoordinator | null;
  readonly admin: AdminForwarder;
  /** Null: auto-creation is off (auto.create.topics.enable). */
  readonly autoCreate: AutoCreateOptions | null;
  /**
   * The broker's --default-partitions and --default-replication-factor (Kafka's num.partitions and
   * default.replication.factor): what CreateTopics' -1 (KIP-464) means, with or without auto-creation.
   */
  readonly topicDefaults: { readonly partitions: number; readonly replicationFactor: number };
  /** The cluster id, once known (asked of the controller once); null until then. */
  readonly clusterId: () => string | null;
  /** False until this broker has caught up with the metadata log (its answers would go backwards). */
  readonly metadataReady: () => boolean;
  /**
   * Authorization of every Kafka API (DESIGN §10, KAFKA_API_ACCESS); absent or disabled: every request is
   * served (test doubles, --authorizer off).
   */
  readonly access?: AccessControl;
  /** Client quotas (DESIGN §10); absent: nobody is throttled (test doubles). */
  readonly quotas?: BrokerClientQuotas;
  /**
   * The transaction coordinator (issue 14) and this broker's marker writer; absent or null: the transaction
   * APIs answer COORDINATOR_NOT_AVAILABLE (test doubles, a broker still starting).
   */
  readonly transactions?: TransactionCoordinatorPort | null;
  readonly txnMarkers?: TxnMarkerWriterPort | null;
  /** DescribeProducers from the replica manager; absent: no partition is hosted here (test doubles). */
  readonly producers?: ProducerDescriber;
  readonly logger: Logger;
}

/** host:port split for Kafka's (host, port) pairs; the address was checked when it was registered. */
export function hostAndPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return {
    host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'),
    port: Number(address.slice(colon + 1)),
  };
}

/** The brokers Kafka clients may connect to: unfenced ones with a Kafka listener, sorted by id. */
export function kafkaBrokers(
  image: MetadataImage,
): { nodeId: number; host: string; port: number; rack: string | null }[] {
  const out: { nodeId: number; host: string; port: number; rack: string | null }[] = [];
  for (const id of image.unfencedBrokerIds()) {
    const broker = image.broker(id);
    if (broker?.kafkaAddress === undefined) continue;
    out.push({ nodeId: id, ...hostAndPort(broker.kafkaAddress), rack: broker.rack });
  }
  return out.sort((a, b) => a.nodeId - b.nodeId);
}

/** KIP-951: where the brokers named as new leaders listen (those with a Kafka listener), for Produce and Fetch. */
export function leaderEndpoints(
  image: MetadataImage,
  ids: ReadonlySet<number>,
): { nodeId: number; host: string; port: number; rack: string | null }[] {
  const out: { nodeId: number; host: string; port: number; rack: string | null }[] = [];
  for (const id of ids) {
    const broker = image.brokers.get(id as BrokerId);
    if (broker?.kafkaAddress === undefined) continue;
    out.push({ nodeId: id, ...hostAndPort(broker.kafkaAddress), rack: broker.rack });
  }
  return out;
}
