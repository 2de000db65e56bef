/**
 * Scaling-out admin (issue 7), the plain-object side: answers of the controller's reassignment, leader
 * election and decommission calls decoupled from the generated types, request validation, and
 * describeReplicas, which asks each partition's leader broker (not the controller) how far its replicas
 * have got. Admin (admin.ts) exposes these.
 */
import { TributaryError, WIRE_LIMITS } from '@tributary/core';
import {
  asTributaryError,
  type DescribedPartitionReplicas__Output,
  type ElectLeadersResult__Output,
  type OngoingReassignment__Output,
  type PartitionInfo__Output,
  type ReassignmentResult__Output,
  unary,
} from '@tributary/protocol';
import type { BrokerConnections } from './connections.js';
import type { MetadataCache } from './metadata-cache.js';

export const REASSIGNMENT_LIMITS = {
  /** Partitions one reassignment, cancel, election or describeReplicas call may name. */
  partitionsPerCallMax: WIRE_LIMITS.partitionsPerRequestMax,
  /** Replicas one target may list. */
  replicasPerTargetMax: WIRE_LIMITS.replicasPerTargetMax,
  /** Brokers describeReplicas asks at once. */
  brokersMax: 1_000,
} as const;

export interface TopicPartitionRef {
  readonly topic: string;
  readonly partition: number;
}

export interface ReassignmentTargetSpec extends TopicPartitionRef {
  /** The target replica list, preferred leader first. */
  readonly replicas: readonly number[];
}

/** A partition with its reassignment sets; while one runs, `replicas` is the union of old and target. */
export interface ReassigningPartitionDescription {
  readonly partition: number;
  readonly leader: number | null;
  readonly leaderEpoch: number;
  readonly replicas: number[];
  readonly isr: number[];
  /** Catching up; empty when no reassignment runs. */
  readonly addingReplicas: number[];
  /** Dropped once every adding replica is in the ISR; empty when no reassignment runs. */
  readonly removingReplicas: number[];
}

export interface OngoingReassignmentDescription {
  readonly topic: string;
  readonly partition: ReassigningPartitionDescription;
}

/** A per-partition outcome: `error` is null on success. */
export interface PartitionError {
  readonly code: string;
  readonly message: string;
}

export interface ReassignmentOutcome extends TopicPartitionRef {
  readonly error: PartitionError | null;
  /** The partition once the request's records apply (null when the controller did not say). */
  readonly state: ReassigningPartitionDescription | null;
}

export interface ReassignmentListing {
  readonly reassignments: OngoingReassignmentDescription[];
  /** The replication throttle in bytes/s per broker; null when none is set. */
  readonly throttleBytesPerSec: number | null;
}

export interface ElectionOutcome extends TopicPartitionRef {
  /** null when leadership moved; ELECTION_NOT_NEEDED when the preferred leader already led. */
  readonly error: PartitionError | null;
  readonly leader: number | null;
}

export interface ReplicaProgressDescription {
  readonly brokerId: number;
  /** As the leader last saw it (the replica's last fetch offset). */
  readonly logEndOffset: number;
  readonly inIsr: boolean;
  /** null when the replica was never caught up. */
  readonly caughtUpMsAgo: number | null;
}

export interface PartitionReplicasDescription extends TopicPartitionRef {
  /** The broker that answered (the leader as the client's metadata knew it); null when none was known. */
  readonly leaderId: number | null;
  readonly error: PartitionError | null;
  readonly leaderEpoch: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
  /** Bytes of the leader's log on disk. */
  readonly sizeBytes: number;
  readonly replicas: ReplicaProgressDescription[];
}

export function reassigningPartition(info: PartitionInfo__Output): ReassigningPartitionDescription {
  return {
    partition: info.partition,
    leader: info.leader < 0 ? null : info.leader,
    leaderEpoch: info.leaderEpoch,
    replicas: [...info.replicas],
    isr: [...info.isr],
    addingReplicas: [...info.addingReplicas],
    removingReplicas: [...info.removingReplicas],
  };
}

