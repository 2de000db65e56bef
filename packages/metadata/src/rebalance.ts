/**
 * The rebalance planner behind `trib partitions plan` (issue 7): given the partitions as they are and the
 * brokers to spread them over, the reassignment targets that
 *
 * (a) give every broker floor or ceil of (replicas / brokers) replicas,
 * (b) give every broker floor or ceil of (partitions / brokers) preferred leaders (first replicas),
 * (c) move as few replicas as possible: the brokers that end with the larger share are those holding
 *     most now, a broker over its share gives up only its excess, and preferred leaders change by
 *     reordering a replica list (no data moves) rather than by moving replicas,
 * (d) keep each partition's replication factor, never name one broker twice in a partition and, when
 *     every broker has a rack, put no more replicas of a partition on one rack than needed,
 * (e) leave partitions that are being reassigned alone (they neither move nor count).
 *
 * Replicas on brokers outside the list (a decommissioned broker, say) are moved onto listed brokers.
 * Pure and deterministic: the same input gives the same plan. Balance (a)/(b) is guaranteed without
 * racks; with racks the rack rule wins where the two conflict (uneven racks), as in Kafka.
 */
import { assert, TributaryError } from '@tributary/core';

export interface RebalancePartition {
  readonly topic: string;
  readonly partition: number;
  /** The replica list, preferred leader first (for a running reassignment: whatever it is now). */
  readonly replicas: readonly number[];
  /** A reassignment is running: the planner leaves the partition alone. */
  readonly reassigning: boolean;
}

export interface RebalanceBroker {
  readonly id: number;
  readonly rack?: string | null;
}

export interface RebalanceInput {
  readonly partitions: readonly RebalancePartition[];
  /** The brokers to spread over; replicas elsewhere are moved onto these. */
  readonly brokers: readonly (number | RebalanceBroker)[];
}

export interface RebalanceTarget {
  readonly topic: string;
  readonly partition: number;
  readonly current: readonly number[];
  readonly target: readonly number[];
}

interface Working {
  readonly source: RebalancePartition;
  /** The replicas kept or placed so far (a set, in the order they will be listed). */
  readonly replicas: number[];
  /** How many replicas still need a broker. */
  missing: number;
}

/**
 * Rounds of planning on the previous round's result. One round reaches the balance without racks; with
 * uneven racks a round's shares can be off (they ignore what the racks force), and a further round
 * evens out what the first left. Bounded; the plan is the difference between the input and the last round.
 */
const PLAN_ROUNDS_MAX = 6;

/** The reassignment targets of a balanced layout; only partitions whose replica list changes. */
export function planRebalance(input: RebalanceInput): RebalanceTarget[] {
  const brokers = normalizeBrokers(input.brokers);
  const movable = [...input.partitions].filter((p) => !p.reassigning).sort(comparePartitions);
  let layout: RebalancePartition[] = movable;
  for (let round = 0; round < PLAN_ROUNDS_MAX; round++) {
    const next = planRound(layout, brokers);
    if (next.every((p, i) => sameList(p.replicas, (layout[i] as RebalancePartition).replicas))) break;
    layout = next;
  }
  const result: RebalanceTarget[] = [];
  for (const [i, p] of layout.entries()) {
    const source = movable[i] as RebalancePartition;
    if (!sameList(p.replicas, source.replicas)) {
      result.push({
        topic: p.topic,
        partition: p.partition,
        current: [...source.replicas],
        target: p.replicas,
      });
    }
  }
  return result;
}

