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
 *
 * placeReplicasLeastLoaded is for partitions added to an existing topic: the existing load of each broker
 * decides, so brokers added to the cluster (empty) receive the new partitions first.
 */
import { assert, type BrokerId, type Random, TributaryError } from '@tributary/core';

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
  if (!Number.isSafeInteger(startPartition) || startPartition < 0) {
    throw new TributaryError('INVALID_PARTITIONS', `start partition must be >= 0, got ${startPartition}`);
  }
  const brokers = checkedBrokers(options.brokers, partitionCount, replicationFactor);
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

/** Brokers as objects sorted by id; refuses bad counts, too few brokers and duplicate ids. */
function checkedBrokers(
  input: readonly (BrokerId | PlacementBroker)[],
  partitionCount: number,
  replicationFactor: number,
): PlacementBroker[] {
  const brokers = input
    .map((b): PlacementBroker => (typeof b === 'number' ? { id: b } : b))
    .sort((a, b) => a.id - b.id);
  if (!Number.isSafeInteger(partitionCount) || partitionCount < 0) {
    throw new TributaryError('INVALID_PARTITIONS', `partition count must be >= 0, got ${partitionCount}`);
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
  return brokers;
}

/** A broker's existing load, counted over every topic. */
export interface BrokerLoad {
  readonly replicas: number;
  /** Partitions whose preferred leader (first replica) it is. */
  readonly preferredLeaders: number;
}

export interface PlaceLeastLoadedOptions {
  /** The brokers to place on (the placeable ones); ids or ids with racks. */
  readonly brokers: readonly (BrokerId | PlacementBroker)[];
  /** Existing load per broker; a broker left out holds nothing yet. */
  readonly load: ReadonlyMap<BrokerId, BrokerLoad>;
  readonly partitionCount: number;
  readonly replicationFactor: number;
}

/** A broker's load while placing: counts grow as partitions are placed, so a batch spreads. */
interface Tally {
  readonly broker: PlacementBroker;
  replicas: number;
  leaders: number;
}

/**
 * Places new partitions on the least-loaded brokers: each partition's replicas go to the brokers with
 * the fewest replicas (over all topics, counting the partitions placed so far), and its preferred leader
 * is the one of them with the fewest preferred leaderships. Greedy, and enough for balance: the spread
 * of replica counts (max - min) never grows beyond max(its old value, 1). Rack-aware (every broker has a
 * rack): after the leader, followers go to racks without a replica of the partition first, which takes
 * precedence over the counts. Deterministic: no randomness is needed since the load breaks the symmetry.
 */
export function placeReplicasLeastLoaded(options: PlaceLeastLoadedOptions): BrokerId[][] {
  const { partitionCount, replicationFactor } = options;
  const brokers = checkedBrokers(options.brokers, partitionCount, replicationFactor);
  const rackAware = brokers.length > 0 && brokers.every((b) => typeof b.rack === 'string');
  const tallies: Tally[] = brokers.map((broker) => {
    const load = options.load.get(broker.id);
    return { broker, replicas: load?.replicas ?? 0, leaders: load?.preferredLeaders ?? 0 };
  });
  const result: BrokerId[][] = [];
  for (let i = 0; i < partitionCount; i++) {
    const chosen = chooseLeastLoaded(tallies, replicationFactor, rackAware);
    assert(chosen.length === replicationFactor, 'least-loaded placement chose too few brokers');
    assert(new Set(chosen).size === chosen.length, 'least-loaded placement chose a broker twice');
    chosen.forEach((tally, j) => {
      tally.replicas += 1;
      if (j === 0) tally.leaders += 1;
    });
    result.push(chosen.map((tally) => tally.broker.id));
  }
  return result;
}

/**
 * One partition's replicas, leader first. Brokers below the RF-th smallest replica count must be taken
 * for balance; those at it are interchangeable. The leader is the candidate with the fewest preferred
 * leaderships. Among interchangeable followers those with the MOST leaderships go first: that leaves the
 * brokers with few leaderships lighter, so they are candidates, and lead, for the next partitions.
 */
function chooseLeastLoaded(
  tallies: readonly Tally[],
  replicationFactor: number,
  rackAware: boolean,
): Tally[] {
  const byReplicas = [...tallies].sort((a, b) => a.replicas - b.replicas || a.broker.id - b.broker.id);
  const threshold = at(byReplicas, replicationFactor - 1).replicas;
  const candidates = byReplicas.filter((t) => t.replicas <= threshold);
  const leader = candidates.reduce((best, t) => (leaderOrder(t, best) < 0 ? t : best));
  if (rackAware) return [leader, ...rackAwareFollowers(tallies, leader, replicationFactor)];
  const mandatory = candidates.filter((t) => t !== leader && t.replicas < threshold);
  const interchangeable = candidates
    .filter((t) => t !== leader && t.replicas === threshold)
    .sort(followerOrder);
  return [leader, ...mandatory, ...interchangeable].slice(0, replicationFactor);
}

/** Followers on racks without a replica first (until every rack has one), then the least loaded. */
function rackAwareFollowers(tallies: readonly Tally[], leader: Tally, replicationFactor: number): Tally[] {
  const chosen = [leader];
  const racksUsed = new Set([leader.broker.rack]);
  while (chosen.length < replicationFactor) {
    const remaining = tallies.filter((t) => !chosen.includes(t));
    const onNewRack = remaining.filter((t) => !racksUsed.has(t.broker.rack));
    const pickFrom = onNewRack.length > 0 ? onNewRack : remaining;
    const next = pickFrom.reduce((best, t) => (followerOrder(t, best) < 0 ? t : best));
    chosen.push(next);
    racksUsed.add(next.broker.rack);
  }
  return chosen.slice(1);
}

/** Fewest leaderships, then fewest replicas, then lowest id. */
function leaderOrder(a: Tally, b: Tally): number {
  return a.leaders - b.leaders || a.replicas - b.replicas || a.broker.id - b.broker.id;
}

/** Fewest replicas, then most leaderships (see chooseLeastLoaded), then lowest id. */
function followerOrder(a: Tally, b: Tally): number {
  return a.replicas - b.replicas || b.leaders - a.leaders || a.broker.id - b.broker.id;
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
