/**
 * The broker's configuration schema (docs/operations.md's table is generated from it): flags,
 * TRIBUTARY_* environment variables and a JSON config file, read by core's one config mechanism with the
 * precedence flags > env > file > defaults. Every problem is a ConfigError with one clear line.
 */
import { LIMITS, WIRE_LIMITS } from '@tributary/core';
import {
  ConfigError,
  type ConfigValues,
  defineConfig,
  type Env,
  helpText,
  LOG_LEVELS,
  type LogLevel,
  option,
  parseConfig,
  z,
} from '@tributary/core/config';
import { CLEANER_LIMITS } from '@tributary/log';
import {
  AUTH_CONFIG_OPTIONS,
  AUTH_CONFIG_RULES,
  METRICS_TLS_OPTIONS,
  METRICS_TLS_RULES,
  type ProcessSecurity,
  ProcessTls,
  securityOf,
  TLS_CONFIG_OPTIONS,
  TLS_CONFIG_RULES,
  tlsFilesOf,
} from '@tributary/protocol';
import { DEFAULT_QUOTA_WINDOW, SECURITY_LIMITS } from '@tributary/security';
import type { ClassicGroupConfig } from '../group/classic-types.js';
import {
  CLASSIC_GROUP_DEFAULTS,
  CLASSIC_GROUP_LIMITS,
  GROUP_DEFAULTS,
  GROUP_LIMITS,
} from '../group/limits.js';
import { KAFKA_CONNECTION_IDLE_MS_DEFAULT } from '../kafka/limits.js';
import {
  DURABILITY_DEFAULT,
  DURABILITY_MODES,
  type Durability,
  REPLICA_DEFAULTS,
} from '../replica/config.js';
import { TXN_DEFAULTS } from '../txn/limits.js';

export { ConfigError, LOG_LEVELS, type LogLevel };

const NODE_ID_MAX = WIRE_LIMITS.nodeIdMax;
/** Kafka's session timeouts are int32s. */
const INT32_MAX = 0x7fff_ffff;

