/**
 * Where newly owned partitions start: the group's committed offset, or without one (or after
 * OFFSET_OUT_OF_RANGE) the earliest or latest offset by fromBeginning (Kafka's auto.offset.reset).
 */
import type { Consumer } from '../consumer.js';
import type { CommitManager } from './commit-manager.js';
import type { OwnedPartitions, PartitionState } from './owned-partitions.js';
import { startPosition } from './reconcile.js';

export interface PositionDeps {
  readonly owned: OwnedPartitions;
  readonly commits: CommitManager;
  /** For ListOffsets (earliest/latest). */
  readonly offsets: Consumer;
  readonly fromBeginning: boolean;
  /** read_committed: a reset to latest starts at the last stable offset. */
  readonly readCommitted: boolean;
}

/**
 * Looks up start positions of every owned partition that has none. A partition dropped or seeked while
 * the lookups ran keeps what it has now. Throws lookup errors (the caller retries retriable ones).
 */
export async function initializePositions(deps: PositionDeps): Promise<void> {
  const { owned, commits } = deps;
  const states = owned.uninitialized();
  if (states.length === 0) return;
  const committed = await commits.fetchCommitted(states.filter((s) => !s.resetNeeded).map((s) => s.tp));
  const resets = new Map<string, { to: 'earliest' | 'latest'; states: PartitionState[] }>();
  for (const state of states) {
    const start = startPosition(state.resetNeeded ? undefined : committed.get(state.key), deps.fromBeginning);
    if (start.kind === 'committed') {
      commits.committed.set(state.key, start.offset);
      if (owned.isCurrent(state) && state.position === undefined) state.position = start.offset;
      continue;
    }
    const key = `${start.to}\u0000${state.tp.topic}`;
    const group = resets.get(key) ?? { to: start.to, states: [] };
    group.states.push(state);
    resets.set(key, group);
  }
  for (const { to, states: group } of resets.values()) {
    const topic = group[0]?.tp.topic ?? '';
    const found = await deps.offsets.listOffsets(
      topic,
      group.map((s) => s.tp.partition),
      to,
      { readCommitted: deps.readCommitted },
    );
    for (const state of group) {
      const offset = found.get(state.tp.partition);
      if (offset === undefined || !owned.isCurrent(state) || state.position !== undefined) continue;
      state.position = offset;
      state.resetNeeded = false;
    }
  }
}
