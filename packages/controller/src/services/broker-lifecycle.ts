/**
 * BrokerLifecycle: registration, heartbeats, ISR changes (AlterPartition) and producer id blocks
 * (AllocateProducerIds), served only by the active controller (a standby answers NOT_CONTROLLER with the
 * leader hint). A heartbeat with the current broker epoch renews the broker's lease before the heartbeat
 * decision runs.
 */
import {
  brokerEpoch,
  brokerId,
  LIMITS,
  leaderEpoch,
  partitionEpoch,
  TributaryError,
  WIRE_LIMITS,
} from '@tributary/core';
import {
  type AllocateProducerIdsResponse,
  type AlterPartitionItem__Output,
  type AlterPartitionResponse,
  type BrokerHeartbeatResponse,
  type BrokerLifecycleHandlers,
  handleUnary,
  type OfflinePartitions__Output,
  type RegisterBrokerResponse,
  requireCountAtMost,
  requireIntInRange,
  requireNonEmpty,
  requireSafeUint,
} from '@tributary/protocol';
import type { Logger } from 'pino';
import { parseHostPort } from '../config.js';
import { type AlterPartitionItem, alterPartition } from '../control/alter-partition.js';
import { brokerHeartbeat, registerBroker } from '../control/brokers.js';
import type { NamedPartitions } from '../control/elections.js';
import { allocateProducerIds } from '../control/producer-ids.js';
import type { LeaseManager } from '../lease-manager.js';
import type { QuorumController } from '../quorum-controller.js';
import { partitionInfo } from './convert.js';

/** Bounds on free-form strings a broker sends. */
export const INCARNATION_ID_LENGTH_MAX = 128;
export const ADDRESS_LENGTH_MAX = 512;
export const RACK_LENGTH_MAX = 128;
/**
 * Partitions in one AlterPartition request: the wire bound every partition list has, which the brokers'
 * ISR reporter splits by. Every accepted item is a record in one Raft entry, so this bounds the entry (well
 * under RECORDS_PER_ENTRY_MAX); a leader with more changes sends several requests.
 */
export const ALTER_PARTITION_ITEMS_MAX = WIRE_LIMITS.partitionsPerRequestMax;
/** Broker ids one heartbeat may report unreachable (more than any cluster has brokers). */
export const UNREACHABLE_BROKER_IDS_MAX = 1_024;

export interface BrokerLifecycleOptions {
  readonly quorum: QuorumController;
  readonly leaseManager: LeaseManager;
  readonly logger: Logger;
}

function requireLengthAtMost(value: string, field: string, max: number): string {
  if (value.length > max) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `${field} is ${value.length} characters; the limit is ${max}`,
    );
  }
  return value;
}

/** A request item in domain types; a malformed item fails the whole request (INVALID_REQUEST). */
function parseAlterPartitionItem(item: AlterPartitionItem__Output, index: number): AlterPartitionItem {
  const field = `items[${index}]`;
  const topic = requireLengthAtMost(
    requireNonEmpty(item.topic, `${field}.topic`),
    `${field}.topic`,
    LIMITS.topicNameLengthMax,
  );
  requireCountAtMost(item.newIsr, `${field}.new_isr`, LIMITS.replicationFactorMax);
  return {
    topic,
    partition: requireIntInRange(item.partition, `${field}.partition`),
    leaderEpoch: leaderEpoch(requireIntInRange(item.leaderEpoch, `${field}.leader_epoch`)),
    partitionEpoch: partitionEpoch(requireIntInRange(item.partitionEpoch, `${field}.partition_epoch`)),
    newIsr: item.newIsr.map((member) => brokerId(requireIntInRange(member, `${field}.new_isr`))),
  };
}

/**
 * A heartbeat's offline_partitions in domain types, bounded (WIRE_LIMITS.offlinePartitionsPerHeartbeatMax
 * partitions over all topics); a malformed entry fails the heartbeat (INVALID_REQUEST).
 */
function parseOfflinePartitions(entries: readonly OfflinePartitions__Output[]): NamedPartitions[] {
  requireCountAtMost(entries, 'offline_partitions', WIRE_LIMITS.offlinePartitionsPerHeartbeatMax);
  let total = 0;
  return entries.map((entry, index) => {
    const field = `offline_partitions[${index}]`;
    total += entry.partitions.length;
    if (total > WIRE_LIMITS.offlinePartitionsPerHeartbeatMax) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `offline_partitions name more than ${WIRE_LIMITS.offlinePartitionsPerHeartbeatMax} partitions`,
      );
    }
    return {
      topic: requireLengthAtMost(
        requireNonEmpty(entry.topic, `${field}.topic`),
        `${field}.topic`,
        LIMITS.topicNameLengthMax,
      ),
      partitions: entry.partitions.map((partition) => requireIntInRange(partition, `${field}.partitions`)),
    };
  });
}

/** A non-empty, bounded host:port (the broker's gRPC or Kafka address). */
function requireAddress(value: string, field: string): string {
  const address = requireLengthAtMost(requireNonEmpty(value, field), field, ADDRESS_LENGTH_MAX);
  try {
    parseHostPort(address, field);
  } catch (error) {
    throw new TributaryError('INVALID_REQUEST', error instanceof Error ? error.message : String(error));
  }
  return address;
}