export const BROKER_CONFIG = defineConfig({
  command: 'tributary-broker',
  summary: 'One broker of the cluster; it registers with the controller quorum named by --controllers.',
  options: {
    nodeId: option
      .integer("the broker id (distinct from every other broker's)", { min: 0, max: NODE_ID_MAX })
      .required(),
    listen: option
      .hostPort('gRPC address for clients (Broker service) and other brokers (Replication)')
      .required(),
    dataDir: option
      .textList(
        "the broker's data directories (Kafka's log.dirs): repeat the flag or separate them with commas. Partition logs go under `DIR/logs/<topic>-<partition>` in one of them (a new one in the directory with the fewest), the metadata snapshot and the high watermark checkpoint in the first; a disk that fails takes only its directory offline",
        'DIR',
      )
      .required(),
    controllers: option
      .hostPortList('the controller quorum; any of them will do, the broker follows leader hints')
      .required(),
    advertisedAddress: option
      .hostPort('what other brokers and clients are told to connect to')
      .optional('the bound address'),
    logLevel: option.logLevel().default('info'),
    autoCreateTopics: option
      .boolean('create a topic on first Metadata/produce request that asks for it')
      .default(false, 'off (on in `tributary dev`)'),
    defaultPartitions: option
      .integer("partitions of an auto-created topic and of Kafka's CreateTopics with -1", {
        min: 1,
        max: LIMITS.partitionsPerTopicMax,
      })
      .default(1),
    defaultReplicationFactor: option
      .integer(
        "replication factor of an auto-created topic (capped at the unfenced brokers) and of Kafka's CreateTopics with -1",
        {
          min: 1,
          max: LIMITS.replicationFactorMax,
        },
      )
      .default(1),
    offsetsTopicPartitions: option
      .integer(
        'partitions of `__consumer_offsets`, created on the first consumer-group request; fixed afterwards',
        { min: 1, max: LIMITS.partitionsPerTopicMax },
      )
      .default(GROUP_DEFAULTS.offsetsTopicPartitions),
    offsetsTopicReplicationFactor: option
      .integer('its replication factor, capped at the unfenced brokers when it is created', {
        min: 1,
        max: LIMITS.replicationFactorMax,
      })
      .default(GROUP_DEFAULTS.offsetsTopicReplicationFactor),
    offsetsRetentionMs: option
      .integer(
        'committed offsets of a group with no members are deleted after this long',
        { min: 1, max: Number.MAX_SAFE_INTEGER },
        'MS',
      )
      .default(GROUP_DEFAULTS.offsetsRetentionMs, '604800000 (7 days)'),
    transactionStateLogNumPartitions: option
      .integer(
        "partitions of `__transaction_state`, created on the first FindTransactionCoordinator; fixed afterwards (Kafka's transaction.state.log.num.partitions)",
        { min: 1, max: LIMITS.partitionsPerTopicMax },
      )
      .default(TXN_DEFAULTS.stateTopicPartitions),
    transactionStateLogReplicationFactor: option
      .integer(
        "its replication factor, capped at the unfenced brokers when it is created (Kafka's transaction.state.log.replication.factor)",
        { min: 1, max: LIMITS.replicationFactorMax },
      )
      .default(TXN_DEFAULTS.stateTopicReplicationFactor),
    transactionMaxTimeoutMs: option
      .integer(
        "longest transaction timeout a producer may ask for; longer ones are refused (Kafka's transaction.max.timeout.ms)",
        { min: WIRE_LIMITS.transactionTimeoutMsMin, max: WIRE_LIMITS.transactionTimeoutMsMax },
        'MS',
      )
      .default(TXN_DEFAULTS.transactionMaxTimeoutMs, '900000 (15 minutes)'),
    transactionalIdExpirationMs: option
      .integer(
        "a transactional id without a transaction for this long is forgotten (Kafka's transactional.id.expiration.ms)",
        { min: 1, max: INT32_MAX },
        'MS',
      )
      .default(TXN_DEFAULTS.transactionalIdExpirationMs, '604800000 (7 days)'),
    transactionAbortTimedOutTransactionCleanupIntervalMs: option
      .integer(
        "how often the coordinator aborts transactions past their timeout (Kafka's transaction.abort.timed.out.transaction.cleanup.interval.ms)",
        { min: 1, max: INT32_MAX },
        'MS',
      )
      .default(TXN_DEFAULTS.abortTimedOutTransactionCleanupIntervalMs),
    groupSessionTimeoutMs: option
      .integer(
        'session timeout of group members that do not ask for one',
        { min: GROUP_LIMITS.sessionTimeoutMsMin, max: GROUP_LIMITS.sessionTimeoutMsMax },
        'MS',
      )
      .default(GROUP_DEFAULTS.sessionTimeoutMs),
    groupInitialRebalanceDelayMs: option
      .integer(
        "how long a new classic group (Kafka clients) waits for more members before its first rebalance (Kafka's group.initial.rebalance.delay.ms)",
        { min: 0, max: GROUP_LIMITS.rebalanceTimeoutMsMax },
        'MS',
      )
      .default(CLASSIC_GROUP_DEFAULTS.initialRebalanceDelayMs, '3000 (0 in `tributary dev`)'),
    groupMinSessionTimeoutMs: option
      .integer(
        "shortest session timeout a Kafka client's JoinGroup may ask for (Kafka's group.min.session.timeout.ms)",
        { min: 1, max: INT32_MAX },
        'MS',
      )
      .default(CLASSIC_GROUP_DEFAULTS.minSessionTimeoutMs),
    groupMaxSessionTimeoutMs: option
      .integer(
        "longest session timeout a Kafka client's JoinGroup may ask for (Kafka's group.max.session.timeout.ms)",
        { min: 1, max: INT32_MAX },
        'MS',
      )
      .default(CLASSIC_GROUP_DEFAULTS.maxSessionTimeoutMs, '1800000 (30 minutes)'),
    groupMaxSize: option
      .integer("members of one classic group at most (Kafka's group.max.size)", {
        min: 1,
        max: CLASSIC_GROUP_LIMITS.membersPerGroupMax,
      })
      .default(CLASSIC_GROUP_DEFAULTS.maxSize),
    metricsListen: option.hostPort('address of the Prometheus `/metrics` HTTP endpoint').optional('off'),
    kafkaListen: option
      .hostPort('address of the Kafka wire-protocol listener (kcat, librdkafka, KafkaJS); port 0 picks one')
      .optional('off'),
    kafkaAdvertised: option
      .hostPort('what Kafka Metadata answers tell clients to connect to for this broker')
      .optional("--kafka-listen's host with the bound port"),
    kafkaConnectionsMaxIdleMs: option
      .integer(
        "close a Kafka connection idle this long (Kafka's connections.max.idle.ms)",
        { min: 100, max: Number.MAX_SAFE_INTEGER },
        'MS',
      )
      .default(KAFKA_CONNECTION_IDLE_MS_DEFAULT, '600000 (10 minutes)'),
    quotaWindowNum: option
      .integer("samples in a client quota's rate window (Kafka's quota.window.num)", {
        min: 2,
        max: SECURITY_LIMITS.quotaSamplesMax,
      })
      .default(DEFAULT_QUOTA_WINDOW.samples),
    quotaWindowSizeMs: option
      .integer(
        "length of one of those samples (Kafka's quota.window.size.seconds, in ms): a throttled client may burst about (samples − 1) × this × its quota",
        { min: SECURITY_LIMITS.quotaSampleWindowMsMin, max: SECURITY_LIMITS.quotaSampleWindowMsMax },
        'MS',
      )
      .default(DEFAULT_QUOTA_WINDOW.sampleWindowMs),
    logCleanerEnable: option
      .boolean(
        "compact partitions whose cleanup.policy includes compact (Kafka's log.cleaner.enable); off, they grow like delete-policy logs without their retention",
      )
      .default(true, 'on'),
    logCleanerThreads: option
      .integer("logs compacted at once (Kafka's log.cleaner.threads)", {
        min: 1,
        max: CLEANER_LIMITS.threadsMax,
      })
      .default(CLEANER_LIMITS.threadsDefault),
    logCleanerIoMaxBytesPerSecond: option
      .integer(
        "bytes per second the cleaner reads and writes, all its threads together (Kafka's log.cleaner.io.max.bytes.per.second)",
        { min: CLEANER_LIMITS.ioMaxBytesPerSecondMin, max: Number.MAX_SAFE_INTEGER },
        'BYTES',
      )
      .optional('unlimited'),
    logCleanerBackoffMs: option
      .integer(
        "how often the cleaner looks for a log to compact when it has nothing to do (Kafka's log.cleaner.backoff.ms)",
        { min: CLEANER_LIMITS.backoffMsMin, max: CLEANER_LIMITS.backoffMsMax },
        'MS',
      )
      .default(CLEANER_LIMITS.backoffMsDefault),
    durability: option
      .custom<Durability>({
        kind: 'string',
        schema: z.enum(DURABILITY_MODES, { error: `must be one of ${DURABILITY_MODES.join(', ')}` }),
        placeholder: 'replication|fsync',
        doc: '`fsync`: an `acks=all` write is acknowledged once the leader and every in-sync follower have fsynced it (group-committed), so it survives power loss on every replica at once; `replication`: once they hold it in memory (Kafka). The default of the topic config `flush.on.ack`, which a topic may set either way',
      })
      .default(DURABILITY_DEFAULT),
    logRetentionCheckIntervalMs: option
      .integer(
        "how often retention.ms / retention.bytes are applied to every partition (Kafka's log.retention.check.interval.ms)",
        { min: REPLICA_DEFAULTS.retentionCheckIntervalMsMin, max: Number.MAX_SAFE_INTEGER },
        'MS',
      )
      .default(REPLICA_DEFAULTS.retentionCheckIntervalMs),
    rack: option
      .text("the broker's rack (Kafka's broker.rack): replicas spread across racks", 'RACK')
      .optional('none'),
    ...TLS_CONFIG_OPTIONS,
    ...METRICS_TLS_OPTIONS,
    ...AUTH_CONFIG_OPTIONS,
  },
  rules: [...TLS_CONFIG_RULES, ...METRICS_TLS_RULES, ...AUTH_CONFIG_RULES],
});

