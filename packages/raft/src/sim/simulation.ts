/**
 * One seeded simulation run (TigerBeetle's VOPR, in miniature): a chaos phase of crashes, restarts,
 * partitions (some one-way), lossy/duplicating/reordering links, slow disks, torn writes, snapshots and
 * client proposals, checking every invariant after every tick; then a liveness phase in which faults stop
 * and a new proposal must commit everywhere within a bounded number of ticks. Same seed, same run.
 */
import { AssertionError, type LogIndex, type NodeId, SeededRandom, type Term } from '@tributary/core';
import type { RaftTestingKnobs } from '../types.js';
import { type Invariant, InvariantViolation } from './checker.js';
import { SimCluster } from './cluster.js';

export interface SimulationOptions {
  readonly seed: number;
  /** 3 or 5; by default chosen from the seed. */
  readonly nodeCount?: number;
  readonly chaosTicks?: number;
  /** Ticks the cluster gets, after faults stop, to elect a leader and commit a proposal everywhere. */
  readonly livenessTicksMax?: number;
  /** TEST-ONLY: break the core to prove the checkers bite. */
  readonly testingKnobs?: RaftTestingKnobs;
  readonly trace?: (line: string) => void;
}

export interface SimulationResult {
  readonly seed: number;
  readonly nodeCount: number;
  readonly ticks: number;
  readonly committed: number;
  readonly messagesInFlightAtEnd: number;
}

export class SimulationFailure extends Error {
  override readonly name = 'SimulationFailure';
  constructor(
    readonly invariant: Invariant,
    readonly seed: number,
    readonly nodeCount: number,
    readonly tick: number,
    detail: string,
  ) {
    super(
      `[${invariant}] seed=${seed} nodes=${nodeCount} step(tick)=${tick}: ${detail}\n` +
        `  replay: node packages/raft/dist/sim/cli.js --seed ${seed} --nodes ${nodeCount}`,
    );
  }
}

export const DEFAULT_CHAOS_TICKS = 500;
export const DEFAULT_LIVENESS_TICKS_MAX = 400;
const ELECTION_TICKS = 10;

export function nodeCountForSeed(seed: number): number {
  return seed % 2 === 0 ? 3 : 5;
}

export function runSimulation(options: SimulationOptions): SimulationResult {
  const nodeCount = options.nodeCount ?? nodeCountForSeed(options.seed);
  const random = new SeededRandom(options.seed);
  const cluster = new SimCluster({
    seed: options.seed,
    nodeCount,
    random,
    config: {
      electionTicks: ELECTION_TICKS,
      heartbeatTicks: 2,
      preVote: random.next() < 0.75,
      checkQuorum: random.next() < 0.75,
      maxEntriesPerAppend: random.int(1, 8),
      maxInflightAppends: random.int(1, 6),
      ...(options.testingKnobs === undefined ? {} : { testingKnobs: options.testingKnobs }),
    },
    ...(options.trace === undefined ? {} : { trace: options.trace }),
  });
  try {
    const chaosTicks = options.chaosTicks ?? DEFAULT_CHAOS_TICKS;
    runChaos(cluster, random, chaosTicks);
    const committed = runLiveness(cluster, random, options.livenessTicksMax ?? DEFAULT_LIVENESS_TICKS_MAX);
    return {
      seed: options.seed,
      nodeCount,
      ticks: cluster.nowTick,
      committed,
      messagesInFlightAtEnd: cluster.network.inFlightCount(),
    };
  } catch (error) {
    throw asFailure(error, options.seed, nodeCount, cluster.nowTick);
  }
}

function asFailure(error: unknown, seed: number, nodeCount: number, tick: number): unknown {
  if (error instanceof InvariantViolation) {
    return new SimulationFailure(error.invariant, seed, nodeCount, tick, error.message);
  }
  if (error instanceof AssertionError) {
    return new SimulationFailure(
      'core-assertion',
      seed,
      nodeCount,
      tick,
      `${error.message}\n${error.stack ?? ''}`,
    );
  }
  return error;
}

