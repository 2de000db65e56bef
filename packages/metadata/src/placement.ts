/**
 * Replica placement, as Kafka's AdminUtils.assignReplicasToBrokers does it:
 *
 * - Partition p's first replica (its preferred leader) is broker (startIndex + p) mod n, so leaders
 *   go round-robin and no broker leads more than ceil(partitions / brokers) of the new partitions.
 * - Follower j of p sits at a shift of 1 + (replicaShift + j) mod (n - 1) from the leader; the shift
 *   grows by one after every n partitions, so followers of one broker's leaders spread over the
 *   others instead of always landing on its neighbour.
 * - startIndex and the initial shift are random (injected), so many small topics do not all put
 *   their leaders on the lowest broker id.
 *
 * Rack-aware (every broker has a rack): the brokers are first interleaved by rack (a1, b1, c1, a2, ...)
 * so that consecutive positions sit on different racks, and a follower skips brokers on a rack that
 * already holds a replica of the partition until every rack has one (Kafka's rack-aware variant).
 */
import { type BrokerId, type Random, TributaryError } from '@tributary/core';

export interface PlacementBroker {
  readonly id: BrokerId;
  readonly rack?: string | null;
}

export interface PlaceReplicasOptions {
  /** The brokers to place on (the unfenced ones); ids or ids with racks. Sorted here by id. */
  readonly brokers: readonly (BrokerId | PlacementBroker)[];
  readonly partitionCount: number;
  readonly replicationFactor: number;
  /** The index of the first new partition (existing partitions count, when adding partitions). */
  readonly startPartition?: number;
  readonly random: Random;
}

/** Returns one replica list per new partition; element 0 of each is its preferred leader. */
export function placeReplicas(options: PlaceReplicasOptions): BrokerId[][] {
  const { partitionCount, replicationFactor } = options;
  const startPartition = options.startPartition ?? 0;
  const brokers = options.brokers
    .map((b): PlacementBroker => (typeof b === 'number' ? { id: b } : b))
    .sort((a, b) => a.id - b.id);
  if (!Number.isSafeInteger(partitionCount) || partitionCount < 0) {
    throw new TributaryError('INVALID_PARTITIONS', `partition count must be >= 0, got ${partitionCount}`);
  }
  if (!Number.isSafeInteger(startPartition) || startPartition < 0) {
    throw new TributaryError('INVALID_PARTITIONS', `start partition must be >= 0, got ${startPartition}`);
  }
  if (!Number.isSafeInteger(replicationFactor) || replicationFactor < 1) {
    throw new TributaryError(
      'INVALID_REPLICATION_FACTOR',
      `replication factor must be >= 1, got ${replicationFactor}`,
    );
  }
  if (replicationFactor > brokers.length) {
    throw new TributaryError(
      'INVALID_REPLICATION_FACTOR',
      `replication factor ${replicationFactor} is larger than the ${brokers.length} available brokers`,
    );
  }
  if (new Set(brokers.map((b) => b.id)).size !== brokers.length) {
    throw new TributaryError('INVALID_REQUEST', 'broker list holds duplicate ids');
  }
  const rackAware = brokers.length > 0 && brokers.every((b) => typeof b.rack === 'string');
  const ordered = rackAware ? interleaveByRack(brokers) : brokers;
  const n = ordered.length;
  if (partitionCount === 0) return [];
  const startIndex = options.random.int(0, n);
  let replicaShift = options.random.int(0, n);
  const result: BrokerId[][] = [];
  for (let i = 0; i < partitionCount; i++) {
    const p = startPartition + i;
    if (p > 0 && p % n === 0) replicaShift += 1;
    const first = (p + startIndex) % n;
    result.push(
      rackAware
        ? rackAwareReplicas(ordered, first, replicaShift, replicationFactor)
        : plainReplicas(ordered, first, replicaShift, replicationFactor),
    );
  }
  return result;
}

function followerIndex(first: number, replicaShift: number, j: number, n: number): number {
  const shift = 1 + ((replicaShift + j) % (n - 1));
  return (first + shift) % n;
}

function plainReplicas(
  brokers: readonly PlacementBroker[],
  first: number,
  replicaShift: number,
  replicationFactor: number,
): BrokerId[] {
  const n = brokers.length;
  const replicas: BrokerId[] = [at(brokers, first).id];
  for (let j = 0; j < replicationFactor - 1; j++) {
    replicas.push(at(brokers, followerIndex(first, replicaShift, j, n)).id);
  }
  return replicas;
}

function rackAwareReplicas(
  brokers: readonly PlacementBroker[],
  first: number,
  replicaShift: number,
  replicationFactor: number,
): BrokerId[] {
  const n = brokers.length;
  const rackCount = new Set(brokers.map((b) => b.rack)).size;
  const leader = at(brokers, first);
  const replicas: BrokerId[] = [leader.id];
  const racksUsed = new Set([leader.rack]);
  let k = 0;
  while (replicas.length < replicationFactor) {
    const candidate = at(brokers, followerIndex(first, replicaShift, k, n));
    k += 1;
    const rackFree = !racksUsed.has(candidate.rack) || racksUsed.size === rackCount;
    // After one full lap every broker has been offered once; then take any broker not yet chosen.
    if (!replicas.includes(candidate.id) && (rackFree || k > n)) {
      replicas.push(candidate.id);
      racksUsed.add(candidate.rack);
    }
  }
  return replicas;
}

/** a1, b1, c1, a2, b2, ... with racks and brokers within a rack in a fixed (sorted) order. */
function interleaveByRack(brokers: readonly PlacementBroker[]): PlacementBroker[] {
  const byRack = new Map<string, PlacementBroker[]>();
  for (const broker of brokers) {
    const rack = broker.rack ?? '';
    const list = byRack.get(rack);
    if (list === undefined) byRack.set(rack, [broker]);
    else list.push(broker);
  }
  const racks = [...byRack.keys()].sort();
  const result: PlacementBroker[] = [];
  for (let round = 0; result.length < brokers.length; round++) {
    for (const rack of racks) {
      const broker = byRack.get(rack)?.[round];
      if (broker !== undefined) result.push(broker);
    }
  }
  return result;
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`index ${index} outside [0, ${items.length})`);
  return item;
}
