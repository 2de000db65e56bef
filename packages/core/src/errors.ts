/**
 * One error-code table shared by the controller, brokers, the client and the gRPC status mapping
 * (KafkaJS keeps its server error codes as data in the same way). `retriable` tells a client whether
 * trying again (after refreshing metadata where the code says so) can succeed.
 */
export const ERROR_CODES = {
  UNKNOWN: { retriable: false, grpc: 'UNKNOWN', message: 'an unexpected server error' },
  NOT_CONTROLLER: {
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'this controller is not the active controller',
  },
  NOT_LEADER: { retriable: true, grpc: 'UNAVAILABLE', message: 'this node is not the leader' },
  LEADER_NOT_AVAILABLE: { retriable: true, grpc: 'UNAVAILABLE', message: 'there is no leader right now' },
  REQUEST_TIMED_OUT: { retriable: true, grpc: 'DEADLINE_EXCEEDED', message: 'the request timed out' },
  INVALID_REQUEST: { retriable: false, grpc: 'INVALID_ARGUMENT', message: 'the request is malformed' },
  INVALID_TOPIC: { retriable: false, grpc: 'INVALID_ARGUMENT', message: 'the topic name is not valid' },
  INVALID_PARTITIONS: {
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the partition count is not valid',
  },
  INVALID_REPLICATION_FACTOR: {
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the replication factor is not valid',
  },
  INVALID_CONFIG: {
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'a configuration value is not valid',
  },
  TOPIC_ALREADY_EXISTS: { retriable: false, grpc: 'ALREADY_EXISTS', message: 'the topic already exists' },
  UNKNOWN_TOPIC: { retriable: false, grpc: 'NOT_FOUND', message: 'the topic does not exist' },
  UNKNOWN_BROKER: { retriable: false, grpc: 'NOT_FOUND', message: 'the broker is not registered' },
  STALE_BROKER_EPOCH: { retriable: false, grpc: 'FAILED_PRECONDITION', message: 'the broker epoch is stale' },
  DUPLICATE_BROKER_REGISTRATION: {
    retriable: true,
    grpc: 'FAILED_PRECONDITION',
    message: 'another live broker holds this broker id',
  },
  STALE_PARTITION_EPOCH: {
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the partition epoch is stale',
  },
  OFFSET_OUT_OF_RANGE: { retriable: false, grpc: 'OUT_OF_RANGE', message: 'the offset is out of range' },
  SNAPSHOT_REQUIRED: {
    retriable: false,
    grpc: 'OUT_OF_RANGE',
    message: 'the requested offset was compacted into a snapshot',
  },
  RESOURCE_EXHAUSTED: { retriable: true, grpc: 'RESOURCE_EXHAUSTED', message: 'a server limit was reached' },
  SHUTTING_DOWN: { retriable: true, grpc: 'UNAVAILABLE', message: 'the server is shutting down' },
  STORAGE_ERROR: { retriable: false, grpc: 'INTERNAL', message: 'a storage operation failed' },
  UNKNOWN_TOPIC_OR_PARTITION: {
    retriable: true,
    grpc: 'NOT_FOUND',
    message: 'this broker does not host that topic-partition (its metadata may be behind)',
  },
  NOT_ENOUGH_REPLICAS: {
    retriable: true,
    grpc: 'FAILED_PRECONDITION',
    message: 'fewer in-sync replicas than min.insync.replicas',
  },
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: {
    retriable: true,
    grpc: 'FAILED_PRECONDITION',
    message: 'written to the leader, but the ISR shrank below min.insync.replicas before it was replicated',
  },
  FENCED_LEADER_EPOCH: {
    retriable: true,
    grpc: 'FAILED_PRECONDITION',
    message: 'the leader epoch in the request is older than the current one',
  },
  UNKNOWN_LEADER_EPOCH: {
    retriable: true,
    grpc: 'FAILED_PRECONDITION',
    message: 'the leader epoch in the request is newer than this broker knows',
  },
  CORRUPT_MESSAGE: { retriable: false, grpc: 'INVALID_ARGUMENT', message: 'a record batch is corrupt' },
  RECORD_TOO_LARGE: { retriable: false, grpc: 'INVALID_ARGUMENT', message: 'a record batch is too large' },
  INVALID_REQUIRED_ACKS: { retriable: false, grpc: 'INVALID_ARGUMENT', message: 'acks must be -1, 0 or 1' },
  OUT_OF_ORDER_SEQUENCE_NUMBER: {
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: "the batch's sequence number does not follow the producer's last one on this partition",
  },
  INVALID_PRODUCER_EPOCH: {
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the producer epoch is older than the one this partition has seen',
  },
  NOT_COORDINATOR: {
    retriable: true,
    grpc: 'FAILED_PRECONDITION',
    message: 'this broker is not the coordinator of the group',
  },
  COORDINATOR_NOT_AVAILABLE: {
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'the group coordinator is not available',
  },
  COORDINATOR_LOAD_IN_PROGRESS: {
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'the coordinator is still loading the group state',
  },
  UNKNOWN_MEMBER_ID: {
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the group has no member with that id (it timed out or left); rejoin',
  },
  FENCED_MEMBER_EPOCH: {
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: "the member epoch is not the member's current one; rejoin",
  },
  STALE_MEMBER_EPOCH: {
    retriable: true,
    grpc: 'FAILED_PRECONDITION',
    message: 'the commit carries an older member epoch; retry with the current one',
  },
  INCONSISTENT_GROUP_PROTOCOL: {
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: "the member's assignor differs from the group's",
  },
  GROUP_NOT_EMPTY: {
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the group has active members',
  },
  BROKER_NOT_READY: {
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'the broker is still catching up with the metadata log after starting',
  },
  GROUP_ID_NOT_FOUND: { retriable: false, grpc: 'NOT_FOUND', message: 'the group does not exist' },
  INVALID_GROUP_ID: { retriable: false, grpc: 'INVALID_ARGUMENT', message: 'the group id is not valid' },
  INVALID_REPLICA_ASSIGNMENT: {
    retriable: false,
    grpc: 'INVALID_ARGUMENT',
    message: 'the replica assignment is not valid',
  },
  NO_REASSIGNMENT_IN_PROGRESS: {
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'no reassignment is in progress for the partition',
  },
  PREFERRED_LEADER_NOT_AVAILABLE: {
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'the preferred leader is not in the ISR or not available',
  },
  ELECTION_NOT_NEEDED: {
    retriable: false,
    grpc: 'FAILED_PRECONDITION',
    message: 'the partition is already led by its preferred leader',
  },
  RECONFIGURATION_IN_PROGRESS: {
    retriable: true,
    grpc: 'UNAVAILABLE',
    message: 'a controller quorum membership change is already in progress',
  },
  DUPLICATE_VOTER: { retriable: false, grpc: 'ALREADY_EXISTS', message: 'the node is already a voter' },
  VOTER_NOT_FOUND: { retriable: false, grpc: 'NOT_FOUND', message: 'the node is not a voter' },
} as const satisfies Record<string, { retriable: boolean; grpc: string; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value);
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