/** One round of planning: the layout with every partition's replicas as this round would place them. */
function planRound(
  movable: readonly RebalancePartition[],
  brokers: readonly RebalanceBroker[],
): RebalancePartition[] {
  const work = movable.map((p) => startWorking(p, brokers));
  const racks = rackOf(brokers);
  if (racks !== undefined) for (const w of work) dropRackExcess(w, racks, brokers.length);
  const loads = replicaLoads(work, brokers);
  const targets = shareTargets(loads, totalReplicas(work), brokers);
  dropExcess(work, loads, targets);
  for (const w of work) placeMissing(w, work, { loads, targets, racks });
  for (const w of work) keepOriginalOrder(w);
  chooseLeaders(work, brokers);
  return work.map((w) => {
    assert(w.missing === 0, 'every replica has a broker');
    assert(new Set(w.replicas).size === w.replicas.length, 'no broker twice in a partition');
    assert(w.replicas.length === w.source.replicas.length, 'the replication factor is kept');
    return { ...w.source, replicas: w.replicas };
  });
}

function normalizeBrokers(brokers: RebalanceInput['brokers']): RebalanceBroker[] {
  const list = brokers.map((b): RebalanceBroker => (typeof b === 'number' ? { id: b } : b));
  if (list.length === 0) throw new TributaryError('INVALID_REQUEST', 'no brokers to spread over');
  const ids = new Set(list.map((b) => b.id));
  if (ids.size !== list.length)
    throw new TributaryError('INVALID_REQUEST', 'broker list holds duplicate ids');
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id < 0)
      throw new TributaryError('INVALID_REQUEST', `bad broker id ${id}`);
  }
  return list.sort((a, b) => a.id - b.id);
}

function comparePartitions(a: RebalancePartition, b: RebalancePartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}

function startWorking(p: RebalancePartition, brokers: readonly RebalanceBroker[]): Working {
  const rf = p.replicas.length;
  if (rf === 0 || new Set(p.replicas).size !== rf) {
    throw new TributaryError('INVALID_REPLICA_ASSIGNMENT', `${p.topic}-${p.partition}: bad replica list`);
  }
  if (rf > brokers.length) {
    throw new TributaryError(
      'INVALID_REPLICATION_FACTOR',
      `${p.topic}-${p.partition} has ${rf} replicas but only ${brokers.length} brokers were given`,
    );
  }
  const listed = new Set(brokers.map((b) => b.id));
  const replicas = p.replicas.filter((id) => listed.has(id));
  return { source: p, replicas, missing: rf - replicas.length };
}

/** The rack of every broker, or undefined unless every broker has one (rack awareness is all or none). */
function rackOf(brokers: readonly RebalanceBroker[]): Map<number, string> | undefined {
  if (!brokers.every((b) => typeof b.rack === 'string')) return undefined;
  return new Map(brokers.map((b) => [b.id, b.rack as string]));
}

/**
 * The fewest replicas of one partition any rack must hold so that rf replicas fit: the smallest c with
 * sum over racks of min(c, brokers on the rack) >= rf ("no more per rack than needed").
 */
function rackCap(racks: ReadonlyMap<number, string>, rf: number): number {
  const sizes = new Map<string, number>();
  for (const rack of racks.values()) sizes.set(rack, (sizes.get(rack) ?? 0) + 1);
  for (let cap = 1; ; cap++) {
    let fits = 0;
    for (const size of sizes.values()) fits += Math.min(cap, size);
    if (fits >= rf) return cap;
    assert(cap <= rf, 'the rack cap is found by rf');
  }
}

function rackCount(w: Working, racks: ReadonlyMap<number, string>, rack: string): number {
  return w.replicas.filter((id) => racks.get(id) === rack).length;
}

/** Drops the replicas that put more of the partition on a rack than allowed (the last listed go first). */
function dropRackExcess(w: Working, racks: ReadonlyMap<number, string>, brokerCount: number): void {
  assert(brokerCount >= w.source.replicas.length, 'replication factor fits the brokers');
  const cap = rackCap(racks, w.source.replicas.length);
  for (let i = w.replicas.length - 1; i >= 0; i--) {
    const rack = racks.get(w.replicas[i] as number) as string;
    if (rackCount(w, racks, rack) > cap) {
      w.replicas.splice(i, 1);
      w.missing += 1;
    }
  }
}

function totalReplicas(work: readonly Working[]): number {
  return work.reduce((sum, w) => sum + w.source.replicas.length, 0);
}

