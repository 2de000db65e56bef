/**
 * What a broker is started with and what startBroker gives back (a leaf file: the node and the files that
 * wire its parts share these types).
 */
import type { Clock } from '@tributary/core';
import type { ProcessSecurity, ProcessTls } from '@tributary/protocol';
import type { Logger } from 'pino';
import type { GroupCoordinator } from '../group/index.js';
import type { BrokerLifecycleManager } from '../lifecycle/manager.js';
import type { MetadataFollower } from '../metadata-follower/metadata-follower.js';
import type { Durability } from '../replica/config.js';
import type { OpenReplicaManager, ReplicaManagerPort } from './replica-port.js';
import type { TransactionParts } from './txn-wiring.js';

export const BROKER_DEFAULTS = {
  defaultPartitions: 1,
  defaultReplicationFactor: 1,
  /** How long a Metadata request waits for auto-created topics to reach this broker's image. */
  autoCreateWaitMs: 5_000,
  /** Deadline of one controller call made on a client's behalf (CreateTopic, AlterPartition). */
  controllerRequestTimeoutMs: 5_000,
  /** How long close() waits for the controller to move this broker's leaderships away. */
  controlledShutdownTimeoutMs: 10_000,
  /** Replica fetches carry up to a few MiB per response; a wide window keeps them flowing. */
  replicationFlowControlWindowBytes: 16 * 1024 * 1024,
} as const;

export interface BrokerOptions {
  readonly nodeId: number;
  /** host:port to listen on; port 0 picks a free port (see handle.port). */
  readonly listen: string;
  /**
   * The data directory, or several (Kafka's log.dirs): partition logs spread over their `logs/`
   * subdirectories; the metadata snapshot and the high watermark checkpoint live in the first.
   */
  readonly dataDir: string | readonly string[];
  /**
   * Every data directory's disk failed (each went offline): Kafka halts the broker; the bin exits. Unset
   * (tests), the broker only logs it and keeps its lease (it serves nothing).
   */
  readonly onAllLogDirsOffline?: () => void;
  /** host:port of every controller. */
  readonly controllers: readonly string[];
  /** host:port clients and other brokers reach this broker on. Default: listen's host with the bound port. */
  readonly advertisedAddress?: string;
  readonly logger: Logger;
  readonly autoCreateTopics?: boolean;
  readonly defaultPartitions?: number;
  readonly defaultReplicationFactor?: number;
  readonly heartbeatIntervalMs?: number;
  readonly sessionTimeoutMs?: number;
  readonly controlledShutdownTimeoutMs?: number;
  readonly clusterId?: string;
  readonly clock?: Clock;
  /** Injected for tests; defaults to the replica manager of packages/broker/src/replica. */
  readonly openReplicaManager?: OpenReplicaManager;
  /** Consumer groups (packages/broker/src/group): __consumer_offsets sizing and offset retention. */
  readonly offsetsTopicPartitions?: number;
  readonly offsetsTopicReplicationFactor?: number;
  readonly offsetsRetentionMs?: number;
  /**
   * Transactions (packages/broker/src/txn): __transaction_state sizing (Kafka's
   * transaction.state.log.num.partitions / .replication.factor), transaction.max.timeout.ms,
   * transactional.id.expiration.ms and transaction.abort.timed.out.transaction.cleanup.interval.ms.
   */
  readonly transactionStateLogNumPartitions?: number;
  readonly transactionStateLogReplicationFactor?: number;
  readonly transactionMaxTimeoutMs?: number;
  readonly transactionalIdExpirationMs?: number;
  readonly transactionAbortTimedOutTransactionCleanupIntervalMs?: number;
  /** Session timeout of group members that send 0. */
  readonly groupSessionTimeoutMs?: number;
  /** The classic group protocol (Kafka clients): Kafka's group.* settings; unset = Kafka's defaults. */
  readonly groupInitialRebalanceDelayMs?: number;
  readonly groupMinSessionTimeoutMs?: number;
  readonly groupMaxSessionTimeoutMs?: number;
  readonly groupMaxSize?: number;
  /** HOST:PORT of the Prometheus /metrics endpoint (port 0 picks a free port); unset = no endpoint. */
  readonly metricsListen?: string;
  /** Bound on record bytes of Produce requests in flight; REQUEST_LIMITS.produceInFlightBytesMax by default. */
  readonly produceInFlightBytesMax?: number;
  /** HOST:PORT of the Kafka listener (DESIGN §9; port 0 picks a free port); unset = no Kafka listener. */
  readonly kafkaListen?: string;
  /** What Kafka Metadata answers name for this broker. Default: kafkaListen's host with the bound port. */
  readonly kafkaAdvertised?: string;
  /** Kafka's connections.max.idle.ms for the Kafka listener; 10 minutes by default. */
  readonly kafkaConnectionsMaxIdleMs?: number;
  /**
   * The log cleaner (compaction of cleanup.policy=compact partitions): Kafka's log.cleaner.enable (default
   * on), .threads (1), .io.max.bytes.per.second (unlimited) and .backoff.ms (15 s).
   */
  readonly logCleanerEnable?: boolean;
  readonly logCleanerThreads?: number;
  readonly logCleanerIoMaxBytesPerSecond?: number;
  readonly logCleanerBackoffMs?: number;
  /**
   * --durability (issue 16, DESIGN §12): 'fsync' makes flush.on.ack the default of every topic (acks=all
   * waits for every ISR member's fsync); 'replication' (the default) is Kafka's in-memory replication.
   */
  readonly durability?: Durability;
  /** Kafka's log.retention.check.interval.ms: how often retention runs over every partition (30 s). */
  readonly logRetentionCheckIntervalMs?: number;
  /** The broker's rack (Kafka's broker.rack): replica placement spreads over racks; Metadata names it. */
  readonly rack?: string;
  /** Client quota rate window: samples (Kafka's quota.window.num, default 11) of quotaWindowSizeMs (default 1000). */
  readonly quotaWindowNum?: number;
  readonly quotaWindowSizeMs?: number;
  /**
   * TLS on every listener (gRPC, Kafka) and link (controllers, metadata stream, replication), mutual when the
   * files say so; unset = plaintext. `tributary dev` shares one with its controller.
   */
  readonly tls?: ProcessTls;
  /** Serve /metrics over HTTPS with `tls` (--metrics-tls). */
  readonly metricsTls?: boolean;
  /**
   * Authentication (who may call, SCRAM sessions, certificate mapping) and the authorizer's settings;
   * DEFAULT_PROCESS_SECURITY (anonymous callers served, no authorizer) when unset.
   */
  readonly security?: ProcessSecurity;
}

