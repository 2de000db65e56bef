/** Broker lifecycle commands: registration, heartbeats, fencing (DESIGN §5). */
import { assert, type BrokerEpoch, type BrokerId, brokerEpoch, TributaryError } from '@tributary/core';
import {
  type BrokerRegistration,
  type MetadataImage,
  type MetadataRecord,
  NO_LEADER,
  type PartitionChangeRecord,
} from '@tributary/metadata';
import type { ControlResult } from './context.js';
import {
  electOnUnfence,
  type NamedPartitions,
  removeBrokerFromOfflinePartitions,
  removeBrokerFromPartitions,
} from './elections.js';

export interface RegisterBrokerRequest {
  readonly brokerId: BrokerId;
  /** Fresh per process start: tells a restart of this broker from a second process using its id. */
  readonly incarnationId: string;
  readonly address: string;
  readonly rack: string | null;
  /** host:port of its Kafka listener; absent when it serves none. */
  readonly kafkaAddress?: string;
}

export interface RegisterBrokerContext {
  /** Whether the broker id's current registration still holds a lease (BrokerLeases.isAlive). */
  isLeaseAlive(brokerId: BrokerId): boolean;
}

/**
 * Registers (or re-registers) a broker. The new registration is fenced: the broker leads nothing and
 * joins no ISR until a heartbeat shows it has caught up with the metadata log.
 *
 * The epoch is the image's offset + 1, or the previous epoch + 1 if that is higher. The record commits
 * at an offset after the image's, so epochs grow across the whole cluster, even for an id that was
 * unregistered and registered again (Kafka uses the registration record's own offset). It also tells
 * the broker how far it must replay to be caught up: past its own epoch it has seen everything the
 * controller knew when it registered it.
 *
 * A re-registration also takes the broker out of ISRs and leaderships: a restarted process may have
 * lost unflushed records, and a fenced broker never leads.
 */
export function registerBroker(
  image: MetadataImage,
  request: RegisterBrokerRequest,
  context: RegisterBrokerContext,
): ControlResult<{ readonly brokerEpoch: BrokerEpoch }> {
  const { brokerId, incarnationId, address, rack, kafkaAddress } = request;
  if (incarnationId.length === 0) throw new TributaryError('INVALID_REQUEST', 'incarnation id is empty');
  if (address.length === 0) throw new TributaryError('INVALID_REQUEST', `broker ${brokerId} sent no address`);
  const existing = image.broker(brokerId);
  if (existing !== undefined && existing.incarnationId !== incarnationId && context.isLeaseAlive(brokerId)) {
    throw new TributaryError(
      'DUPLICATE_BROKER_REGISTRATION',
      `broker id ${brokerId} is held by live incarnation ${existing.incarnationId} at ${existing.address}`,
    );
  }
  const epoch = brokerEpoch(Math.max(image.offset + 1, (existing?.brokerEpoch ?? -1) + 1));
  assert(existing === undefined || epoch > existing.brokerEpoch, 'broker epochs only grow');
  const records: MetadataRecord[] = [
    {
      type: 'RegisterBroker',
      brokerId,
      brokerEpoch: epoch,
      incarnationId,
      address,
      rack,
      fenced: true,
      ...(kafkaAddress === undefined ? {} : { kafkaAddress }),
    },
  ];
  if (existing !== undefined) records.push(...removeBrokerFromPartitions(image, brokerId));
  return { records, response: { brokerEpoch: epoch } };
}

export interface BrokerHeartbeatRequest {
  readonly brokerId: BrokerId;
  readonly brokerEpoch: BrokerEpoch;
  /** The highest metadata offset the broker has applied. */
  readonly metadataOffset: number;
  /** The broker asks to be (or stay) fenced, e.g. while its log directories are recovering. */
  readonly wantFence: boolean;
  /** The broker is shutting down and wants its leaderships handed over first (controlled shutdown). */
  readonly wantShutdown: boolean;
  /** Partitions in the broker's failed log directories (removeBrokerFromOfflinePartitions); none if absent. */
  readonly offlinePartitions?: readonly NamedPartitions[];
}

export interface BrokerHeartbeatResponse {
  /** Whether the broker is fenced once this heartbeat's records are applied. */
  readonly fenced: boolean;
  /** Whether the broker has replayed the metadata log past its own registration. */
  readonly caughtUp: boolean;
  /** Controlled shutdown is done (the broker leads nothing): it may exit. */
  readonly shouldShutDown: boolean;
}