function replicaLoads(work: readonly Working[], brokers: readonly RebalanceBroker[]): Map<number, number> {
  const loads = new Map(brokers.map((b) => [b.id, 0]));
  for (const w of work) for (const id of w.replicas) loads.set(id, (loads.get(id) ?? 0) + 1);
  return loads;
}

/**
 * Each broker's share: floor(total / n), plus one for the (total mod n) brokers holding the most now
 * (ties to the lower id), so the fewest replicas have to leave a broker.
 */
function shareTargets(
  loads: ReadonlyMap<number, number>,
  total: number,
  brokers: readonly RebalanceBroker[],
): Map<number, number> {
  const n = brokers.length;
  const floor = Math.floor(total / n);
  const extra = total % n;
  const byLoad = brokers.map((b) => b.id).sort((a, b) => (loads.get(b) ?? 0) - (loads.get(a) ?? 0) || a - b);
  return new Map(byLoad.map((id, index) => [id, floor + (index < extra ? 1 : 0)]));
}

/** A broker over its share gives up its excess, followers before preferred leaders, in partition order. */
function dropExcess(
  work: readonly Working[],
  loads: Map<number, number>,
  targets: ReadonlyMap<number, number>,
): void {
  for (const [id, target] of targets) {
    for (const leaderPass of [false, true]) {
      for (const w of work) {
        if ((loads.get(id) ?? 0) <= target) break;
        const index = w.replicas.indexOf(id);
        if (index === -1 || (index === 0) !== leaderPass) continue;
        w.replicas.splice(index, 1);
        w.missing += 1;
        loads.set(id, (loads.get(id) ?? 0) - 1);
      }
    }
  }
}

interface Placement {
  readonly loads: Map<number, number>;
  readonly targets: ReadonlyMap<number, number>;
  readonly racks: ReadonlyMap<number, string> | undefined;
}

function rackAllows(w: Working, id: number, racks: Placement['racks']): boolean {
  if (racks === undefined) return true;
  return rackCount(w, racks, racks.get(id) as string) < rackCap(racks, w.source.replicas.length);
}

function canTake(w: Working, id: number, racks: Placement['racks']): boolean {
  return !w.replicas.includes(id) && rackAllows(w, id, racks);
}

function add(w: Working, id: number, loads: Map<number, number>): void {
  assert(!w.replicas.includes(id), 'a broker is added to a partition once');
  w.replicas.push(id);
  w.missing -= 1;
  loads.set(id, (loads.get(id) ?? 0) + 1);
}

/** Brokers by how far under their share they are (most first), then id. */
function underShare(placement: Placement): number[] {
  const gap = (id: number) => (placement.targets.get(id) ?? 0) - (placement.loads.get(id) ?? 0);
  return [...placement.targets.keys()].filter((id) => gap(id) > 0).sort((a, b) => gap(b) - gap(a) || a - b);
}

/**
 * Gives each missing replica a broker under its share. When every such broker already holds the
 * partition, one replica of another partition shifts from a full broker to the under-share one first
 * (one extra move; without racks such a shift always exists: the full broker holds at least as many
 * replicas, so one of them is a partition the under-share broker lacks). Failing that (racks), the
 * least-loaded allowed broker takes it.
 */
function placeMissing(w: Working, work: readonly Working[], placement: Placement): void {
  const { loads, racks } = placement;
  while (w.missing > 0) {
    const direct = underShare(placement).find((id) => canTake(w, id, racks));
    if (direct !== undefined) {
      add(w, direct, loads);
      continue;
    }
    if (shiftThenPlace(w, work, placement)) continue;
    const fallback = [...loads.keys()]
      .filter((id) => canTake(w, id, racks))
      .sort((a, b) => (loads.get(a) ?? 0) - (loads.get(b) ?? 0) || a - b)[0];
    if (fallback === undefined) {
      throw new TributaryError(
        'INVALID_REPLICA_ASSIGNMENT',
        `no broker can take a replica of ${w.source.topic}-${w.source.partition}`,
      );
    }
    add(w, fallback, loads);
  }
}

