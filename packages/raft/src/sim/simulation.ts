/**
 * One seeded simulation run (TigerBeetle's VOPR, in miniature): a chaos phase of crashes, restarts,
 * partitions (some one-way), lossy/duplicating/reordering links, slow disks, torn writes, snapshots and
 * client proposals, checking every invariant after every tick; then a liveness phase in which faults stop
 * and a new proposal must commit everywhere within a bounded number of ticks. Same seed, same run.
 */
import {
  AssertionError,
  type LogIndex,
  type NodeId,
  SeededRandom,
  type Term,
  TributaryError,
} from '@tributary/core';
import type { MembershipChange } from '../membership.js';
import type { RaftTestingKnobs } from '../types.js';
import { type Invariant, InvariantViolation } from './checker.js';
import { SimCluster, type SimNode } from './cluster.js';

export interface SimulationOptions {
  readonly seed: number;
  /** 3 or 5; by default chosen from the seed. */
  readonly nodeCount?: number;
  readonly chaosTicks?: number;
  /** Ticks the cluster gets, after faults stop, to elect a leader and commit a proposal everywhere. */
  readonly livenessTicksMax?: number;
  /**
   * Add two spare nodes outside the membership, and let the chaos phase change the membership one server
   * at a time (add a learner, promote it, remove a voter or learner, the leader included).
   */
  readonly membershipChanges?: boolean;
  /** TEST-ONLY: break the core to prove the checkers bite. */
  readonly testingKnobs?: RaftTestingKnobs;
  /** TEST-ONLY: skip the one-membership-change-at-a-time check, so the safety checks must catch the harm. */
  readonly uncheckedMembershipChanges?: boolean;
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
    membership = false,
  ) {
    super(
      `[${invariant}] seed=${seed} nodes=${nodeCount} step(tick)=${tick}: ${detail}\n` +
        `  replay: node packages/raft/dist/sim/cli.js --seed ${seed} --nodes ${nodeCount}` +
        (membership ? ' --membership' : ''),
    );
  }
}

export const DEFAULT_CHAOS_TICKS = 500;
export const DEFAULT_LIVENESS_TICKS_MAX = 400;
/** Spare nodes a membership-change run starts outside the membership. */
const SPARE_NODES = 2;
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
    spareCount: options.membershipChanges === true ? SPARE_NODES : 0,
    random,
    config: {
      electionTicks: ELECTION_TICKS,
      heartbeatTicks: 2,
      // Membership runs always use pre-vote, as the controller does: without it, removed nodes that never
      // learn of their removal (thesis §4.2.3) keep bumping terms and can stall elections indefinitely.
      // The draw happens either way so a seed's other choices do not depend on the mode.
      preVote: random.next() < 0.75 || options.membershipChanges === true,
      checkQuorum: random.next() < 0.75,
      maxEntriesPerAppend: random.int(1, 8),
      maxInflightAppends: random.int(1, 6),
      ...(options.testingKnobs === undefined ? {} : { testingKnobs: options.testingKnobs }),
    },
    ...(options.trace === undefined ? {} : { trace: options.trace }),
    ...(options.uncheckedMembershipChanges === true ? { uncheckedMembershipChanges: true } : {}),
  });
  try {
    const chaosTicks = options.chaosTicks ?? DEFAULT_CHAOS_TICKS;
    runChaos(cluster, random, chaosTicks, options.membershipChanges === true);
    const committed = runLiveness(cluster, random, options.livenessTicksMax ?? DEFAULT_LIVENESS_TICKS_MAX);
    return {
      seed: options.seed,
      nodeCount,
      ticks: cluster.nowTick,
      committed,
      messagesInFlightAtEnd: cluster.network.inFlightCount(),
    };
  } catch (error) {
    throw asFailure(error, { ...options, nodeCount, tick: cluster.nowTick });
  }
}

