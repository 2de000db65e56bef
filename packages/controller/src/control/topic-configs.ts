/**
 * The topic configs Tributary knows, with value checks (a small subset of Kafka's LogConfig; names and
 * meanings are Kafka's so tools and people carry over). Unknown names are refused rather than stored,
 * so a typo ("retention.msec") fails loudly instead of silently doing nothing.
 */
import { LIMITS, TributaryError } from '@tributary/core';

const INT32_MAX = 2 ** 31 - 1;

/** Returns what is wrong with a value, or undefined when it is acceptable. */
type ValueCheck = (value: string, context: { readonly replicationFactor: number }) => string | undefined;

function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): ValueCheck {
  return (value) => {
    if (!/^-?\d+$/.test(value)) return 'must be an integer';
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      return max === Number.MAX_SAFE_INTEGER ? `must be >= ${min}` : `must be between ${min} and ${max}`;
    }
    return undefined;
  };
}

function oneOf(...allowed: string[]): ValueCheck {
  return (value) => (allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}`);
}

const checkCleanupPolicy: ValueCheck = (value) => {
  const parts = value.split(',').map((part) => part.trim());
  const valid = parts.every((part) => part === 'delete' || part === 'compact');
  if (!valid || parts.length === 0 || new Set(parts).size !== parts.length) {
    return "must be 'delete', 'compact' or 'compact,delete'";
  }
  return undefined;
};

const checkMinInsyncReplicas: ValueCheck = (value, { replicationFactor }) => {
  const problem = integer(1)(value, { replicationFactor });
  if (problem !== undefined) return problem;
  // Kafka accepts this and then refuses every acks=all write; refusing it up front is kinder.
  if (Number(value) > replicationFactor) {
    return `is ${value}, above the replication factor ${replicationFactor}, so acks=all writes could never succeed`;
  }
  return undefined;
};

const checkRatio: ValueCheck = (value) => {
  const parsed = Number(value);
  return value.trim() !== '' && parsed >= 0 && parsed <= 1 ? undefined : 'must be a number between 0 and 1';
};

export const TOPIC_CONFIG_CHECKS: Readonly<Record<string, ValueCheck>> = {
  'retention.ms': integer(-1),
  'retention.bytes': integer(-1),
  // The log refuses segments under 1 KiB (packages/log LOG_LIMITS.segmentBytesMin); refuse them here, not on open.
  'segment.bytes': integer(1024, INT32_MAX),
  'segment.ms': integer(1),
  'segment.index.bytes': integer(4, INT32_MAX),
  'min.insync.replicas': checkMinInsyncReplicas,
  'cleanup.policy': checkCleanupPolicy,
  'max.message.bytes': integer(0, INT32_MAX),
  'compression.type': oneOf('producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'),
  'message.timestamp.type': oneOf('CreateTime', 'LogAppendTime'),
  'delete.retention.ms': integer(0),
  // Kafka's flush settings; the default is no fsync per write (durability comes from replication).
  'flush.ms': integer(1),
  // Only 1 (fsync after every append) is supported; Kafka's "every N messages" has no use here.
  'flush.messages': oneOf('1'),
  'min.cleanable.dirty.ratio': checkRatio,
  // DESIGN §5: unclean election (leader from outside the ISR) is off and cannot be turned on.
  'unclean.leader.election.enable': oneOf('false'),
};

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
    if (!Object.hasOwn(TOPIC_CONFIG_CHECKS, name)) {
      const known = Object.keys(TOPIC_CONFIG_CHECKS).join(', ');
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
    const problem = TOPIC_CONFIG_CHECKS[name]?.(value, { replicationFactor });
    if (problem !== undefined) {
      throw new TributaryError('INVALID_CONFIG', `config ${name}=${JSON.stringify(value)} ${problem}`);
    }
  }
}
