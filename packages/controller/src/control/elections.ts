/**
 * Partition leader and ISR changes caused by a broker going away or coming back. Elections are clean
 * only (DESIGN §5): a new leader always comes from the ISR, so it holds every committed record.
 */
import { assert, type BrokerId, leaderEpoch, partitionEpoch } from '@tributary/core';
import {
  type MetadataImage,
  NO_LEADER,
  type PartitionChangeRecord,
  type PartitionState,
  targetReplicas,
} from '@tributary/metadata';

/** The preferred (first in replica order) ISR member that is registered, unfenced and not excluded. */
export function chooseLeader(
  image: MetadataImage,
  state: PartitionState,
  isr: readonly BrokerId[],
  excluded: BrokerId,
): BrokerId | typeof NO_LEADER {
  for (const replica of state.replicas) {
    if (replica === excluded || !isr.includes(replica)) continue;
    const broker = image.broker(replica);
    if (broker !== undefined && !broker.fenced) return replica;
  }
  return NO_LEADER;
}

/**
 * Takes `brokerId` out of every ISR and leadership (it is being fenced, shut down or re-registered).
 *
 * - It leaves the ISR unless it is the last member. Without eligible leader replicas (Kafka's KIP-966
 *   ELR, which Tributary does not have) the last ISR member is the only replica known to hold every
 *   committed record, so it stays recorded as such; the partition is then offline (NO_LEADER) until
 *   that broker comes back, rather than electing an unclean leader.
 * - Where it led (or nobody leads), the preferred unfenced ISR member becomes leader with a new leader
 *   epoch; if none is left, the leader is NO_LEADER, also with a new epoch so the old leader is fenced.
 * - Every change bumps the partition epoch, so a stale ISR update from the old leader is refused.
 */
export function removeBrokerFromPartitions(
  image: MetadataImage,
  brokerId: BrokerId,
): PartitionChangeRecord[] {
  const records: PartitionChangeRecord[] = [];
  for (const state of image.partitionsWithIsrMember(brokerId)) {
    const record = removeBrokerFromPartition(image, state, brokerId);
    if (record !== null) records.push(record);
  }
  return records;
}

/** One partition's change of removeBrokerFromPartitions (its rules); null when nothing changes. */
export function removeBrokerFromPartition(
  image: MetadataImage,
  state: PartitionState,
  brokerId: BrokerId,
): PartitionChangeRecord | null {
  const shrunk = state.isr.filter((member) => member !== brokerId);
  const isr = shrunk.length > 0 ? shrunk : state.isr;
  // A leader that is not in the ISR any more (it never is: the ISR holds the leader) still hands over.
  const needsLeader = state.leader === brokerId || state.leader === NO_LEADER;
  const leader = needsLeader ? chooseLeader(image, state, isr, brokerId) : state.leader;
  const leaderChanged = leader !== state.leader;
  if (!leaderChanged && isr === state.isr) return null;
  return {
    type: 'PartitionChange',
    topicId: state.topicId,
    partition: state.partition,
    ...(leaderChanged ? { leader } : {}),
    ...(isr === state.isr ? {} : { isr }),
    leaderEpoch: leaderEpoch(state.leaderEpoch + (leaderChanged ? 1 : 0)),
    partitionEpoch: partitionEpoch(state.partitionEpoch + 1),
  };
}

/** Partitions named by topic and index, as a broker reports its offline ones. */
export interface NamedPartitions {
  readonly topic: string;
  readonly partitions: readonly number[];
}

/**
 * Kafka's log-dir failure, controller side: the partitions `brokerId` reports in its failed log
 * directories lose it from their ISR and leadership by removeBrokerFromPartition's rules (a new leader from
 * the rest of the ISR; the last ISR member stays recorded, the partition then offline, as when it is
 * fenced). Partitions it neither leads nor is in the ISR of, unknown topics and indexes change nothing (the
 * report may be older than the image).
 */
export function removeBrokerFromOfflinePartitions(
  image: MetadataImage,
  brokerId: BrokerId,
  offline: readonly NamedPartitions[],
): PartitionChangeRecord[] {
  const records: PartitionChangeRecord[] = [];
  const seen = new Set<string>();
  for (const { topic, partitions } of offline) {
    const described = image.topicByName(topic);
    if (described === undefined) continue;
    for (const index of partitions) {
      const state = described.partitions.get(index);
      const key = `${topic}-${index}`;
      if (state === undefined || seen.has(key)) continue;
      seen.add(key);
      if (state.leader !== brokerId && !state.isr.includes(brokerId)) continue;
      const record = removeBrokerFromPartition(image, state, brokerId);
      if (record !== null) records.push(record);
    }
  }
  return records;
}

/** Brings offline partitions back: where nobody leads and `brokerId` is in the ISR, it leads. */
export function electOnUnfence(image: MetadataImage, brokerId: BrokerId): PartitionChangeRecord[] {
  const records: PartitionChangeRecord[] = [];
  for (const state of image.partitionsWithIsrMember(brokerId)) {
    if (state.leader !== NO_LEADER) continue;
    records.push({
      type: 'PartitionChange',
      topicId: state.topicId,
      partition: state.partition,
      leader: brokerId,
      leaderEpoch: leaderEpoch(state.leaderEpoch + 1),
      partitionEpoch: partitionEpoch(state.partitionEpoch + 1),
    });
  }
  return records;
}

/**
 * A partition's preferred leader: its first replica, or during a reassignment the first replica of the
 * list it is heading for (targetReplicas), so leadership is not pulled back to a replica being removed.
 */
export function preferredLeader(state: PartitionState): BrokerId {
  const preferred = targetReplicas(state)[0];
  assert(preferred !== undefined, () => `partition ${state.topicId}/${state.partition} has no replicas`);
  return preferred;
}

/** What a preferred leader election (Kafka's ElectLeaders with PREFERRED) decides for one partition. */
export type PreferredElection =
  | { readonly outcome: 'elected'; readonly leader: BrokerId; readonly record: PartitionChangeRecord }
  | { readonly outcome: 'not-needed'; readonly leader: BrokerId }
  | {
      readonly outcome: 'not-available';
      /** The partition's leader, unchanged. */
      readonly leader: BrokerId | typeof NO_LEADER;
      readonly reason: string;
    };

/**
 * Moves leadership to the preferred leader when it is registered, unfenced and in the ISR (a clean
 * election: it holds every committed record). A new leader epoch fences the old leader; the partition
 * epoch grows with every change, as elsewhere.
 */
export function electPreferredLeader(image: MetadataImage, state: PartitionState): PreferredElection {
  const preferred = preferredLeader(state);
  if (state.leader === preferred) return { outcome: 'not-needed', leader: preferred };
  const broker = image.broker(preferred);
  const reason =
    broker === undefined
      ? `preferred leader ${preferred} is not registered`
      : broker.fenced
        ? `preferred leader ${preferred} is fenced`
        : !state.isr.includes(preferred)
          ? `preferred leader ${preferred} is not in the ISR [${state.isr.join(', ')}]`
          : null;
  if (reason !== null) return { outcome: 'not-available', leader: state.leader, reason };
  return {
    outcome: 'elected',
    leader: preferred,
    record: {
      type: 'PartitionChange',
      topicId: state.topicId,
      partition: state.partition,
      leader: preferred,
      leaderEpoch: leaderEpoch(state.leaderEpoch + 1),
      partitionEpoch: partitionEpoch(state.partitionEpoch + 1),
    },
  };
}
