/**
 * A simulated cluster: RaftNodes driven the way a real shell drives them (persist, send, apply, advance),
 * over a SimNetwork, with crashes that lose whatever a node had not yet persisted. Every persisted write,
 * election and applied entry is reported to an InvariantChecker.
 */
import {
  assert,
  type LogIndex,
  logIndex,
  type NodeId,
  nodeId,
  type Random,
  SeededRandom,
  type Term,
} from '@tributary/core';
import { RaftNode } from '../node.js';
import { MemoryStorage } from '../storage.js';
import type { Entry, Message, RaftConfig, Ready, Snapshot } from '../types.js';
import { InvariantChecker } from './checker.js';
import { SimNetwork } from './network.js';

/** The state machine: a digest of every applied entry (enough to tell two histories apart). */
interface StateMachine {
  applied: LogIndex;
  digest: number;
}

export interface SimNode {
  readonly id: NodeId;
  readonly storage: MemoryStorage;
  /** Null while crashed. */
  raft: RaftNode | null;
  stateMachine: StateMachine;
  lifetimes: number;
}

export interface ClusterOptions {
  readonly seed: number;
  readonly nodeCount: number;
  /**
   * Nodes beyond nodeCount that start outside the membership (as a controller started with --join): they
   * run from the start but take part only once a membership change adds them.
   */
  readonly spareCount?: number;
  /** Config fields shared by all nodes (id, voters and random are set per node). */
  readonly config?: Partial<Omit<RaftConfig, 'id' | 'voters' | 'random'>>;
  readonly random: Random;
  readonly trace?: (line: string) => void;
  /** TEST-ONLY: do not check the one-membership-change-at-a-time invariant (to let a split brain show). */
  readonly uncheckedMembershipChanges?: boolean;
}

/** Ready rounds per node per tick; a core that never runs out of Ready is a bug. */
const READY_ROUNDS_MAX = 1_000;

const ENTRY_TYPE_CODES = { normal: 1, 'leader-change': 2, membership: 3 } as const;

export function digestEntry(digest: number, entry: Entry): number {
  // FNV-1a over (index, term, type, data): cheap, and any difference changes it with high probability.
  let h = digest ^ entry.index;
  h = Math.imul(h, 0x01000193) ^ entry.term;
  h = Math.imul(h, 0x01000193) ^ ENTRY_TYPE_CODES[entry.type];
  for (const byte of entry.data) h = Math.imul(h ^ byte, 0x01000193);
  return h >>> 0;
}

export function encodeStateMachine(sm: StateMachine): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, sm.applied);
  view.setUint32(4, sm.digest);
  return out;
}

export function decodeStateMachine(snapshot: Snapshot): StateMachine {
  if (snapshot.meta.index === 0) return { applied: logIndex(0), digest: 0 };
  const view = new DataView(snapshot.data.buffer, snapshot.data.byteOffset, snapshot.data.byteLength);
  const sm = { applied: logIndex(view.getUint32(0)), digest: view.getUint32(4) };
  assert(sm.applied === snapshot.meta.index, 'a snapshot holds the state as of its index');
  return sm;
}

export class SimCluster {
  readonly nodes: SimNode[];
  readonly network: SimNetwork;
  readonly checker = new InvariantChecker();
  /** The bootstrap voters (1..nodeCount); membership changes move on from them. */
  readonly voters: readonly NodeId[];
  /** Every node, members or not. */
  readonly ids: readonly NodeId[];
  nowTick = 0;
  /** Probability that a node's Ready waits for a later tick (a slow disk). */
  slowDiskRate = 0;
  /** Probability that a node crashes halfway through persisting a Ready. */
  tornWriteCrashRate = 0;

  constructor(private readonly options: ClusterOptions) {
    this.voters = Array.from({ length: options.nodeCount }, (_, i) => nodeId(i + 1));
    const total = options.nodeCount + (options.spareCount ?? 0);
    this.ids = Array.from({ length: total }, (_, i) => nodeId(i + 1));
    this.network = new SimNetwork(options.random);
    this.nodes = this.ids.map((id) => {
      const storage = new MemoryStorage(this.voters);
      const node: SimNode = {
        id,
        storage,
        raft: null,
        stateMachine: { applied: logIndex(0), digest: 0 },
        lifetimes: 0,
      };
      this.start(node);
      return node;
    });
  }

  node(id: NodeId): SimNode {
    const node = this.nodes[id - 1];
    assert(node !== undefined, () => `no node ${id}`);
    return node;
  }

  live(): SimNode[] {
    return this.nodes.filter((n) => n.raft !== null);
  }

  trace(line: string): void {
    this.options.trace?.(`[t=${this.nowTick}] ${line}`);
  }

  /** Starts (or restarts) a node from what its storage holds. */
  start(node: SimNode): void {
    assert(node.raft === null, () => `node ${node.id} is already running`);
    const snapshot = node.storage.snapshot();
    node.stateMachine = decodeStateMachine(snapshot);
    if (snapshot.meta.index > 0)
      this.checker.snapshotInstalled(node.id, snapshot.meta.index, node.stateMachine.digest);
    const config: RaftConfig = {
      electionTicks: 10,
      heartbeatTicks: 2,
      preVote: true,
      checkQuorum: true,
      ...this.options.config,
      id: node.id,
      voters: this.voters,
      random: new SeededRandom(this.options.seed * 7919 + node.id * 104_729 + node.lifetimes * 31),
      applied: snapshot.meta.index,
    };
    node.raft = new RaftNode(config, node.storage);
    node.lifetimes++;
    this.checker.nodeRestarted(node.id);
  }

  /** Crash: everything not yet persisted (unstable entries, unsent messages, volatile state) is lost. */
  crash(node: SimNode): void {
    node.raft = null;
  }