function asFailure(
  error: unknown,
  run: { seed: number; nodeCount: number; tick: number; membershipChanges?: boolean },
): unknown {
  const { seed, nodeCount, tick } = run;
  const membership = run.membershipChanges === true;
  if (error instanceof InvariantViolation) {
    return new SimulationFailure(error.invariant, seed, nodeCount, tick, error.message, membership);
  }
  if (error instanceof AssertionError) {
    const detail = `${error.message}\n${error.stack ?? ''}`;
    return new SimulationFailure('core-assertion', seed, nodeCount, tick, detail, membership);
  }
  return error;
}

function runChaos(cluster: SimCluster, random: SeededRandom, ticks: number, membership: boolean): void {
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
    if (membership && random.next() < 0.03) maybeChangeMembership(cluster, random);
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
  const ids = cluster.ids;
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
  const to = pick(random, leader?.raft?.status().voters ?? []);
  if (leader?.raft == null || to === undefined || to === leader.id) return;
  cluster.trace(`transfer leadership ${leader.id} -> ${to}`);
  leader.raft.transferLeadership(to);
}

/**
 * Asks the leader for a random single-server change: promote a learner, add a non-member as a learner, or
 * remove a member (possibly the leader itself). Refusals (one change at a time, current-term commit,
 * last voter) are expected and ignored: they are part of what is being tested.
 */
function maybeChangeMembership(cluster: SimCluster, random: SeededRandom): void {
  const leader = cluster.leader();
  const raft = leader?.raft;
  if (leader === null || raft == null) return;
  const { voters, learners } = raft.status();
  const outside = cluster.ids.filter((id) => !voters.includes(id) && !learners.includes(id));
  const roll = random.next();
  const learner = pick(random, learners);
  const stranger = pick(random, outside);
  let change: MembershipChange | null = null;
  if (learner !== undefined && roll < 0.4) change = { type: 'promote', id: learner };
  else if (stranger !== undefined && (roll < 0.7 || voters.length <= 2)) {
    change = { type: 'add-learner', id: stranger, address: `sim-${stranger}:1` };
  } else {
    const member = pick(random, [...voters, ...learners]);
    if (member !== undefined) change = { type: 'remove', id: member };
  }
  if (change === null) return;
  try {
    const { index } = raft.proposeMembership(change);
    const who = change.id === leader.id ? ' (the leader)' : '';
    cluster.trace(`membership ${change.type} ${change.id}${who} at ${index}`);
  } catch (error) {
    if (!(error instanceof TributaryError)) throw error;
    cluster.trace(`membership ${change.type} ${change.id} refused: ${error.code}`);
  }
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
      const members = membersOf(cluster);
      if (members.length > 0 && members.every((n) => n.stateMachine.applied >= target.index)) {
        return target.index;
      }
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
      `pending: ${pending === null ? 'none' : `${pending.index}@${pending.term}`})\n${describeNodes(cluster)}`,
  );
}

/**
 * The nodes the liveness proposal must reach: every member (voter or learner) in the configuration of the
 * current leader, which must itself be a voter of it (a removed leader steps down once its removal
 * commits); none while there is no such leader. Removed nodes and spares never added take no part.
 */
function membersOf(cluster: SimCluster): SimNode[] {
  if (cluster.ids.length === cluster.voters.length) return cluster.nodes; // a fixed membership
  const status = cluster.leader()?.raft?.status();
  if (status === undefined || !status.voters.includes(status.id)) return [];
  const members = [...status.voters, ...status.learners];
  return members.map((id) => cluster.node(id));
}

/** One line per node: what a failed liveness check needs to be understood. */
function describeNodes(cluster: SimCluster): string {
  return cluster.nodes
    .map((node) => {
      const s = node.raft?.status();
      if (s === undefined) return `  node ${node.id}: down`;
      return (
        `  node ${node.id}: ${s.role} term ${s.term} leader ${s.leaderId ?? '-'} commit ${s.commit} ` +
        `last ${s.lastIndex} voters [${s.voters.join(',')}] learners [${s.learners.join(',')}]`
      );
    })
    .join('\n');
}

function pick<T>(random: SeededRandom, items: readonly T[]): T | undefined {
  if (items.length === 0) return undefined;
  return items[random.int(0, items.length)];
}