export type BrokerConfig = ConfigValues<typeof BROKER_CONFIG.options> & {
  /** The --tls-* files, read and checked (a bad file is a ConfigError at start-up); unset = plaintext. */
  readonly tls?: ProcessTls;
  /** The authentication and authorization flags, parsed (AUTH_CONFIG_OPTIONS). */
  readonly security: ProcessSecurity;
};

export const USAGE = helpText(BROKER_CONFIG);

/**
 * Parses argv (without node and script) over TRIBUTARY_* variables and the config file; returns null when
 * --help was asked for.
 */
export function parseBrokerArgs(argv: readonly string[], env: Env = process.env): BrokerConfig | null {
  const config = parseConfig(BROKER_CONFIG, { argv, env });
  if (config === null) return null;
  classicGroupSettings(config);
  const files = tlsFilesOf(config);
  const security = securityOf(config);
  return files === undefined ? { ...config, security } : { ...config, security, tls: ProcessTls.load(files) };
}

/** The classic group settings a broker's options name; unset ones are Kafka's defaults. */
export interface ClassicGroupOptions {
  readonly groupInitialRebalanceDelayMs?: number;
  readonly groupMinSessionTimeoutMs?: number;
  readonly groupMaxSessionTimeoutMs?: number;
  readonly groupMaxSize?: number;
}