function shiftThenPlace(w: Working, work: readonly Working[], placement: Placement): boolean {
  const { loads, racks } = placement;
  for (const under of underShare(placement)) {
    for (const full of [...loads.keys()].sort((a, b) => a - b)) {
      if (!canTake(w, full, racks)) continue;
      for (const other of work) {
        if (other === w || other.missing > 0) continue;
        const index = other.replicas.indexOf(full);
        // The preferred leader stays put; leaders are balanced by reordering afterwards anyway.
        if (index <= 0 || other.replicas.includes(under)) continue;
        other.replicas.splice(index, 1);
        if (!rackAllows(other, under, racks)) {
          other.replicas.splice(index, 0, full);
          continue;
        }
        other.replicas.splice(index, 0, under);
        loads.set(full, (loads.get(full) ?? 0) - 1);
        loads.set(under, (loads.get(under) ?? 0) + 1);
        add(w, full, loads);
        return true;
      }
    }
  }
  return false;
}

/**
 * Preferred leaders: every broker leads floor or ceil of (partitions / brokers). Current leaders are
 * kept where the share allows; the rest are found by augmenting paths (bipartite b-matching), first up to
 * the floor for every broker, then up to the ceil; a broker's count never drops along an augmenting path,
 * so the floor reached in the first pass holds. Where no balanced choice exists the least-leading replica
 * leads (only possible with racks). The leader moves to the front; the other replicas keep their order.
 */
function chooseLeaders(work: readonly Working[], brokers: readonly RebalanceBroker[]): void {
  const n = brokers.length;
  const floor = Math.floor(work.length / n);
  const ceil = Math.ceil(work.length / n);
  const leaderOf = new Map<Working, number>();
  const led = new Map<number, Working[]>(brokers.map((b) => [b.id, []]));
  let capacity = floor;
  const assign = (w: Working, id: number) => {
    leaderOf.set(w, id);
    led.get(id)?.push(w);
  };
  for (const w of work) {
    const current = w.source.replicas[0] as number;
    if (w.replicas.includes(current) && (led.get(current)?.length ?? 0) < capacity) assign(w, current);
  }
  const augment = (w: Working, visited: Set<number>): boolean => {
    for (const id of w.replicas) {
      if (visited.has(id)) continue;
      visited.add(id);
      const list = led.get(id) ?? [];
      if (list.length < capacity) {
        assign(w, id);
        return true;
      }
      for (let i = 0; i < list.length; i++) {
        const other = list[i] as Working;
        list.splice(i, 1);
        if (augment(other, visited)) {
          assign(w, id);
          return true;
        }
        list.splice(i, 0, other);
      }
    }
    return false;
  };
  for (const pass of [floor, ceil]) {
    capacity = pass;
    for (const w of work) if (!leaderOf.has(w)) augment(w, new Set());
  }
  for (const w of work) {
    const id =
      leaderOf.get(w) ??
      [...w.replicas].sort((a, b) => (led.get(a)?.length ?? 0) - (led.get(b)?.length ?? 0) || a - b)[0];
    assert(id !== undefined, 'a partition has a replica to lead');
    if (!leaderOf.has(w)) assign(w, id);
    const index = w.replicas.indexOf(id);
    w.replicas.splice(index, 1);
    w.replicas.unshift(id);
  }
}

/**
 * Kept replicas in their original order, then the new ones: a replica dropped and given back to the same
 * broker (over-share with racks) must not show up as a change.
 */
function keepOriginalOrder(w: Working): void {
  const rank = (id: number) => {
    const index = w.source.replicas.indexOf(id);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  const placed = w.replicas.map((id, order) => ({ id, order }));
  placed.sort((a, b) => rank(a.id) - rank(b.id) || a.order - b.order);
  w.replicas.splice(0, w.replicas.length, ...placed.map((p) => p.id));
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