export interface BrokerHandle {
  readonly nodeId: number;
  /** The port the gRPC server is bound to. */
  readonly port: number;
  /** The port of the /metrics endpoint; null without metricsListen. */
  readonly metricsPort: number | null;
  /** The port of the Kafka listener; null without kafkaListen. */
  readonly kafkaPort: number | null;
  /** The Kafka address registered with the controller; null without kafkaListen. */
  readonly kafkaAddress: string | null;
  /** The address registered with the controller. */
  readonly advertisedAddress: string;
  readonly logger: Logger;
  readonly follower: MetadataFollower;
  readonly lifecycle: BrokerLifecycleManager;
  readonly replicaManager: ReplicaManagerPort;
  /** Null when the replica manager cannot host one (test doubles). */
  readonly groupCoordinator: GroupCoordinator | null;
  /** The transaction coordinator's parts; null when the replica manager cannot host them (test doubles). */
  readonly transactions: TransactionParts | null;
  /**
   * Controlled shutdown (bounded), then server, replica manager, metadata follower. Idempotent.
   * `controlled: false` skips the controlled shutdown: the controller learns of the broker's absence only when
   * its session times out, as after a crash (embedded clusters' kill() for failure tests).
   */
  close(options?: { readonly controlled?: boolean }): Promise<void>;
  /** SIGHUP: re-reads the TLS files for new connections (logged; bad files leave the old ones in force). */
  reload(): void;
}