function runChaos(cluster: SimCluster, random: SeededRandom, ticks: number): void {
  const intensity = random.next();
  cluster.network.faults = {
    lossRate: intensity * 0.2,
    duplicateRate: random.next() * 0.1,
    delayTicksMin: 1,
    delayTicksMax: random.int(1, 8),
  };
  cluster.slowDiskRate = random.next() * 0.3;
  cluster.tornWriteCrashRate = random.next() < 0.3 ? 0.002 : 0;
  let proposals = 0;
  for (let t = 0; t < ticks; t++) {
    injectFaults(cluster, random, intensity);
    if (random.next() < 0.3) {
      if (cluster.propose(new TextEncoder().encode(`p${proposals}`)) !== null) proposals++;
    }
    if (random.next() < 0.05) {
      const node = pick(random, cluster.live());
      if (node !== undefined) cluster.snapshotAndCompact(node, random.int(0, 5));
    }
    if (random.next() < 0.01) maybeTransfer(cluster, random);
    cluster.step();
  }
}

function injectFaults(cluster: SimCluster, random: SeededRandom, intensity: number): void {
  const roll = random.next();
  if (roll < 0.01 * intensity) {
    const node = pick(random, cluster.live());
    if (node !== undefined) {
      cluster.trace(`crash node ${node.id}`);
      cluster.crash(node);
    }
  } else if (roll < 0.04) {
    const down = pick(
      random,
      cluster.nodes.filter((n) => n.raft === null),
    );
    if (down !== undefined) {
      cluster.trace(`restart node ${down.id}`);
      cluster.start(down);
    }
  } else if (roll < 0.04 + 0.02 * intensity) {
    changePartition(cluster, random);
  } else if (roll < 0.08) {
    cluster.network.heal();
  }
}

function changePartition(cluster: SimCluster, random: SeededRandom): void {
  const ids = cluster.voters;
  if (random.next() < 0.3) {
    const from = pick(random, ids) as NodeId;
    const to = pick(
      random,
      ids.filter((id) => id !== from),
    ) as NodeId;
    cluster.network.blockOneWay(from, to);
  } else {
    cluster.network.heal();
    const side = ids.filter(() => random.next() < 0.5);
    cluster.network.partition([side, ids.filter((id) => !side.includes(id))]);
  }
  cluster.trace(`partition: ${cluster.network.describeBlocked()}`);
}

function maybeTransfer(cluster: SimCluster, random: SeededRandom): void {
  const leader = cluster.leader();
  const to = pick(random, cluster.voters);
  if (leader?.raft == null || to === undefined || to === leader.id) return;
  cluster.trace(`transfer leadership ${leader.id} -> ${to}`);
  leader.raft.transferLeadership(to);
}

/** Heal everything, then require: a leader, and a fresh proposal applied on every node, within the bound. */
function runLiveness(cluster: SimCluster, random: SeededRandom, ticksMax: number): number {
  cluster.network.heal();
  cluster.network.faults = { lossRate: 0, duplicateRate: 0, delayTicksMin: 1, delayTicksMax: 2 };
  cluster.slowDiskRate = 0;
  cluster.tornWriteCrashRate = 0;
  for (const node of cluster.nodes) if (node.raft === null) cluster.start(node);
  cluster.trace('liveness phase: faults stopped');
  let pending: { index: LogIndex; term: Term } | null = null;
  for (let t = 0; t < ticksMax; t++) {
    cluster.step();
    const committedTerm = pending === null ? null : cluster.checker.committedTermAt(pending.index);
    if (pending !== null && committedTerm === pending.term) {
      const target = pending;
      if (cluster.nodes.every((n) => n.stateMachine.applied >= target.index)) return target.index;
      continue;
    }
    // Not committed yet: propose again if it was lost, or if a newer leader may never carry it.
    const leader = cluster.leader();
    const leaderTerm = leader?.raft?.status().term ?? 0;
    if (leader !== null && (pending === null || committedTerm !== null || leaderTerm > pending.term)) {
      const proposed = cluster.propose(
        new TextEncoder().encode(`liveness-${random.int(0, 1 << 30)}`),
        leader,
      );
      if (proposed !== null) pending = { index: proposed.index, term: proposed.term };
    }
  }
  const leader = cluster.leader();
  throw new InvariantViolation(
    'liveness',
    `no proposal committed on all nodes within ${ticksMax} ticks after healing (leader: ${leader?.id ?? 'none'}, ` +
      `pending: ${pending === null ? 'none' : `${pending.index}@${pending.term}`})`,
  );
}

function pick<T>(random: SeededRandom, items: readonly T[]): T | undefined {
  if (items.length === 0) return undefined;
  return items[random.int(0, items.length)];
}