  /** One tick of simulated time: tick every node, deliver due messages, drain Readies. */
  step(): void {
    this.nowTick++;
    for (const node of this.nodes) node.raft?.tick();
    for (const message of this.network.takeDue(this.nowTick)) this.deliver(message);
    for (const node of this.nodes) {
      if (node.raft === null) continue;
      if (this.slowDiskRate > 0 && this.options.random.next() < this.slowDiskRate) continue;
      this.drainReady(node);
    }
    for (const node of this.nodes)
      if (node.raft !== null) this.checker.observeCommit(node.id, node.raft.status().commit);
  }

  private deliver(message: Message): void {
    const raft = this.node(message.to).raft;
    if (raft === null) return;
    raft.step(message);
  }

  drainReady(node: SimNode): void {
    for (let round = 0; node.raft?.hasReady(); round++) {
      assert(round < READY_ROUNDS_MAX, () => `node ${node.id} never runs out of Ready`);
      this.handleReady(node, node.raft, node.raft.ready());
    }
  }

  /** What a real shell does with a Ready, in the required order. */
  private handleReady(node: SimNode, raft: RaftNode, rd: Ready): void {
    const torn = this.tornWriteCrashRate > 0 && this.options.random.next() < this.tornWriteCrashRate;
    if (rd.snapshot !== null) this.installSnapshot(node, rd.snapshot);
    if (torn && rd.entries.length > 1) {
      // Crash partway through the write: a prefix of the entries made it, the hard state did not.
      node.storage.append(rd.entries.slice(0, this.options.random.int(0, rd.entries.length)));
      this.trace(`node ${node.id} crashed mid-write`);
      this.crash(node);
      return;
    }
    if (rd.entries.length > 0) {
      node.storage.append(rd.entries);
      this.checker.entriesPersisted(node.id, rd.entries, node.storage);
    }
    if (rd.hardState !== null) {
      node.storage.setHardState(rd.hardState);
      this.checker.hardStatePersisted(node.id, rd.hardState, node.storage);
    }
    this.checkLeadership(node, raft, rd);
    const status = raft.status();
    if (status.role === 'leader' && this.options.uncheckedMembershipChanges !== true) {
      this.checker.checkOneMembershipChange(node.id, node.storage, status.commit);
    }
    for (const message of rd.messages) this.network.send(message, this.nowTick);
    for (const entry of rd.committedEntries) this.apply(node, entry);
    raft.advance(rd);
  }

  private checkLeadership(node: SimNode, raft: RaftNode, rd: Ready): void {
    const status = raft.status();
    if (rd.softState !== null && rd.softState.role !== 'leader') {
      this.trace(`node ${node.id} is ${rd.softState.role} in term ${status.term} (last ${status.lastIndex})`);
    }
    if (status.role !== 'leader') return;
    this.checker.leaderElected(node.id, status.term);
    if (rd.softState?.role === 'leader') {
      this.trace(`node ${node.id} became leader of term ${status.term}`);
      this.checker.checkLeaderCompleteness(node.id, status.term, node.storage);
    }
  }

  private installSnapshot(node: SimNode, snapshot: Snapshot): void {
    node.storage.applySnapshot(snapshot);
    node.stateMachine = decodeStateMachine(snapshot);
    this.checker.snapshotInstalled(node.id, snapshot.meta.index, node.stateMachine.digest);
    this.trace(`node ${node.id} installed snapshot at ${snapshot.meta.index}`);
  }

  private apply(node: SimNode, entry: Entry): void {
    const sm = node.stateMachine;
    assert(
      entry.index === sm.applied + 1,
      () => `node ${node.id} applies ${entry.index} after ${sm.applied}`,
    );
    sm.digest = digestEntry(sm.digest, entry);
    sm.applied = entry.index;
    this.checker.entryApplied(node.id, entry, sm.digest);
  }

  /** The shell's periodic snapshot: capture the state machine, then drop all but `keepEntries` entries. */
  snapshotAndCompact(node: SimNode, keepEntries: number): void {
    const sm = node.stateMachine;
    if (node.raft === null || sm.applied <= node.storage.firstIndex()) return;
    // The snapshot carries the membership as of its index, not the (maybe newer, uncommitted) current one.
    const membership = node.raft.membershipAt(sm.applied);
    if (membership === null) return; // a snapshot from the leader is about to replace ours
    const snapshot = node.storage.createSnapshot(sm.applied, encodeStateMachine(sm), membership);
    const compactTo = Math.max(node.storage.firstIndex() - 1, snapshot.meta.index - keepEntries);
    node.storage.compact(logIndex(compactTo));
    this.trace(`node ${node.id} snapshot at ${snapshot.meta.index}, compacted to ${compactTo}`);
  }

  /** Proposes to `target` (by default any live node that believes it leads); returns where it went. */
  propose(data: Uint8Array, target?: SimNode): { node: NodeId; index: LogIndex; term: Term } | null {
    const candidates = target === undefined ? this.live() : [target];
    for (const node of candidates) {
      const raft = node.raft;
      if (raft === null || raft.status().role !== 'leader') continue;
      try {
        const { index, term } = raft.propose(data);
        this.trace(`node ${node.id} accepted proposal at ${index}@${term}`);
        return { node: node.id, index, term };
      } catch {
        return null; // NOT_LEADER while transferring, or RESOURCE_EXHAUSTED
      }
    }
    return null;
  }

  /** The live leader with the highest term, if any. */
  leader(): SimNode | null {
    let best: SimNode | null = null;
    let bestTerm = -1;
    for (const node of this.live()) {
      const status = (node.raft as RaftNode).status();
      if (status.role === 'leader' && status.term > bestTerm) {
        best = node;
        bestTerm = status.term;
      }
    }
    return best;
  }
}
