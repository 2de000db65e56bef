/**
 * What the broker node needs from the replica manager (packages/broker/src/replica), and what it gives
 * it. Kept as an interface so the node can be wired and tested independently of the data plane.
 */
import type { Clock } from '@tributary/core';
import type { LogCleanerStats } from '@tributary/log';
import type { MetadataChanges, MetadataImage } from '@tributary/metadata';
import type {
  AlterPartitionItem,
  AlterPartitionResult__Output,
  ProducePartitionResult,
  ProduceRequest__Output,
  ReplicationClient,
} from '@tributary/protocol';
import type { Logger } from 'pino';
import type { LogCleanerSettings } from '../replica/log-cleaning.js';
import type { LogDirStatus } from '../replica/log-dirs.js';
import type { LeadershipListener, LocalLogRead } from '../replica/replica-manager.js';
import type { ReplicationThrottleStats } from '../replica/replication-throttle.js';
import type { TransactionVerifier } from '../replica/request-context.js';
import type { BrokerDataPlane } from '../services/broker-service.js';
import type { ProducerDescriber } from '../services/describe-producers.js';
import type { ReplicaDescriber } from '../services/describe-replicas.js';
import type { ReplicationDataPlane } from '../services/replication-service.js';

export interface ReplicaManagerPort extends BrokerDataPlane, ReplicationDataPlane {
  /** `changes`: everything that changed since the image applied before (see ReplicaManager.applyMetadata). */
  applyMetadata(image: MetadataImage, changes: MetadataChanges): Promise<void>;
  leaderPartitions(): readonly { readonly topic: string; readonly partition: number }[];
  close(): Promise<void>;
  /** This broker's replica of a partition, for the metrics gauges (optional for test doubles). */
  partitionReplica?(
    topic: string,
    partition: number,
  ): { readonly highWatermark: number; readonly log: { readonly logEndOffset: number } } | undefined;
  /** The log cleaner's totals and dirty ratios, for the metrics (optional for test doubles; undefined when off). */
  logCleanerStats?(): LogCleanerStats | undefined;
  /** The replication throttle's rate and totals, for the metrics (optional for test doubles). */
  replicationThrottleStats?(): ReplicationThrottleStats;
  /** Broker.DescribeReplicas (optional for test doubles: they then describe nothing). */
  describeReplicas?: ReplicaDescriber['describeReplicas'];
  /** Broker.DescribeProducers and the Kafka listener's (optional for test doubles: they then host nothing). */
  describeProducers?: ProducerDescriber['describeProducers'];
  /**
   * What the group coordinator needs (packages/broker/src/group). Optional so that test doubles without
   * a log can stand in; the coordinator runs only when both are there.
   */
  onLeadershipChange?(listener: LeadershipListener): () => void;
  readLocalLog?(
    topic: string,
    partition: number,
    fromOffset: number | null,
    maxBytes: number,
  ): Promise<LocalLogRead | null>;
  /** KIP-890 part 1: the transaction coordinator's verification of transactional writes (optional for test doubles). */
  setTransactionVerifier?(verifier: TransactionVerifier): void;
  /** Partitions of failed log directories the controller is still to move (heartbeat); optional for test doubles. */
  offlinePartitionsToReport?(max: number): { topic: string; partition: number }[];
  /** Every log directory and whether it is online (metrics); optional for test doubles. */
  logDirStatus?(): LogDirStatus[];
  /** Produce as the broker's own coordinators (origin 'coordinator'); optional for test doubles. */
  produceAsCoordinator?(request: ProduceRequest__Output): Promise<ProducePartitionResult[]>;
}

export interface ReplicaManagerDeps {
  readonly brokerId: number;
  /** The first log directory (it also holds the high watermark checkpoint). */
  readonly dataDir: string;
  /** The other log directories (--data-dir given more than once). */
  readonly additionalLogDirs?: readonly string[];
  /** A log directory went offline; `allOffline` when it was the last one online. */
  readonly onLogDirOffline?: (logDir: string, allOffline: boolean) => void;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly alterPartition: (items: AlterPartitionItem[]) => Promise<AlterPartitionResult__Output[]>;
  readonly replicationClient: (address: string) => ReplicationClient;
  readonly brokerEpoch: () => number;
  /** Replica fetches to this leader failed to connect / succeeded (fast fencing evidence). */
  readonly onLeaderUnreachable?: (leaderId: number) => void;
  readonly onLeaderReachable?: (leaderId: number) => void;
  /** Kafka's log.cleaner.* settings (--log-cleaner-*). */
  readonly logCleaner?: LogCleanerSettings;
  /** --durability fsync: flush.on.ack for topics that do not set it (issue 16). */
  readonly defaultFlushOnAck?: boolean;
  /** --log-retention-check-interval-ms (Kafka's log.retention.check.interval.ms). */
  readonly retentionCheckIntervalMs?: number;
}

export type OpenReplicaManager = (deps: ReplicaManagerDeps) => Promise<ReplicaManagerPort>;
