/**
 * The "consumer" protocol type's embedded formats as the group coordinator uses them: a member's
 * ConsumerProtocolSubscription (JoinGroup metadata) and ConsumerProtocolAssignment (what the leader's
 * SyncGroup gives it). The layouts are defined once, in @tributary/kafka-protocol; this adapter adds what
 * the coordinator needs around them. It never needs them to run a group: it decodes them only to describe
 * classic groups in Tributary's terms (topics, partitions), and encodes them to describe Tributary's own
 * groups to Kafka clients.
 *
 * Decoding reads every version by version 0's layout, which every later version starts with (fields are
 * only ever appended): only topics and partitions are needed, and KafkaJS writes "version 1" subscriptions
 * without v1's owned partitions, which a strict v1 reader refuses. Anything malformed, or over the
 * coordinator's limits, decodes to null; the reader is bounded, so no length can make it allocate more
 * than the bytes hold.
 */
import {
  ConsumerProtocolAssignment,
  ConsumerProtocolSubscription,
  encodeConsumerAssignment as encodeAssignment,
  encodeConsumerSubscription as encodeSubscription,
  KafkaProtocolError,
  Reader,
} from '@tributary/kafka-protocol';
import { type Assignment, fromPairs } from './assignment.js';
import { GROUP_LIMITS } from './limits.js';

const VERSION_0 = { version: 0, flexible: false } as const;

function readAsVersion0<T>(bytes: Buffer, read: (reader: Reader) => T | null): T | null {
  try {
    const reader = new Reader(bytes);
    if (reader.int16() < 0) return null;
    return read(reader);
  } catch (error) {
    if (error instanceof KafkaProtocolError) return null;
    throw error;
  }
}

/** The topics of a ConsumerProtocolSubscription, or null when the bytes are not one. */
export function decodeConsumerSubscription(bytes: Buffer): string[] | null {
  const value = readAsVersion0(bytes, (reader) => ConsumerProtocolSubscription.read(reader, VERSION_0));
  if (value === null || value.topics.length > GROUP_LIMITS.subscribedTopicsMax) return null;
  if (value.topics.some((topic) => topic.length === 0)) return null;
  return [...value.topics];
}

/** The partitions of a ConsumerProtocolAssignment (sorted, deduplicated), or null when not one. */
export function decodeConsumerAssignment(bytes: Buffer): Assignment | null {
  const value = readAsVersion0(bytes, (reader) => ConsumerProtocolAssignment.read(reader, VERSION_0));
  if (value === null) return null;
  let total = 0;
  for (const { topic, partitions } of value.assignedPartitions) {
    total += partitions.length;
    if (topic.length === 0 || partitions.some((p) => p < 0)) return null;
  }
  if (total > GROUP_LIMITS.partitionsPerRequestMax) return null;
  return fromPairs(
    value.assignedPartitions.flatMap(({ topic, partitions }) =>
      partitions.map((partition) => ({ topic, partition })),
    ),
  );
}

/** A version-0 ConsumerProtocolSubscription (null user data) for the topics. */
export function encodeConsumerSubscription(topics: readonly string[]): Buffer {
  const value = { topics: [...topics], userData: null, ownedPartitions: [], generationId: -1, rackId: null };
  return encodeSubscription(value, 0);
}

/** A version-0 ConsumerProtocolAssignment (null user data) for the assignment. */
export function encodeConsumerAssignment(assignment: Assignment): Buffer {
  const assignedPartitions = [...assignment].map(([topic, partitions]) => ({
    topic,
    partitions: [...partitions],
  }));
  return encodeAssignment({ assignedPartitions, userData: null }, 0);
}
