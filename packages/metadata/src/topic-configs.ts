/**
 * The topic configs Tributary knows — the one list of them: each key's value check, its type, its
 * default and the broker-level config that supplies the default in Kafka (a small subset of Kafka's
 * LogConfig; names and meanings are Kafka's so tools and people carry over). The controller validates
 * creations and alterations with it; brokers describe configs from it (Kafka's DescribeConfigs) and
 * read min.insync.replicas's default from it. It lives here, below both, because both need it.
 *
 * Unknown names are refused rather than stored, so a typo ("retention.msec") fails loudly instead of
 * silently doing nothing.
 */
import { LIMITS, TributaryError } from '@tributary/core';

const INT32_MAX = 2 ** 31 - 1;
/** Kafka writes "never" (no age limit, no forced flush) as Long.MAX_VALUE. */
const LONG_MAX = '9223372036854775807';

/** Returns what is wrong with a value, or undefined when it is acceptable. */
export type TopicConfigCheck = (
  value: string,
  context: { readonly replicationFactor: number },
) => string | undefined;

/** Kafka's config types (KIP-569), as DescribeConfigs v3+ reports them. */
export type TopicConfigType = 'boolean' | 'string' | 'int' | 'long' | 'double' | 'list';

/**
 * The value that applies when a topic does not set the key: fixed, or (min.insync.replicas, DESIGN §6)
 * a function of the topic's replication factor.
 */
export type TopicConfigDefault =
  | { readonly kind: 'fixed'; readonly value: string }
  | { readonly kind: 'per-replication-factor'; readonly of: (replicationFactor: number) => string };

export interface TopicConfigDefinition {
  readonly check: TopicConfigCheck;
  readonly type: TopicConfigType;
  /**
   * What brokers apply without an override. Where the log or the record codec owns the number
   * (retention, segment size, batch size), the broker's tests check that the two agree.
   */
  readonly default: TopicConfigDefault;
  /** Kafka's broker config that supplies this default (DescribeConfigs synonyms and broker entries). */
  readonly serverDefaultName: string;
  readonly documentation: string;
}

function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): TopicConfigCheck {
  return (value) => {
    if (!/^-?\d+$/.test(value)) return 'must be an integer';
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      return max === Number.MAX_SAFE_INTEGER ? `must be >= ${min}` : `must be between ${min} and ${max}`;
    }
    return undefined;
  };
}

/** A Kafka long up to Long.MAX_VALUE, which Kafka tools write for "never" (beyond a number's exact range). */
function long(min: number): TopicConfigCheck {
  return (value) => {
    if (!/^-?\d+$/.test(value)) return 'must be an integer';
    const parsed = BigInt(value);
    return parsed < BigInt(min) || parsed > BigInt(LONG_MAX)
      ? `must be between ${min} and ${LONG_MAX}`
      : undefined;
  };
}