function errorOf(code: string, message: string): PartitionError | null {
  return code === '' ? null : { code, message };
}

export function reassignmentOutcome(result: ReassignmentResult__Output): ReassignmentOutcome {
  return {
    topic: result.topic,
    partition: result.partition,
    error: errorOf(result.errorCode, result.errorMessage),
    state: result.partitionInfo === null ? null : reassigningPartition(result.partitionInfo),
  };
}

export function ongoingReassignment(ongoing: OngoingReassignment__Output): OngoingReassignmentDescription {
  if (ongoing.partition === null) {
    throw new TributaryError(
      'UNKNOWN',
      `the controller listed a reassignment of ${ongoing.topic} without its partition`,
    );
  }
  return { topic: ongoing.topic, partition: reassigningPartition(ongoing.partition) };
}

export function electionOutcome(result: ElectLeadersResult__Output): ElectionOutcome {
  return {
    topic: result.topic,
    partition: result.partition,
    error: errorOf(result.errorCode, result.errorMessage),
    leader: result.leader < 0 ? null : result.leader,
  };
}

function requireRefs(refs: readonly TopicPartitionRef[]): void {
  if (refs.length > REASSIGNMENT_LIMITS.partitionsPerCallMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `at most ${REASSIGNMENT_LIMITS.partitionsPerCallMax} partitions per call`,
    );
  }
  for (const ref of refs) {
    if (ref.topic === '') throw new TributaryError('INVALID_REQUEST', 'a partition names no topic');
    if (!Number.isSafeInteger(ref.partition) || ref.partition < 0 || ref.partition > 0xffff_ffff) {
      throw new TributaryError('INVALID_REQUEST', `${ref.topic}: bad partition ${ref.partition}`);
    }
  }
}

/** Checks targets before they go out: known shapes fail here with a message naming the partition. */
export function requireValidTargets(targets: readonly ReassignmentTargetSpec[]): void {
  requireRefs(targets);
  const seen = new Set<string>();
  for (const target of targets) {
    const where = `${target.topic}-${target.partition}`;
    if (seen.has(where)) throw new TributaryError('INVALID_REPLICA_ASSIGNMENT', `${where} is named twice`);
    seen.add(where);
    const { replicas } = target;
    if (replicas.length === 0 || replicas.length > REASSIGNMENT_LIMITS.replicasPerTargetMax) {
      throw new TributaryError(
        'INVALID_REPLICA_ASSIGNMENT',
        `${where}: a target needs 1 to ${REASSIGNMENT_LIMITS.replicasPerTargetMax} replicas`,
      );
    }
    // A broker id above nodeIdMax cannot exist (brokers refuse such a node id), so none can be named.
    if (replicas.some((id) => !Number.isSafeInteger(id) || id < 0 || id > WIRE_LIMITS.nodeIdMax)) {
      throw new TributaryError(
        'INVALID_REPLICA_ASSIGNMENT',
        `${where}: replica ids must be integers in [0, ${WIRE_LIMITS.nodeIdMax}]`,
      );
    }
    if (new Set(replicas).size !== replicas.length) {
      throw new TributaryError('INVALID_REPLICA_ASSIGNMENT', `${where}: a broker is listed twice`);
    }
  }
}

export function requireValidPartitions(refs: readonly TopicPartitionRef[]): void {
  requireRefs(refs);
}

/** A throttle rate for a request: a non-negative integer of bytes per second (0 = leave as it is). */
export function requireThrottle(bytesPerSec: number | undefined): number {
  if (bytesPerSec === undefined) return 0;
  if (!Number.isSafeInteger(bytesPerSec) || bytesPerSec < 0) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `throttleBytesPerSec must be a non-negative integer, got ${bytesPerSec}`,
    );
  }
  return bytesPerSec;
}

