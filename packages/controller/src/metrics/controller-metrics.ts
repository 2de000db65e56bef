/**
 * The controller's Prometheus series. Gauges are computed at scrape time from the Raft status and the
 * committed metadata image, so the hot paths pay nothing; counters are fed by the driver's leader
 * changes and the quorum's commit notifications.
 */
import type { MetadataImage } from '@tributary/metadata';
import { NO_LEADER } from '@tributary/metadata';
import { createMetricsRegistry, createRpcDurationRecorder, type RpcCallEnd } from '@tributary/protocol';
import type { Status } from '@tributary/raft';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface ControllerMetricsSources {
  readonly nodeId: number;
  status(): Status;
  isActive(): boolean;
  committedImage(): MetadataImage;
}

/** Partition health over the whole committed image (the controller sees every partition). */
export function partitionHealth(image: MetadataImage): {
  total: number;
  offline: number;
  underReplicated: number;
} {
  let total = 0;
  let offline = 0;
  let underReplicated = 0;
  for (const topic of image.topicsById.values()) {
    for (const partition of topic.partitions.values()) {
      total += 1;
      if (partition.leader === NO_LEADER) offline += 1;
      if (partition.isr.length < partition.replicas.length) underReplicated += 1;
    }
  }
  return { total, offline, underReplicated };
}

export class ControllerMetrics {
  readonly registry: Registry;
  readonly observeRpc: (event: RpcCallEnd) => void;
  readonly #leaderChanges: Counter;
  readonly #electionsWon: Counter;
  readonly #entriesApplied: Counter;
  readonly #commitLatency: Histogram;
  #lastLeader: number | null = null;
  #lastApplied: number | null = null;

  constructor(sources: ControllerMetricsSources) {
    const registry = createMetricsRegistry({ nodeId: sources.nodeId });
    this.registry = registry;
    this.observeRpc = createRpcDurationRecorder(registry);
    const registers = [registry];
    const statusGauge = (name: string, help: string, read: (status: Status) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read(sources.status()));
        },
      });
    };
    statusGauge('tributary_controller_raft_term', 'Current Raft term of this controller', (s) => s.term);
    statusGauge('tributary_controller_raft_commit_index', 'Raft commit index known here', (s) => s.commit);
    statusGauge(
      'tributary_controller_raft_applied_index',
      'Raft index applied to the metadata',
      (s) => s.applied,
    );
    statusGauge(
      'tributary_controller_raft_last_index',
      'Last index of the local Raft log',
      (s) => s.lastIndex,
    );
    statusGauge('tributary_controller_raft_leader', '1 when this controller is the Raft leader', (s) =>
      s.role === 'leader' ? 1 : 0,
    );
    new Gauge({
      name: 'tributary_controller_active',
      help: '1 when this controller is the active controller (leader with its term started)',
      registers,
      collect() {
        this.set(sources.isActive() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'tributary_controller_raft_follower_lag_entries',
      help: 'On the leader: entries each voter is behind the leader log end (last index - match index)',
      labelNames: ['voter'] as const,
      registers,
      collect() {
        this.reset();
        const status = sources.status();
        if (status.progress === null) return;
        for (const [voter, progress] of status.progress) {
          if (!status.voters.includes(voter)) continue;
          this.set({ voter: String(voter) }, Math.max(0, status.lastIndex - progress.match));
        }
      },
    });
    new Gauge({
      name: 'tributary_controller_raft_observer_lag_entries',
      help: 'On the leader: entries each observer (a controller being added, not yet a voter) is behind',
      labelNames: ['observer'] as const,
      registers,
      collect() {
        this.reset();
        const status = sources.status();
        if (status.progress === null) return;
        for (const observer of status.learners) {
          const progress = status.progress.get(observer);
          if (progress !== undefined) {
            this.set({ observer: String(observer) }, Math.max(0, status.lastIndex - progress.match));
          }
        }
      },
    });
    this.#leaderChanges = new Counter({
      name: 'tributary_controller_raft_leader_changes_total',
      help: 'Times this controller saw the Raft leader change (a new leader became known)',
      registers,
    });
    this.#electionsWon = new Counter({
      name: 'tributary_controller_raft_elections_won_total',
      help: 'Times this controller became the Raft leader',
      registers,
    });
    this.#entriesApplied = new Counter({
      name: 'tributary_controller_metadata_entries_applied_total',
      help: 'Committed metadata log entries applied to the metadata image on this controller',
      registers,
    });
    this.#commitLatency = new Histogram({
      name: 'tributary_controller_raft_commit_latency_seconds',
      help: 'From proposing a metadata entry on the Raft leader until it committed and was applied there',
      // Group-committed fsyncs and one round trip: milliseconds normally, seconds under a slow disk or peer.
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    new Gauge({
      name: 'tributary_controller_metadata_offset',
      help: 'Offset (Raft index) of the last record in the committed metadata image',
      registers,
      collect() {
        this.set(sources.committedImage().offset);
      },
    });
    new Gauge({
      name: 'tributary_controller_brokers',
      help: 'Registered brokers by state (fenced or unfenced) in the committed metadata',
      labelNames: ['state'] as const,
      registers,
      collect() {
        let fenced = 0;
        let unfenced = 0;
        for (const broker of sources.committedImage().brokers.values()) {
          if (broker.fenced) fenced += 1;
          else unfenced += 1;
        }
        this.set({ state: 'fenced' }, fenced);
        this.set({ state: 'unfenced' }, unfenced);
      },
    });
    new Gauge({
      name: 'tributary_controller_partitions',
      help: 'Partitions in the committed metadata: all, offline (no leader), under-replicated (ISR < replicas)',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const health = partitionHealth(sources.committedImage());
        this.set({ state: 'total' }, health.total);
        this.set({ state: 'offline' }, health.offline);
        this.set({ state: 'under_replicated' }, health.underReplicated);
      },
    });
  }

  /** From RaftDriver.onLeaderChange. */
  onLeaderChange(change: { readonly isLeader: boolean; readonly leaderId: number | null }): void {
    if (change.isLeader) this.#electionsWon.inc();
    if (change.leaderId !== null && change.leaderId !== this.#lastLeader) this.#leaderChanges.inc();
    if (change.leaderId !== null) this.#lastLeader = change.leaderId;
  }

  /** From RaftDriver.onCommitLatency: one of this node's proposals committed after `latencyMs`. */
  onCommitLatency(latencyMs: number): void {
    this.#commitLatency.observe(latencyMs / 1_000);
  }

  /** From QuorumController.onCommit: counts the entries applied since the last call. */
  onApplied(appliedIndex: number): void {
    if (this.#lastApplied !== null && appliedIndex > this.#lastApplied) {
      this.#entriesApplied.inc(appliedIndex - this.#lastApplied);
    }
    this.#lastApplied = Math.max(appliedIndex, this.#lastApplied ?? appliedIndex);
  }
}
