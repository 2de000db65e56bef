/**
 * The "consumer" protocol type's embedded formats, which Kafka clients put in classic groups' opaque
 * bytes: ConsumerProtocolSubscription (a member's JoinGroup metadata) and ConsumerProtocolAssignment (what
 * the leader's SyncGroup gives each member). Layouts (big-endian, versions 0-3, not flexible):
 *   Subscription: version i16 | topics [i32 n, (i16 len, utf8)*] | userData (i32 len, -1 = null) | v1+ ...
 *   Assignment:   version i16 | [i32 n, (topic i16 len utf8, partitions [i32 n, i32*])]* | userData
 * The coordinator never needs them to run a group; it decodes them only to describe classic groups in
 * Tributary's terms (topics, assignments), and encodes them to describe Tributary's own groups to Kafka
 * clients. Decoding is defensive and bounded: anything malformed or over a limit decodes to null, and
 * fields after the ones read (later versions' additions) are ignored, as Kafka's own reader does.
 */
import type { Assignment } from './assignment.js';
import { GROUP_LIMITS } from './limits.js';

/** A bounds-checked reader; every read returns null past the end instead of throwing. */
class Reader {
  #offset = 0;
  constructor(readonly bytes: Buffer) {}

  int16(): number | null {
    if (this.#offset + 2 > this.bytes.length) return null;
    const value = this.bytes.readInt16BE(this.#offset);
    this.#offset += 2;
    return value;
  }

  int32(): number | null {
    if (this.#offset + 4 > this.bytes.length) return null;
    const value = this.bytes.readInt32BE(this.#offset);
    this.#offset += 4;
    return value;
  }

  string(): string | null {
    const length = this.int16();
    if (length === null || length < 0 || this.#offset + length > this.bytes.length) return null;
    const value = this.bytes.toString('utf8', this.#offset, this.#offset + length);
    this.#offset += length;
    return value;
  }

  /** An array count, refused when negative, over `max`, or larger than the bytes left could hold. */
  count(max: number, minBytesEach: number): number | null {
    const n = this.int32();
    if (n === null || n < 0 || n > max) return null;
    if (n * minBytesEach > this.bytes.length - this.#offset) return null;
    return n;
  }
}

/** The topics of a ConsumerProtocolSubscription, or null when the bytes are not one. */
export function decodeConsumerSubscription(bytes: Buffer): string[] | null {
  const reader = new Reader(bytes);
  const version = reader.int16();
  if (version === null || version < 0) return null;
  const n = reader.count(GROUP_LIMITS.subscribedTopicsMax, 2);
  if (n === null) return null;
  const topics: string[] = [];
  for (let i = 0; i < n; i++) {
    const topic = reader.string();
    if (topic === null || topic.length === 0) return null;
    topics.push(topic);
  }
  return topics;
}

/** The partitions of a ConsumerProtocolAssignment, or null when the bytes are not one. */
export function decodeConsumerAssignment(bytes: Buffer): Assignment | null {
  const reader = new Reader(bytes);
  const version = reader.int16();
  if (version === null || version < 0) return null;
  const topicCount = reader.count(GROUP_LIMITS.partitionsPerRequestMax, 6);
  if (topicCount === null) return null;
  const assignment = new Map<string, number[]>();
  let total = 0;
  for (let i = 0; i < topicCount; i++) {
    const topic = reader.string();
    const partitionCount = reader.count(GROUP_LIMITS.partitionsPerRequestMax, 4);
    if (topic === null || topic.length === 0 || partitionCount === null) return null;
    total += partitionCount;
    if (total > GROUP_LIMITS.partitionsPerRequestMax) return null;
    const partitions = assignment.get(topic) ?? [];
    for (let j = 0; j < partitionCount; j++) {
      const partition = reader.int32();
      if (partition === null || partition < 0) return null;
      partitions.push(partition);
    }
    assignment.set(topic, partitions);
  }
  const sorted = new Map<string, readonly number[]>();
  for (const topic of [...assignment.keys()].sort()) {
    sorted.set(
      topic,
      [...new Set(assignment.get(topic))].sort((a, b) => a - b),
    );
  }
  return sorted;
}

class Writer {
  readonly #chunks: Buffer[] = [];

  int16(value: number): this {
    const chunk = Buffer.alloc(2);
    chunk.writeInt16BE(value);
    this.#chunks.push(chunk);
    return this;
  }

  int32(value: number): this {
    const chunk = Buffer.alloc(4);
    chunk.writeInt32BE(value);
    this.#chunks.push(chunk);
    return this;
  }

  string(value: string): this {
    const bytes = Buffer.from(value, 'utf8');
    this.int16(bytes.length);
    this.#chunks.push(bytes);
    return this;
  }

  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

/** A version-0 ConsumerProtocolSubscription (null user data) for the topics. */
export function encodeConsumerSubscription(topics: readonly string[]): Buffer {
  const writer = new Writer().int16(0).int32(topics.length);
  for (const topic of topics) writer.string(topic);
  return writer.int32(-1).bytes();
}

/** A version-0 ConsumerProtocolAssignment (null user data) for the assignment. */
export function encodeConsumerAssignment(assignment: Assignment): Buffer {
  const writer = new Writer().int16(0).int32(assignment.size);
  for (const [topic, partitions] of assignment) {
    writer.string(topic).int32(partitions.length);
    for (const partition of partitions) writer.int32(partition);
  }
  return writer.int32(-1).bytes();
}