export type ClassicGroupSettings = Pick<
  ClassicGroupConfig,
  'initialRebalanceDelayMs' | 'minSessionTimeoutMs' | 'maxSessionTimeoutMs' | 'maxSize'
>;

/**
 * The group coordinator's classic settings from a broker's options, checked as a whole when the broker
 * starts (ConfigError): a classic group asserts them when it is created, which must never be the first
 * time a bad value is noticed.
 */
export function classicGroupSettings(options: ClassicGroupOptions): ClassicGroupSettings {
  const settings: ClassicGroupSettings = {
    initialRebalanceDelayMs:
      options.groupInitialRebalanceDelayMs ?? CLASSIC_GROUP_DEFAULTS.initialRebalanceDelayMs,
    minSessionTimeoutMs: options.groupMinSessionTimeoutMs ?? CLASSIC_GROUP_DEFAULTS.minSessionTimeoutMs,
    maxSessionTimeoutMs: options.groupMaxSessionTimeoutMs ?? CLASSIC_GROUP_DEFAULTS.maxSessionTimeoutMs,
    maxSize: options.groupMaxSize ?? CLASSIC_GROUP_DEFAULTS.maxSize,
  };
  const { minSessionTimeoutMs: min, maxSessionTimeoutMs: max, maxSize, initialRebalanceDelayMs } = settings;
  if (min > max) {
    throw new ConfigError(
      `--group-min-session-timeout-ms (${min}) must not exceed --group-max-session-timeout-ms (${max})`,
    );
  }
  if (!Number.isSafeInteger(maxSize) || maxSize < 1 || maxSize > CLASSIC_GROUP_LIMITS.membersPerGroupMax) {
    throw new ConfigError(
      `--group-max-size must be 1-${CLASSIC_GROUP_LIMITS.membersPerGroupMax}, got ${maxSize}`,
    );
  }
  if (!Number.isSafeInteger(initialRebalanceDelayMs) || initialRebalanceDelayMs < 0) {
    throw new ConfigError(
      `--group-initial-rebalance-delay-ms must be a non-negative integer, got ${initialRebalanceDelayMs}`,
    );
  }
  return settings;
}
