/** Before/after counts of a rebalance plan (planRebalance in rebalance.ts), for people to check a plan. */
import type { RebalanceBroker, RebalancePartition, RebalanceTarget } from './rebalance.js';

export interface BrokerBalance {
  readonly id: number;
  readonly replicasBefore: number;
  readonly replicasAfter: number;
  readonly leadersBefore: number;
  readonly leadersAfter: number;
}

export interface RebalanceSummary {
  /** Every broker in the partitions or the list, by id. */
  readonly brokers: BrokerBalance[];
  /** Replicas that must be copied to a new broker. */
  readonly replicasMoved: number;
  /** Partitions whose preferred leader changes. */
  readonly leadersChanged: number;
  readonly partitionsChanged: number;
}

/** Per-broker replica and leader counts before and after the targets, and what moves. */
export function summarizeRebalance(
  partitions: readonly RebalancePartition[],
  targets: readonly RebalanceTarget[],
  brokers: readonly (number | RebalanceBroker)[] = [],
): RebalanceSummary {
  const byKey = new Map(targets.map((t) => [`${t.topic}\u0000${t.partition}`, t.target]));
  const counts = new Map<number, { rb: number; ra: number; lb: number; la: number }>();
  const entry = (id: number) => {
    let c = counts.get(id);
    if (c === undefined) {
      c = { rb: 0, ra: 0, lb: 0, la: 0 };
      counts.set(id, c);
    }
    return c;
  };
  for (const b of brokers) entry(typeof b === 'number' ? b : b.id);
  let replicasMoved = 0;
  let leadersChanged = 0;
  for (const p of partitions) {
    const after = byKey.get(`${p.topic}\u0000${p.partition}`) ?? p.replicas;
    for (const id of p.replicas) entry(id).rb += 1;
    for (const id of after) entry(id).ra += 1;
    if (p.replicas[0] !== undefined) entry(p.replicas[0]).lb += 1;
    if (after[0] !== undefined) entry(after[0]).la += 1;
    replicasMoved += after.filter((id) => !p.replicas.includes(id)).length;
    if (after[0] !== p.replicas[0]) leadersChanged += 1;
  }
  return {
    brokers: [...counts]
      .sort(([a], [b]) => a - b)
      .map(([id, c]) => ({
        id,
        replicasBefore: c.rb,
        replicasAfter: c.ra,
        leadersBefore: c.lb,
        leadersAfter: c.la,
      })),
    replicasMoved,
    leadersChanged,
    partitionsChanged: targets.length,
  };
}
