/**
 * The consumer protocol (protocol type "consumer"): what consumers put inside JoinGroup's protocol
 * metadata (a subscription) and what the leader hands out through SyncGroup (an assignment). Both are
 * an int16 version followed by a struct in classic (never flexible) encoding.
 *
 * Kafka's ConsumerProtocol reads a version newer than it knows with its highest known layout and
 * ignores whatever follows, so new versions may only append fields; a negative version is refused.
 * Trailing bytes are ignored at every version, as Kafka's reader never checks for them.
 */
import { assert } from '@tributary/core';
import { KafkaProtocolError } from '../errors.js';
import { Reader } from '../reader.js';
import { field, nullable, type StructInput, type StructValue, struct } from '../schema.js';
import { array, bytes, type CodecContext, int32, string } from '../wire-type.js';
import { Writer } from '../writer.js';

/** The consumer protocol versions this codec knows; Subscription and Assignment move together. */
export const CONSUMER_PROTOCOL_VERSIONS = { min: 0, max: 3 } as const;

const topicPartitions = struct({
  topic: field(string, '0+'),
  partitions: field(array(int32), '0+'),
});

/**
 * v1 adds the partitions the member owns (KIP-429 cooperative rebalancing), v2 its generation (KIP-792, so
 * an assignor can tell stale ownership), v3 its rack (KIP-881 rack-aware assignment).
 */
export const ConsumerProtocolSubscription = struct({
  topics: field(array(string), '0+'),
  userData: nullable(bytes, '0+', '0+'),
  ownedPartitions: field(array(topicPartitions), '1+'),
  generationId: field(int32, '2+', { default: -1 }),
  rackId: nullable(string, '3+', '3+'),
});

/** The assignment's layout has not changed since v0; its version follows the subscription's. */
export const ConsumerProtocolAssignment = struct({
  assignedPartitions: field(array(topicPartitions), '0+'),
  userData: nullable(bytes, '0+', '0+'),
});

type SubscriptionFields = (typeof ConsumerProtocolSubscription)['fields'];
type AssignmentFields = (typeof ConsumerProtocolAssignment)['fields'];

/** A decoded subscription; `version` is the one the member wrote, which may be newer than 3. */
export type ConsumerSubscription = StructValue<SubscriptionFields> & { readonly version: number };
export type ConsumerAssignment = StructValue<AssignmentFields> & { readonly version: number };

/** Reads the version prefix and the context to decode the rest with (see the file comment). */
function readVersion(reader: Reader, what: string): { version: number; context: CodecContext } {
  const at = reader.position;
  const version = reader.int16();
  if (version < CONSUMER_PROTOCOL_VERSIONS.min) {
    throw new KafkaProtocolError('BAD_VALUE', at, `unsupported ${what} version ${version}`);
  }
  return {
    version,
    context: { version: Math.min(version, CONSUMER_PROTOCOL_VERSIONS.max), flexible: false },
  };
}

/** Decodes JoinGroup protocol metadata of protocol type "consumer". Byte strings are views of `data`. */
export function decodeConsumerSubscription(data: Buffer): ConsumerSubscription {
  const reader = new Reader(data);
  const { version, context } = readVersion(reader, 'consumer subscription');
  const value = ConsumerProtocolSubscription.read(reader, context);
  assert(value !== null, 'a struct never decodes to null');
  return { ...value, version };
}

/** Decodes a SyncGroup assignment of protocol type "consumer". Byte strings are views of `data`. */
export function decodeConsumerAssignment(data: Buffer): ConsumerAssignment {
  const reader = new Reader(data);
  const { version, context } = readVersion(reader, 'consumer assignment');
  const value = ConsumerProtocolAssignment.read(reader, context);
  assert(value !== null, 'a struct never decodes to null');
  return { ...value, version };
}

function encodeVersioned<T>(
  write: (writer: Writer, value: T, context: CodecContext) => void,
  value: T,
  version: number,
): Buffer {
  // Unlike decoding, writing a version this codec does not know is a caller's bug, not the peer's.
  assert(
    Number.isInteger(version) &&
      version >= CONSUMER_PROTOCOL_VERSIONS.min &&
      version <= CONSUMER_PROTOCOL_VERSIONS.max,
    () => `consumer protocol version ${version} is not one this codec writes`,
  );
  const writer = new Writer();
  writer.int16(version);
  write(writer, value, { version, flexible: false });
  return writer.toBuffer();
}

/** Encodes a subscription (the JoinGroup protocol metadata a consumer sends), v3 unless told. */
export function encodeConsumerSubscription(
  value: StructInput<SubscriptionFields>,
  version: number = CONSUMER_PROTOCOL_VERSIONS.max,
): Buffer {
  return encodeVersioned((w, v, c) => ConsumerProtocolSubscription.write(w, v, c), value, version);
}

/** Encodes an assignment (what a group leader puts in SyncGroup for each member), v3 unless told. */
export function encodeConsumerAssignment(
  value: StructInput<AssignmentFields>,
  version: number = CONSUMER_PROTOCOL_VERSIONS.max,
): Buffer {
  return encodeVersioned((w, v, c) => ConsumerProtocolAssignment.write(w, v, c), value, version);
}
