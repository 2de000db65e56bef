/**
 * One error-code table shared by the controller, brokers, the client and the gRPC status mapping
 * (KafkaJS keeps its server error codes as data in the same way). `retriable` tells a client whether
 * trying again can succeed; the other columns tell its retry logic what to do first, so that no client
 * module keeps its own list of codes.
 */
/** One row of the table: the Kafka wire code (DESIGN §9; -1 = UNKNOWN_SERVER_ERROR where Kafka has none). */
export interface ErrorCodeEntry {
  readonly kafka: number;
  readonly retriable: boolean;
  readonly grpc: string;
  readonly message: string;
  /** The client's metadata is probably stale: refresh it before the next attempt. */
  readonly staleMetadata?: true;
  /** The partition's leader may be another broker now: find it (refreshed metadata) and ask there. */
  readonly wrongNode?: true;
  /** The group or transaction coordinator moved or is not there yet: look it up again, then retry. */
  readonly findCoordinator?: true;
}

export const ERROR_CODES = {
  UNKNOWN: { kafka: -1, retriable: false, grpc: 'UNKNOWN', message: 'an unexpected server error' },
  NOT_CONTROLLER: {
    kafka: 41,
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'this controller is not the active controller',
  },
  NOT_LEADER: {
    kafka: 6,
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'this node is not the leader',
    staleMetadata: true,
    wrongNode: true,
  },
  LEADER_NOT_AVAILABLE: {
    kafka: 5,
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'there is no leader right now',
    staleMetadata: true,
    wrongNode: true,
  },
  REQUEST_TIMED_OUT: {
    kafka: 7,
    retriable: true,
    grpc: 'DEADLINE_EXCEEDED',
    message: 'the request timed out',
    staleMetadata: true,
  },
  INVALID_REQUEST: {
    kafka: 42,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the request is malformed',
  },
  INVALID_TOPIC: {
    kafka: 17,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the topic name is not valid',
  },
  INVALID_PARTITIONS: {
    kafka: 37,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the partition count is not valid',
  },
  INVALID_REPLICATION_FACTOR: {
    kafka: 38,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the replication factor is not valid',
  },
  INVALID_CONFIG: {
    kafka: 40,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'a configuration value is not valid',
  },
  TOPIC_ALREADY_EXISTS: {
    kafka: 36,
    retriable: false,
    grpc: 'ALREADY_EXISTS',
    message: 'the topic already exists',
  },
  UNKNOWN_TOPIC: { kafka: 3, retriable: false, grpc: 'NOT_FOUND', message: 'the topic does not exist' },
  UNKNOWN_BROKER: {
    kafka: 102,
    retriable: false,
    grpc: 'NOT_FOUND',
    message: 'the broker is not registered',
  },
  STALE_BROKER_EPOCH: {
    kafka: 77,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the broker epoch is stale',
  },
  DUPLICATE_BROKER_REGISTRATION: {
    kafka: 101,
    retriable: true,
    grpc: 'FAILED_PRECONDITION',
    message: 'another live broker holds this broker id',
  },
  STALE_PARTITION_EPOCH: {
    kafka: 95,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the partition epoch is stale',
  },
  OFFSET_OUT_OF_RANGE: {
    kafka: 1,
    retriable: false,
    grpc: 'OUT_OF_RANGE',
    message: 'the offset is out of range',
  },
  SNAPSHOT_REQUIRED: {
    kafka: -1,
    retriable: false,
    grpc: 'OUT_OF_RANGE',
    message: 'the requested offset was compacted into a snapshot',
  },
  RESOURCE_EXHAUSTED: {
    kafka: 89,
    retriable: true,
    grpc: 'RESOURCE_EXHAUSTED',
    message: 'a server limit was reached',
  },
  SHUTTING_DOWN: {
    kafka: 6,
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'the server is shutting down',
    staleMetadata: true,
    wrongNode: true,
  },
  /**
   * Kafka's KAFKA_STORAGE_ERROR: the replica's log directory failed (it is offline on that broker), and the
   * controller moves the partition's leadership to another in-sync replica. Retriable after a metadata
   * refresh, as in Kafka (an InvalidMetadataException there).
   */
  STORAGE_ERROR: {
    kafka: 56,
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'a storage operation failed',
    staleMetadata: true,
    wrongNode: true,
  },
  UNKNOWN_TOPIC_OR_PARTITION: {
    kafka: 3,
    retriable: true,
    grpc: 'NOT_FOUND',
    message: 'this broker does not host that topic-partition (its metadata may be behind)',
    staleMetadata: true,
  },
  NOT_ENOUGH_REPLICAS: {
    kafka: 19,
    retriable: true,
    grpc: 'FAILED_PRECONDITION',
    message: 'fewer in-sync replicas than min.insync.replicas',
  },
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: {
    kafka: 20,
    retriable: true,
    grpc: 'FAILED_PRECONDITION',
    message: 'written to the leader, but the ISR shrank below min.insync.replicas before it was replicated',
  },
  FENCED_LEADER_EPOCH: {
    kafka: 74,
    retriable: true,
    grpc: 'FAILED_PRECONDITION',
    message: 'the leader epoch in the request is older than the current one',
    staleMetadata: true,
  },
  UNKNOWN_LEADER_EPOCH: {
    kafka: 75,
    retriable: true,
    grpc: 'FAILED_PRECONDITION',
    message: 'the leader epoch in the request is newer than this broker knows',
    staleMetadata: true,
  },
  CORRUPT_MESSAGE: {
    kafka: 2,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'a record batch is corrupt',
  },
  RECORD_TOO_LARGE: {
    kafka: 10,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'a record batch is too large',
  },
  INVALID_REQUIRED_ACKS: {
    kafka: 21,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'acks must be -1, 0 or 1',
  },
  OUT_OF_ORDER_SEQUENCE_NUMBER: {
    kafka: 45,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: "the batch's sequence number does not follow the producer's last one on this partition",
  },
  INVALID_PRODUCER_EPOCH: {
    kafka: 47,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the producer epoch is older than the one this partition has seen',
  },
  NOT_COORDINATOR: {
    kafka: 16,
    retriable: true,
    grpc: 'FAILED_PRECONDITION',
    message: 'this broker is not the coordinator of the group',
    findCoordinator: true,
  },
  COORDINATOR_NOT_AVAILABLE: {
    kafka: 15,
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'the group coordinator is not available',
    findCoordinator: true,
  },
  COORDINATOR_LOAD_IN_PROGRESS: {
    kafka: 14,
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'the coordinator is still loading the group state',
  },
  UNKNOWN_MEMBER_ID: {
    kafka: 25,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the group has no member with that id (it timed out or left); rejoin',
  },
  FENCED_MEMBER_EPOCH: {
    kafka: 110,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: "the member epoch is not the member's current one; rejoin",
  },
  STALE_MEMBER_EPOCH: {
    kafka: 113,
    retriable: true,
    grpc: 'FAILED_PRECONDITION',
    message: 'the commit carries an older member epoch; retry with the current one',
  },
  INCONSISTENT_GROUP_PROTOCOL: {
    kafka: 23,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: "the member's assignor differs from the group's",
  },
  GROUP_NOT_EMPTY: {
    kafka: 68,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the group has active members',
  },
  GROUP_SUBSCRIBED_TO_TOPIC: {
    kafka: 86,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: "the group's members subscribe to the topic, so its offsets stay",
  },
  BROKER_NOT_READY: {
    kafka: 5,
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'the broker is still catching up with the metadata log after starting',
    wrongNode: true,
  },
  GROUP_ID_NOT_FOUND: { kafka: 69, retriable: false, grpc: 'NOT_FOUND', message: 'the group does not exist' },
  INVALID_GROUP_ID: {
    kafka: 24,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the group id is not valid',
  },
  INVALID_REPLICA_ASSIGNMENT: {
    kafka: 39,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the replica assignment is not valid',
  },
  NO_REASSIGNMENT_IN_PROGRESS: {
    kafka: 85,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'no reassignment is in progress for the partition',
  },
  PREFERRED_LEADER_NOT_AVAILABLE: {
    kafka: 80,
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'the preferred leader is not in the ISR or not available',
  },
  ELECTION_NOT_NEEDED: {
    kafka: 84,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the partition is already led by its preferred leader',
  },
  RECONFIGURATION_IN_PROGRESS: {
    kafka: -1,
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'a controller quorum membership change is already in progress',
  },
  DUPLICATE_VOTER: {
    kafka: 126,
    retriable: false,
    grpc: 'ALREADY_EXISTS',
    message: 'the node is already a voter',
  },
  VOTER_NOT_FOUND: { kafka: 127, retriable: false, grpc: 'NOT_FOUND', message: 'the node is not a voter' },
  // Codes that exist for the Kafka listener (DESIGN §9) and its clients; numbers are Kafka's.
  UNSUPPORTED_VERSION: {
    kafka: 35,
    retriable: false,
    grpc: 'UNIMPLEMENTED',
    message: 'the API version is not supported by this broker',
  },
  UNSUPPORTED_FOR_MESSAGE_FORMAT: {
    kafka: 43,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the message format (magic 0 or 1) is not supported; use RecordBatch v2',
  },
  UNSUPPORTED_COMPRESSION_TYPE: {
    kafka: 76,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the compression codec is not supported',
  },
  INVALID_TIMESTAMP: {
    kafka: 32,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: "a record's timestamp is outside the range the topic accepts",
  },
  INVALID_RECORD: { kafka: 87, retriable: false, grpc: 'INVALID_ARGUMENT', message: 'a record is not valid' },
  INVALID_FETCH_SIZE: {
    kafka: 4,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the fetch size is not valid',
  },
  ILLEGAL_GENERATION: {
    kafka: 22,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: "the generation id is not the group's current one; rejoin",
  },
  INVALID_SESSION_TIMEOUT: {
    kafka: 26,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: "the session timeout is outside the broker's allowed range",
  },
  REBALANCE_IN_PROGRESS: {
    kafka: 27,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the group is rebalancing; rejoin',
  },
  MEMBER_ID_REQUIRED: {
    kafka: 79,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'join again with the member id the coordinator assigned',
  },
  GROUP_MAX_SIZE_REACHED: {
    kafka: 81,
    retriable: false,
    grpc: 'RESOURCE_EXHAUSTED',
    message: 'the group has reached its maximum size',
  },
  FENCED_INSTANCE_ID: {
    kafka: 82,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'another member has joined with the same group.instance.id',
  },
  UNKNOWN_PRODUCER_ID: {
    kafka: 59,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the broker has no state for the producer id',
  },
  DUPLICATE_SEQUENCE_NUMBER: {
    kafka: 46,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the batch is a duplicate of one already written',
  },
  POLICY_VIOLATION: {
    kafka: 44,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the request breaks a broker policy',
  },
  OFFSET_NOT_AVAILABLE: {
    kafka: 78,
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'the leader does not yet know the offset (its high watermark is behind)',
  },
  THROTTLING_QUOTA_EXCEEDED: {
    kafka: 89,
    retriable: true,
    grpc: 'RESOURCE_EXHAUSTED',
    message: 'a quota was exceeded',
  },
  TOPIC_AUTHORIZATION_FAILED: {
    kafka: 29,
    retriable: false,
    grpc: 'PERMISSION_DENIED',
    message: 'the principal may not perform that operation on the topic',
  },
  GROUP_AUTHORIZATION_FAILED: {
    kafka: 30,
    retriable: false,
    grpc: 'PERMISSION_DENIED',
    message: 'the principal may not perform that operation on the group',
  },
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: {
    kafka: 53,
    retriable: false,
    grpc: 'PERMISSION_DENIED',
    message: 'the principal may not use that transactional id',
  },
  OPERATION_NOT_ATTEMPTED: {
    kafka: 55,
    retriable: false,
    grpc: 'ABORTED',
    message: 'the operation was not attempted because another part of the request failed',
  },
  SASL_AUTHENTICATION_FAILED: {
    kafka: 58,
    retriable: false,
    grpc: 'UNAUTHENTICATED',
    message: 'authentication failed',
  },
  ILLEGAL_SASL_STATE: {
    kafka: 34,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the SASL request was not expected at this point of the exchange',
  },
  CLUSTER_AUTHORIZATION_FAILED: {
    kafka: 31,
    retriable: false,
    grpc: 'PERMISSION_DENIED',
    message: 'the principal may not perform that cluster operation',
  },
  INVALID_TXN_STATE: {
    kafka: 48,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the transaction is not in a state that allows the request',
  },
  // The transaction coordinator (KIP-98, KIP-360), as Kafka's brokers answer them.
  INVALID_PRODUCER_ID_MAPPING: {
    kafka: 49,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the producer id is not the one mapped to the transactional id',
  },
  INVALID_TRANSACTION_TIMEOUT: {
    kafka: 50,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the transaction timeout is larger than transaction.max.timeout.ms',
  },
  CONCURRENT_TRANSACTIONS: {
    kafka: 51,
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'the previous transaction of this transactional id is still completing',
  },
  // WriteTxnMarkers from a coordinator deposed by a newer one (its CoordinatorEpoch is older than the last
  // the partition saw for that producer): the leader refuses the markers; producers never see this code.
  TRANSACTION_COORDINATOR_FENCED: {
    kafka: 52,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'a newer transaction coordinator has taken over this transactional id',
  },
  // KIP-890: the transaction cannot go on, but the producer may abort it and start again (answered only to
  // Produce v11+, AddPartitionsToTxn v5+, AddOffsetsToTxn, EndTxn and TxnOffsetCommit v4+).
  TRANSACTION_ABORTABLE: {
    kafka: 120,
    retriable: false,
    grpc: 'ABORTED',
    message: 'the transaction must be aborted',
  },
  // KIP-447: OffsetFetch with require_stable for a partition whose transactional offset commit awaits its
  // transaction's marker; the consumer retries until the transaction ends.
  UNSTABLE_OFFSET_COMMIT: {
    kafka: 88,
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'a transactional offset commit for the partition is still pending',
  },
  PRODUCER_FENCED: {
    kafka: 90,
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'a newer producer with the same transactional id has fenced this one',
  },
  UNKNOWN_TOPIC_ID: {
    kafka: 100,
    retriable: true,
    grpc: 'NOT_FOUND',
    message: 'no topic has that topic id',
  },
  TRANSACTIONAL_ID_NOT_FOUND: {
    kafka: 105,
    retriable: false,
    grpc: 'NOT_FOUND',
    message: 'no transaction has that transactional id',
  },
  // SCRAM users, ACLs and quotas (DESIGN §10), as Kafka's AlterUserScramCredentials answers them.
  UNSUPPORTED_SASL_MECHANISM: {
    kafka: 33,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the SASL mechanism is not supported',
  },
  RESOURCE_NOT_FOUND: {
    kafka: 91,
    retriable: false,
    grpc: 'NOT_FOUND',
    message: 'the resource does not exist',
  },
  DUPLICATE_RESOURCE: {
    kafka: 92,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the request names the same resource twice',
  },
  UNACCEPTABLE_CREDENTIAL: {
    kafka: 93,
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the credential does not meet the criteria for acceptability',
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Kafka error code 0: success. */
export const KAFKA_NONE = 0;

/** Kafka's numeric code for a Tributary error code (DESIGN §9). */
export function kafkaErrorCode(code: ErrorCode): number {
  return ERROR_CODES[code].kafka;
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value);
}

/** The table's row for `code`, with its retry columns (absent columns are false). */
function entryOf(code: ErrorCode): ErrorCodeEntry {
  return ERROR_CODES[code];
}

/** Refresh metadata before the next attempt (the `staleMetadata` column). */
export function isStaleMetadata(code: ErrorCode): boolean {
  return entryOf(code).staleMetadata === true;
}

/** The partition's leader may be elsewhere: find it and ask again (the `wrongNode` column). */
export function isWrongNode(code: ErrorCode): boolean {
  return entryOf(code).wrongNode === true;
}

/** Look the coordinator up again, then retry (the `findCoordinator` column). */
export function needsCoordinatorLookup(code: ErrorCode): boolean {
  return entryOf(code).findCoordinator === true;
}

export interface TributaryErrorOptions {
  /** For NOT_CONTROLLER / NOT_LEADER: where the current leader can be reached, when known. */
  readonly leaderHint?: LeaderHint;
  readonly cause?: unknown;
}

export interface LeaderHint {
  readonly id: number;
  readonly address: string;
}

/** An operational error with a stable code; carries across gRPC in the status metadata. */
export class TributaryError extends Error {
  override readonly name = 'TributaryError';
  readonly code: ErrorCode;
  readonly leaderHint: LeaderHint | undefined;

  constructor(code: ErrorCode, message: string, options: TributaryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.leaderHint = options.leaderHint;
  }

  get retriable(): boolean {
    return ERROR_CODES[this.code].retriable;
  }
}