/**
 * A heartbeat (the caller renews the broker's lease before calling this). State changes it may cause:
 * - fenced, caught up, not wanting fence: UnfenceBroker, and it leads its offline partitions again;
 * - unfenced and wantFence: fenced as by a lapsed lease;
 * - wantShutdown: leaderships move to other ISR members and the broker is fenced; shouldShutDown is
 *   true, to act on once these records commit;
 * - offline partitions reported (failed log directories): they leave its ISR and leadership.
 */
export function brokerHeartbeat(
  image: MetadataImage,
  request: BrokerHeartbeatRequest,
): ControlResult<BrokerHeartbeatResponse> {
  const broker = currentBroker(image, request.brokerId, request.brokerEpoch);
  const caughtUp = request.metadataOffset >= broker.brokerEpoch;
  if (request.wantShutdown || request.wantFence) {
    const records = fenceRecords(image, broker);
    return { records, response: { fenced: true, caughtUp, shouldShutDown: request.wantShutdown } };
  }
  if (broker.fenced && caughtUp) {
    const records: MetadataRecord[] = [
      { type: 'UnfenceBroker', brokerId: broker.brokerId, brokerEpoch: broker.brokerEpoch },
      ...electOnUnfence(image, broker.brokerId),
    ];
    return { records, response: { fenced: false, caughtUp, shouldShutDown: false } };
  }
  // A failed log directory's partitions move away (a fenced broker leads nothing and is in no ISR already).
  const offline = broker.fenced
    ? []
    : removeBrokerFromOfflinePartitions(image, broker.brokerId, request.offlinePartitions ?? []);
  return { records: offline, response: { fenced: broker.fenced, caughtUp, shouldShutDown: false } };
}

export interface FenceBrokerResponse {
  /** Partitions the broker led that now have another leader. */
  readonly leadersMoved: number;
  /** Partitions the broker led that have no leader now (no other unfenced ISR member). */
  readonly partitionsOffline: number;
}

/**
 * Fences a broker whose lease lapsed: FenceBroker, then for every partition it is in the ISR of, the
 * changes of removeBrokerFromPartitions (a new leader from the ISR, or NO_LEADER; never from outside).
 * Fencing a fenced broker writes nothing.
 */
export function fenceBroker(image: MetadataImage, brokerId: BrokerId): ControlResult<FenceBrokerResponse> {
  const broker = registeredBroker(image, brokerId);
  const records = fenceRecords(image, broker);
  let leadersMoved = 0;
  let partitionsOffline = 0;
  for (const record of records) {
    if (record.type !== 'PartitionChange' || record.leader === undefined) continue;
    if (image.partition(record.topicId, record.partition)?.leader !== brokerId) continue;
    if (record.leader === NO_LEADER) partitionsOffline += 1;
    else leadersMoved += 1;
  }
  return { records, response: { leadersMoved, partitionsOffline } };
}

function registeredBroker(image: MetadataImage, brokerId: BrokerId): BrokerRegistration {
  const broker = image.broker(brokerId);
  if (broker === undefined)
    throw new TributaryError('UNKNOWN_BROKER', `broker ${brokerId} is not registered`);
  return broker;
}

/**
 * The registration of a broker speaking in its current epoch: requests from a broker that is not registered
 * (UNKNOWN_BROKER) or from an older incarnation of it (STALE_BROKER_EPOCH) are refused.
 */
export function currentBroker(
  image: MetadataImage,
  brokerId: BrokerId,
  epoch: BrokerEpoch | number,
): BrokerRegistration {
  const broker = registeredBroker(image, brokerId);
  if (epoch !== broker.brokerEpoch) {
    throw new TributaryError(
      'STALE_BROKER_EPOCH',
      `broker ${broker.brokerId} sent epoch ${epoch}; its registration has epoch ${broker.brokerEpoch}`,
    );
  }
  return broker;
}

/** FenceBroker (unless already fenced) plus the partition changes that take the broker out. */
function fenceRecords(image: MetadataImage, broker: BrokerRegistration): MetadataRecord[] {
  const changes: PartitionChangeRecord[] = removeBrokerFromPartitions(image, broker.brokerId);
  if (broker.fenced) return changes;
  return [{ type: 'FenceBroker', brokerId: broker.brokerId, brokerEpoch: broker.brokerEpoch }, ...changes];
}