export function createBrokerLifecycleHandlers(options: BrokerLifecycleOptions): BrokerLifecycleHandlers {
  const { quorum, leaseManager, logger } = options;
  const leases = leaseManager.leases;
  const handleOptions = {
    onUnexpectedError: (error: unknown) => logger.error({ err: error }, 'broker lifecycle handler failed'),
  };
  return {
    RegisterBroker: handleUnary(async (request): Promise<RegisterBrokerResponse> => {
      const id = brokerId(requireIntInRange(request.brokerId, 'broker_id'));
      const incarnationId = requireLengthAtMost(
        requireNonEmpty(request.incarnationId, 'incarnation_id'),
        'incarnation_id',
        INCARNATION_ID_LENGTH_MAX,
      );
      const address = requireAddress(request.address, 'address');
      const kafkaAddress =
        request.kafkaAddress === '' ? undefined : requireAddress(request.kafkaAddress, 'kafka_address');
      const rack = requireLengthAtMost(request.rack, 'rack', RACK_LENGTH_MAX);
      const { response } = await quorum.runCommand((image) =>
        registerBroker(
          image,
          {
            brokerId: id,
            incarnationId,
            address,
            rack: rack === '' ? null : rack,
            ...(kafkaAddress === undefined ? {} : { kafkaAddress }),
          },
          { isLeaseAlive: (broker) => leases.isAlive(broker, leaseManager.now()) },
        ),
      );
      leases.heartbeat(id, leaseManager.now());
      logger.info(
        { brokerId: id, brokerEpoch: response.brokerEpoch, address, incarnationId },
        'broker registered',
      );
      return { brokerEpoch: response.brokerEpoch };
    }, handleOptions),

    BrokerHeartbeat: handleUnary(async (request): Promise<BrokerHeartbeatResponse> => {
      const id = brokerId(requireIntInRange(request.brokerId, 'broker_id'));
      const epoch = brokerEpoch(requireSafeUint(request.brokerEpoch, 'broker_epoch'));
      const metadataOffset = requireSafeUint(request.metadataOffset, 'metadata_offset');
      requireCountAtMost(request.unreachableBrokerIds, 'unreachable_broker_ids', UNREACHABLE_BROKER_IDS_MAX);
      const unreachable = request.unreachableBrokerIds.map((member) =>
        brokerId(requireIntInRange(member, 'unreachable_broker_ids')),
      );
      const offlinePartitions = parseOfflinePartitions(request.offlinePartitions);
      // Renew only the lease of the current registration: a stale incarnation must not keep it alive,
      // nor is its word about other brokers worth acting on.
      if (quorum.latestImage().broker(id)?.brokerEpoch === epoch) {
        leases.heartbeat(id, leaseManager.now());
        leaseManager.reportUnreachable(id, unreachable);
      }
      // A heartbeat that changes nothing is answered at once (answerBeforeCommit): its fenced and caughtUp
      // flags are advisory (the broker leads only what the committed log says), and holding it behind the
      // entries in flight could outlast the broker's heartbeat deadline while large commands commit. Not
      // during a controlled shutdown: shouldShutDown lets the broker exit, which must wait until the records
      // moving its leaderships away are committed.
      const { response } = await quorum.runCommand(
        (image) =>
          brokerHeartbeat(image, {
            brokerId: id,
            brokerEpoch: epoch,
            metadataOffset,
            wantFence: request.wantFence,
            wantShutdown: request.wantShutdown,
            offlinePartitions,
          }),
        // Offline partitions are acted on before the answer: the broker re-reports them until they move.
        { answerBeforeCommit: !request.wantShutdown && offlinePartitions.length === 0 },
      );
      return {
        fenced: response.fenced,
        caughtUp: response.caughtUp,
        shouldShutDown: response.shouldShutDown,
        leaseTimeoutMs: leases.sessionTimeoutMs,
      };
    }, handleOptions),

    AlterPartition: handleUnary(async (request): Promise<AlterPartitionResponse> => {
      const id = brokerId(requireIntInRange(request.brokerId, 'broker_id'));
      const epoch = brokerEpoch(requireSafeUint(request.brokerEpoch, 'broker_epoch'));
      requireCountAtMost(request.items, 'items', ALTER_PARTITION_ITEMS_MAX);
      const items = request.items.map(parseAlterPartitionItem);
      const { response } = await quorum.runCommand((image) =>
        alterPartition(image, { brokerId: id, brokerEpoch: epoch, items }),
      );
      const accepted = response.results.filter((result) => result.error === null).length;
      logger.debug({ brokerId: id, brokerEpoch: epoch, items: items.length, accepted }, 'alter partition');
      return {
        results: response.results.map((result) => ({
          topic: result.topic,
          partition: result.partition,
          errorCode: result.error?.code ?? '',
          errorMessage: result.error?.message ?? '',
          partitionInfo: result.state === null ? null : partitionInfo(result.state),
        })),
      };
    }, handleOptions),

    AllocateProducerIds: handleUnary(async (request): Promise<AllocateProducerIdsResponse> => {
      const id = brokerId(requireIntInRange(request.brokerId, 'broker_id'));
      const epoch = brokerEpoch(requireSafeUint(request.brokerEpoch, 'broker_epoch'));
      // Answered only after the ProducerIds record commits: a block handed out is never handed out again.
      const { response } = await quorum.runCommand((image) =>
        allocateProducerIds(image, { brokerId: id, brokerEpoch: epoch }),
      );
      logger.info(
        {
          brokerId: id,
          brokerEpoch: epoch,
          firstProducerId: response.firstProducerId,
          count: response.count,
        },
        'producer id block allocated',
      );
      return { firstProducerId: response.firstProducerId, count: response.count };
    }, handleOptions),
  };
}