function oneOf(...allowed: string[]): TopicConfigCheck {
  return (value) => (allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}`);
}

const checkCleanupPolicy: TopicConfigCheck = (value) => {
  const parts = value.split(',').map((part) => part.trim());
  const valid = parts.every((part) => part === 'delete' || part === 'compact');
  if (!valid || parts.length === 0 || new Set(parts).size !== parts.length) {
    return "must be 'delete', 'compact' or 'compact,delete'";
  }
  return undefined;
};

const checkMinInsyncReplicas: TopicConfigCheck = (value, { replicationFactor }) => {
  const problem = integer(1)(value, { replicationFactor });
  if (problem !== undefined) return problem;
  // Kafka accepts this and then refuses every acks=all write; refusing it up front is kinder.
  if (Number(value) > replicationFactor) {
    return `is ${value}, above the replication factor ${replicationFactor}, so acks=all writes could never succeed`;
  }
  return undefined;
};

const checkRatio: TopicConfigCheck = (value) => {
  const parsed = Number(value);
  return value.trim() !== '' && parsed >= 0 && parsed <= 1 ? undefined : 'must be a number between 0 and 1';
};

function fixed(value: string): TopicConfigDefault {
  return { kind: 'fixed', value };
}

export const TOPIC_CONFIGS: Readonly<Record<string, TopicConfigDefinition>> = {
  'retention.ms': {
    check: integer(-1),
    type: 'long',
    default: fixed(String(7 * 24 * 60 * 60 * 1000)),
    serverDefaultName: 'log.retention.ms',
    documentation: 'How long a segment is kept after its newest record; -1 keeps data forever.',
  },
  'retention.bytes': {
    check: integer(-1),
    type: 'long',
    default: fixed('-1'),
    serverDefaultName: 'log.retention.bytes',
    documentation:
      'Oldest segments are deleted while the partition stays this big without them; -1: no limit.',
  },
  // The log refuses segments under 1 KiB (packages/log LOG_LIMITS.segmentBytesMin); refuse them here, not on open.
  'segment.bytes': {
    check: integer(1024, INT32_MAX),
    type: 'int',
    default: fixed(String(1024 * 1024 * 1024)),
    serverDefaultName: 'log.segment.bytes',
    documentation: 'The size at which the active segment is rolled.',
  },
  'segment.ms': {
    check: integer(1),
    type: 'long',
    default: fixed(LONG_MAX),
    serverDefaultName: 'log.roll.ms',
    documentation: 'The age at which the active segment is rolled even if not full; by default never.',
  },
  'segment.index.bytes': {
    check: integer(4, INT32_MAX),
    type: 'int',
    default: fixed(String(10 * 1024 * 1024)),
    serverDefaultName: 'log.index.size.max.bytes',
    documentation: "Kafka's offset index size; accepted and stored, not applied (indexes grow as needed).",
  },
  'min.insync.replicas': {
    check: checkMinInsyncReplicas,
    type: 'int',
    // DESIGN §6: 2 when the replication factor is at least 3, so acks=all survives one lost replica.
    default: {
      kind: 'per-replication-factor',
      of: (replicationFactor) => (replicationFactor >= 3 ? '2' : '1'),
    },
    serverDefaultName: 'min.insync.replicas',
    documentation: 'acks=all writes fail with NOT_ENOUGH_REPLICAS when fewer replicas are in sync.',
  },
  'cleanup.policy': {
    check: checkCleanupPolicy,
    type: 'list',
    default: fixed('delete'),
    serverDefaultName: 'log.cleanup.policy',
    documentation:
      "'delete' removes old segments; 'compact' keeps the last record per key (the log cleaner); 'compact,delete' both. Records without a key are refused on a compacted topic.",
  },
  'max.message.bytes': {
    check: integer(0, INT32_MAX),
    type: 'int',
    // The record codec's batch bound (RECORD_LIMITS.batchBytesMax): what a broker accepts today.
    default: fixed(String(16 * 1024 * 1024)),
    serverDefaultName: 'message.max.bytes',
    documentation: 'The largest record batch; a per-topic value is stored, the 16 MiB bound applies.',
  },
  'compression.type': {
    check: oneOf('producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'),
    type: 'string',
    default: fixed('producer'),
    serverDefaultName: 'compression.type',
    documentation:
      "Batches are stored as the producer compressed them ('producer'); other values are stored only.",
  },
  'message.timestamp.type': {
    check: oneOf('CreateTime', 'LogAppendTime'),
    type: 'string',
    default: fixed('CreateTime'),
    serverDefaultName: 'log.message.timestamp.type',
    documentation: "Records keep the producer's timestamp ('CreateTime'); LogAppendTime is stored only.",
  },
  // KIP-937: how far a CreateTime record may be stamped before / after the leader's wall clock (INVALID_TIMESTAMP
  // beyond), so a producer with a broken clock can neither pin data past retention nor expire it at once.
  'message.timestamp.before.max.ms': {
    check: long(0),
    type: 'long',
    default: fixed(LONG_MAX),
    serverDefaultName: 'log.message.timestamp.before.max.ms',
    documentation:
      "A record stamped further than this before the leader's clock is refused (INVALID_TIMESTAMP); by default no bound.",
  },
  'message.timestamp.after.max.ms': {
    check: long(0),
    type: 'long',
    // Kafka 4.0's default (it was Long.MAX_VALUE in 3.6-3.9): a record an hour in the future is a broken clock.
    default: fixed(String(60 * 60 * 1000)),
    serverDefaultName: 'log.message.timestamp.after.max.ms',
    documentation:
      "A record stamped further than this after the leader's clock is refused (INVALID_TIMESTAMP).",
  },
  // Deprecated by KIP-937 (removed in Kafka 4.0), accepted for older tools: it bounds both directions that the
  // topic does not bound with the two keys above.
  'message.timestamp.difference.max.ms': {
    check: long(0),
    type: 'long',
    default: fixed(LONG_MAX),
    serverDefaultName: 'log.message.timestamp.difference.max.ms',
    documentation:
      'Deprecated (KIP-937): the before/after bound wherever message.timestamp.before/after.max.ms is not set.',
  },
  'delete.retention.ms': {
    check: integer(0),
    type: 'long',
    default: fixed(String(24 * 60 * 60 * 1000)),
    serverDefaultName: 'log.cleaner.delete.retention.ms',
    documentation:
      'How long compaction keeps a tombstone (a record with a null value) after it was first cleaned.',
  },
  // Kafka's flush settings; the default is no fsync per write (durability comes from replication).
  'flush.ms': {
    check: integer(1),
    type: 'long',
    default: fixed(LONG_MAX),
    serverDefaultName: 'log.flush.interval.ms',
    documentation:
      'fsync the log at most this long after an append; by default never (replication is durability).',
  },
  // Only 1 (fsync after every append) is supported; Kafka's "every N messages" has no use here.
  'flush.messages': {
    check: oneOf('1'),
    type: 'long',
    default: fixed(LONG_MAX),
    serverDefaultName: 'log.flush.interval.messages',
    documentation: '1: fsync after every append (the only value accepted); by default never.',
  },
  // Not Kafka's (issue 16, DESIGN §12): Redpanda's default durability, per topic. A topic without it follows
  // its brokers' --durability (replication: false, fsync: true), whose default this is.
  'flush.on.ack': {
    check: oneOf('true', 'false'),
    type: 'boolean',
    // The brokers' default --durability is fsync (packages/broker/src/replica/config.ts: DURABILITY_DEFAULT).
    default: fixed('true'),
    serverDefaultName: 'log.flush.on.ack',
    documentation:
      'true: a batch counts toward the high watermark (and acks=all answers) only once the leader and every in-sync follower have fsynced it, so acknowledged records survive power loss on every replica at once; false: once they hold it in memory (Kafka). Unset: the broker flag --durability (default fsync).',
  },
  'min.cleanable.dirty.ratio': {
    check: checkRatio,
    type: 'double',
    default: fixed('0.5'),
    serverDefaultName: 'log.cleaner.min.cleanable.ratio',
    documentation: 'The cleaner compacts a log once this share of its bytes is dirty (not yet compacted).',
  },
  'min.compaction.lag.ms': {
    check: long(0),
    type: 'long',
    default: fixed('0'),
    serverDefaultName: 'log.cleaner.min.compaction.lag.ms',
    documentation: 'A record stays uncompacted for at least this long after it was written.',
  },
  'max.compaction.lag.ms': {
    check: long(1),
    type: 'long',
    default: fixed(LONG_MAX),
    serverDefaultName: 'log.cleaner.max.compaction.lag.ms',
    documentation:
      'A record stays uncompacted for at most about this long: older dirty records make the log due whatever its dirty ratio.',
  },
  // DESIGN §5: unclean election (leader from outside the ISR) is off and cannot be turned on.
  'unclean.leader.election.enable': {
    check: oneOf('false'),
    type: 'boolean',
    default: fixed('false'),
    serverDefaultName: 'unclean.leader.election.enable',
    documentation:
      'Always false: a leader comes only from the in-sync replicas, so no acknowledged record is lost.',
  },
};

/** The value checks by key (what the controller's validation reads). */
export const TOPIC_CONFIG_CHECKS: Readonly<Record<string, TopicConfigCheck>> = Object.fromEntries(
  Object.entries(TOPIC_CONFIGS).map(([name, definition]) => [name, definition.check]),
);

export function topicConfigDefinition(name: string): TopicConfigDefinition | undefined {
  return Object.hasOwn(TOPIC_CONFIGS, name) ? TOPIC_CONFIGS[name] : undefined;
}

/** The value a key has on a topic that does not set it. */
export function topicConfigDefault(definition: TopicConfigDefinition, replicationFactor: number): string {
  const { default: value } = definition;
  return value.kind === 'fixed' ? value.value : value.of(replicationFactor);
}

/** Throws INVALID_CONFIG naming the first problem. */
export function validateTopicConfigs(
  configs: Readonly<Record<string, string>>,
  replicationFactor: number,
): void {
  const entries = Object.entries(configs);
  if (entries.length > LIMITS.configEntriesPerTopicMax) {
    throw new TributaryError(
      'INVALID_CONFIG',
      `${entries.length} config entries; the limit is ${LIMITS.configEntriesPerTopicMax}`,
    );
  }
  for (const [name, value] of entries) {
    const definition = topicConfigDefinition(name);
    if (definition === undefined) {
      const known = Object.keys(TOPIC_CONFIGS).join(', ');
      throw new TributaryError('INVALID_CONFIG', `unknown topic config "${name}" (known: ${known})`);
    }
    if (typeof value !== 'string') {
      throw new TributaryError('INVALID_CONFIG', `config ${name} must be a string value`);
    }
    if (value.length > LIMITS.configValueLengthMax) {
      throw new TributaryError(
        'INVALID_CONFIG',
        `config ${name} is ${value.length} characters; the limit is ${LIMITS.configValueLengthMax}`,
      );
    }
    const problem = definition.check(value, { replicationFactor });
    if (problem !== undefined) {
      throw new TributaryError('INVALID_CONFIG', `config ${name}=${JSON.stringify(value)} ${problem}`);
    }
  }
  checkConfigConflicts(configs);
}

/**
 * Settings valid alone but not together, over the values a topic ends up with (its own or the defaults), as
 * Kafka's LogConfig.validateValues refuses them: a record cannot have to wait longer before compaction than
 * it may wait at most.
 */
function checkConfigConflicts(configs: Readonly<Record<string, string>>): void {
  const effective = (name: string): bigint => {
    const definition = topicConfigDefinition(name);
    const value = Object.hasOwn(configs, name) ? configs[name] : undefined;
    return BigInt(value ?? (definition === undefined ? '0' : topicConfigDefault(definition, 1)));
  };
  const minLagMs = effective('min.compaction.lag.ms');
  const maxLagMs = effective('max.compaction.lag.ms');
  if (minLagMs > maxLagMs) {
    throw new TributaryError(
      'INVALID_CONFIG',
      `conflicting configs: min.compaction.lag.ms (${minLagMs}) must not exceed max.compaction.lag.ms (${maxLagMs})`,
    );
  }
}