export function describedReplicas(
  answer: DescribedPartitionReplicas__Output,
  leaderId: number | null,
): PartitionReplicasDescription {
  return {
    topic: answer.topic,
    partition: answer.partition,
    leaderId,
    error: errorOf(answer.errorCode, answer.errorMessage),
    leaderEpoch: answer.leaderEpoch,
    logStartOffset: answer.logStartOffset,
    logEndOffset: answer.logEndOffset,
    highWatermark: answer.highWatermark,
    sizeBytes: answer.sizeBytes,
    replicas: answer.replicas.map((r) => ({
      brokerId: r.brokerId,
      logEndOffset: r.logEndOffset,
      inIsr: r.inIsr,
      caughtUpMsAgo: r.caughtUpMsAgo < 0 ? null : r.caughtUpMsAgo,
    })),
  };
}

export interface BrokerSide {
  readonly metadata: MetadataCache;
  readonly connections: BrokerConnections;
}

function failed(
  ref: TopicPartitionRef,
  leaderId: number | null,
  error: PartitionError,
): PartitionReplicasDescription {
  return {
    ...ref,
    leaderId,
    error,
    leaderEpoch: 0,
    logStartOffset: 0,
    logEndOffset: 0,
    highWatermark: 0,
    sizeBytes: 0,
    replicas: [],
  };
}

/**
 * Asks each partition's leader (from fresh client metadata) to describe its replicas; one call per
 * leader broker, all at once. A partition whose leader is unknown, or whose broker could not be asked,
 * gets an error entry instead of failing the whole call (progress reporting is best-effort).
 */
export async function describeReplicasFromLeaders(
  brokers: BrokerSide,
  partitions: readonly TopicPartitionRef[],
  deadlineMs: number,
): Promise<PartitionReplicasDescription[]> {
  requireRefs(partitions);
  if (partitions.length === 0) return [];
  await brokers.metadata.refresh([...new Set(partitions.map((p) => p.topic))], deadlineMs, {
    autoCreate: false,
  });
  return describeFromLeaders(brokers, partitions, deadlineMs);
}

function sortByPartition(list: PartitionReplicasDescription[]): PartitionReplicasDescription[] {
  return list.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

async function describeFromLeaders(
  brokers: BrokerSide,
  partitions: readonly TopicPartitionRef[],
  deadlineMs: number,
): Promise<PartitionReplicasDescription[]> {
  const byLeader = new Map<number, TopicPartitionRef[]>();
  const results: PartitionReplicasDescription[] = [];
  for (const ref of partitions) {
    const leader = brokers.metadata.topic(ref.topic)?.partitions[ref.partition]?.leaderId ?? -1;
    if (leader < 0) {
      results.push(failed(ref, null, { code: 'LEADER_NOT_AVAILABLE', message: 'no leader known' }));
      continue;
    }
    const list = byLeader.get(leader) ?? [];
    list.push(ref);
    byLeader.set(leader, list);
  }
  if (byLeader.size > REASSIGNMENT_LIMITS.brokersMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `partitions led by more than ${REASSIGNMENT_LIMITS.brokersMax} brokers`,
    );
  }
  const answers = await Promise.all(
    [...byLeader].map(async ([leaderId, refs]) => {
      const address = brokers.metadata.brokerAddress(leaderId);
      if (address === undefined) {
        return refs.map((ref) =>
          failed(ref, leaderId, {
            code: 'LEADER_NOT_AVAILABLE',
            message: `no address for broker ${leaderId}`,
          }),
        );
      }
      try {
        const response = await unary(
          brokers.connections.get(address),
          'DescribeReplicas',
          { partitions: refs.map((r) => ({ topic: r.topic, partition: r.partition })) },
          { deadlineMs },
        );
        return response.partitions.map((answer) => describedReplicas(answer, leaderId));
      } catch (error) {
        const failure = asTributaryError(error);
        return refs.map((ref) => failed(ref, leaderId, { code: failure.code, message: failure.message }));
      }
    }),
  );
  for (const list of answers) results.push(...list);
  return sortByPartition(results);
}
