/**
 * Power loss on every controller at once (issue 16 item 2, the Raft side; docs/decisions.md says why at this
 * level). The simulation's storage is the disk: a crash loses whatever a node had not persisted (unstable
 * entries, a hard state not yet written, a Ready half written when `tornWriteCrashRate` strikes), and the
 * shell persists a Ready before it sends its messages, as the controller's driver does with level's
 * sync:true batch. Here every node loses power in the same tick, repeatedly, with slow disks (Readies held
 * back, so the cut lands between a proposal and its persistence) and torn writes, and the Raft promise is
 * checked: one leader per term (a lost vote would allow two), every entry the cluster committed (a client's
 * acknowledged write) is still in the log of the leader elected after the outages, with its term, and every
 * invariant of the checker holds throughout. A disk that lies (loses a persisted vote) is caught.
 */
import { type LogIndex, SeededRandom, type Term } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { InvariantViolation } from './checker.js';
import { SimCluster } from './cluster.js';

const SEEDS = 200;
const OUTAGES = 6;
const TICKS_BETWEEN_OUTAGES = 120;

interface PowerLossRun {
  readonly committed: number;
}

function runPowerLoss(seed: number, options: { lyingDisk?: boolean } = {}): PowerLossRun {
  const random = new SeededRandom(seed);
  const cluster = new SimCluster({ seed, nodeCount: seed % 2 === 1 ? 5 : 3, random });
  cluster.network.faults = { lossRate: 0.02, duplicateRate: 0.01, delayTicksMin: 1, delayTicksMax: 4 };
  cluster.slowDiskRate = 0.25;
  cluster.tornWriteCrashRate = 0.003;
  let proposals = 0;
  for (let outage = 0; outage < OUTAGES; outage++) {
    // What each disk held when the previous outage ended: a lying disk goes back to it (a lost vote).
    const hardStates = cluster.nodes.map((node) => node.storage.initialState().hardState);
    for (let tick = 0; tick < TICKS_BETWEEN_OUTAGES; tick++) {
      if (
        random.next() < 0.4 &&
        cluster.propose(new TextEncoder().encode(`s${seed}p${proposals}`)) !== null
      ) {
        proposals++;
      }
      // A node crashed by a torn write comes back on its own after a while, as a rebooted machine does.
      for (const node of cluster.nodes) if (node.raft === null && random.next() < 0.05) cluster.start(node);
      cluster.step();
    }
    cluster.trace(`power loss on every node`);
    for (const node of cluster.nodes) if (node.raft !== null) cluster.crash(node);
    if (options.lyingDisk === true) {
      for (const [i, node] of cluster.nodes.entries()) {
        // The term and vote go back; the commit index is kept (a lie about it alone is caught elsewhere).
        const before = hardStates[i];
        const now = node.storage.initialState().hardState;
        if (before !== undefined)
          node.storage.setHardState({ ...now, term: before.term, votedFor: before.votedFor });
      }
    }
    for (const node of cluster.nodes) cluster.start(node);
  }
  // The power stays on: the cluster elects a leader and commits again.
  cluster.network.heal();
  cluster.tornWriteCrashRate = 0;
  cluster.slowDiskRate = 0;
  let committedAfter = false;
  for (let tick = 0; tick < 2_000 && !committedAfter; tick++) {
    const proposed = cluster.propose(new TextEncoder().encode(`s${seed}final`));
    for (let settle = 0; settle < 20; settle++) cluster.step();
    committedAfter = proposed !== null && cluster.checker.committedTermAt(proposed.index) === proposed.term;
  }
  expect(committedAfter, `seed ${seed}: the cluster commits after the outages`).toBe(true);
  const leader = cluster.leader();
  expect(leader, `seed ${seed}: a leader after the outages`).not.toBeNull();
  let committed = 0;
  const storage = leader?.storage;
  if (storage !== undefined) {
    for (let index = storage.firstIndex(); index <= storage.lastIndex(); index++) {
      const term: Term | null = cluster.checker.committedTermAt(index as LogIndex);
      if (term === null) continue;
      expect(storage.term(index as LogIndex), `seed ${seed}: committed entry ${index} kept`).toBe(term);
      committed++;
    }
  }
  return { committed };
}

describe('Raft under power loss of every node at once', () => {
  it(`keeps votes and committed entries over ${SEEDS} seeds (3 and 5 nodes, torn writes, slow disks)`, () => {
    let committed = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      try {
        committed += runPowerLoss(seed).committed;
      } catch (error) {
        process.stdout.write(`raft power-loss failed at seed ${seed}\n`);
        throw error;
      }
    }
    // The runs do real work: entries commit between the outages.
    expect(committed).toBeGreaterThan(SEEDS * 10);
  }, 120_000);

  it('catches a disk that loses a persisted vote (the check bites)', () => {
    let caught: InvariantViolation | null = null;
    for (let seed = 1; seed <= 200 && caught === null; seed++) {
      try {
        runPowerLoss(seed, { lyingDisk: true });
      } catch (error) {
        if (error instanceof InvariantViolation) caught = error;
      }
    }
    expect(caught).not.toBeNull();
    // Two leaders in one term: a node that forgot its vote voted again.
    expect(caught?.invariant).toBe('election-safety');
  });
});
