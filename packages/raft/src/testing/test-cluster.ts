/**
 * A tiny deterministic cluster for scenario tests (etcd-io/raft's `network`): messages are delivered in
 * FIFO order until the cluster is quiet, and a filter can drop any of them (isolation, one-way cuts, or
 * "drop this one append"). Every Ready is persisted to the node's MemoryStorage before its messages go out.
 */
import { assert, type LogIndex, logIndex, type NodeId, nodeId, SeededRandom } from '@tributary/core';
import { RaftNode } from '../node.js';
import { MemoryStorage } from '../storage.js';
import type { Entry, Message, RaftConfig, Snapshot } from '../types.js';

export interface TestNode {
  readonly id: NodeId;
  readonly storage: MemoryStorage;
  raft: RaftNode;
  applied: Entry[];
  snapshotsInstalled: Snapshot[];
}

export type TestConfig = Partial<Omit<RaftConfig, 'id' | 'voters' | 'random'>>;

/** Message-processing rounds before drain() gives up: a cluster that never goes quiet is a bug. */
const DRAIN_MESSAGES_MAX = 100_000;

export class TestCluster {
  readonly nodes = new Map<NodeId, TestNode>();
  readonly voters: readonly NodeId[];
  /** Return true to drop a message. */
  dropIf: (m: Message) => boolean = () => false;
  /** Every message delivered (not dropped), for assertions. */
  readonly delivered: Message[] = [];
  private readonly queue: Message[] = [];
  private restarts = 0;

  constructor(
    size: number,
    private readonly config: TestConfig = {},
    storages?: ReadonlyMap<NodeId, MemoryStorage>,
  ) {
    this.voters = Array.from({ length: size }, (_, i) => nodeId(i + 1));
    for (const id of this.voters) {
      const storage = storages?.get(id) ?? new MemoryStorage(this.voters);
      this.nodes.set(id, {
        id,
        storage,
        raft: this.newRaft(id, storage),
        applied: [],
        snapshotsInstalled: [],
      });
    }
  }

  private newRaft(id: NodeId, storage: MemoryStorage): RaftNode {
    const config: RaftConfig = {
      electionTicks: 10,
      heartbeatTicks: 1,
      preVote: true,
      checkQuorum: true,
      ...this.config,
      id,
      voters: this.voters,
      random: new SeededRandom(id * 1_000 + this.restarts),
      applied: logIndex(storage.firstIndex() - 1),
    };
    return new RaftNode(config, storage);
  }

  node(id: number): TestNode {
    const node = this.nodes.get(nodeId(id));
    assert(node !== undefined, () => `no node ${id}`);
    return node;
  }

  raft(id: number): RaftNode {
    return this.node(id).raft;
  }

  /** Replaces a node's in-memory state with a fresh RaftNode over its storage (a crash and restart). */
  restart(id: number): void {
    const node = this.node(id);
    this.restarts++;
    node.raft = this.newRaft(node.id, node.storage);
  }

  /**
   * A crash that also loses the data directory: the node restarts over an empty MemoryStorage (term 0, no
   * vote, empty log) and an empty state machine, while its peers still remember what it acknowledged.
   */
  wipe(id: number): void {
    const old = this.node(id);
    const storage = new MemoryStorage(this.voters);
    this.restarts++;
    this.nodes.set(old.id, {
      id: old.id,
      storage,
      raft: this.newRaft(old.id, storage),
      applied: [],
      snapshotsInstalled: [],
    });
  }

  /**
   * Starts a node outside the membership (as a controller started with --join): it bootstraps with the
   * cluster's voters, which do not include it, so it waits until a membership change adds it.
   */
  addNode(id: number): TestNode {
    assert(!this.nodes.has(nodeId(id)), () => `node ${id} exists`);
    const storage = new MemoryStorage(this.voters);
    const node: TestNode = {
      id: nodeId(id),
      storage,
      raft: this.newRaft(nodeId(id), storage),
      applied: [],
      snapshotsInstalled: [],
    };
    this.nodes.set(node.id, node);
    return node;
  }

  /** Drops everything to and from `id` (until heal()). */
  isolate(...ids: number[]): void {
    this.dropIf = (m) => ids.includes(m.from) || ids.includes(m.to);
  }

  heal(): void {
    this.dropIf = () => false;
  }

  tick(id: number, times = 1): void {
    for (let i = 0; i < times; i++) {
      this.raft(id).tick();
      this.drain();
    }
  }

  tickAll(times = 1): void {
    for (let i = 0; i < times; i++) {
      for (const node of this.nodes.values()) node.raft.tick();
      this.drain();
    }
  }

  /** Ticks `id` until it leads (or gives up after a few election timeouts). */
  elect(id: number): void {
    for (let i = 0; i < 100 && this.raft(id).status().role !== 'leader'; i++) this.tick(id);
    assert(this.raft(id).status().role === 'leader', () => `node ${id} did not become leader`);
  }

  /** Persists every Ready and delivers every message until nothing is left to do. */
  drain(): void {
    for (let delivered = 0; ; delivered++) {
      assert(delivered < DRAIN_MESSAGES_MAX, 'the cluster never went quiet');
      for (const node of this.nodes.values()) this.handleReadies(node);
      const message = this.queue.shift();
      if (message === undefined) return;
      if (this.dropIf(message)) continue;
      this.delivered.push(message);
      this.node(message.to).raft.step(message);
    }
  }

  private handleReadies(node: TestNode): void {
    while (node.raft.hasReady()) {
      const rd = node.raft.ready();
      if (rd.snapshot !== null) {
        node.storage.applySnapshot(rd.snapshot);
        node.snapshotsInstalled.push(rd.snapshot);
        node.applied = [];
      }
      node.storage.append(rd.entries);
      if (rd.hardState !== null) node.storage.setHardState(rd.hardState);
      this.queue.push(...rd.messages);
      node.applied.push(...rd.committedEntries);
      node.raft.advance(rd);
    }
  }

  /** Proposes `count` entries on `id` and drains; returns the last index. */
  propose(id: number, count = 1): LogIndex {
    let last = logIndex(0);
    for (let i = 0; i < count; i++) last = this.raft(id).propose(new TextEncoder().encode(`e${i}`)).index;
    this.drain();
    return last;
  }

  /** The (index, term) pairs in a node's stable log, for comparing logs. */
  logOf(id: number): string[] {
    const storage = this.node(id).storage;
    const entries = storage.entries(
      storage.firstIndex(),
      logIndex(storage.lastIndex() + 1),
      Number.MAX_SAFE_INTEGER,
    );
    return entries.map((e) => `${e.index}@${e.term}`);
  }
}

/** A storage pre-loaded with entries of the given terms (index 1 upwards) and a hard state term. */
export function storageWithTerms(
  voters: readonly NodeId[],
  terms: readonly number[],
  currentTerm: number,
): MemoryStorage {
  const storage = new MemoryStorage(voters);
  storage.append(
    terms.map((t, i) => ({
      index: logIndex(i + 1),
      term: t as Entry['term'],
      type: 'normal' as const,
      data: new Uint8Array([i]),
    })),
  );
  storage.setHardState({ term: currentTerm as Entry['term'], votedFor: null, commit: logIndex(0) });
  return storage;
}
