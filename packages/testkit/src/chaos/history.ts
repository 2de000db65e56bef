/**
 * The recorded history of one chaos run: what the workloads asked for and what the cluster answered, each
 * event stamped with performance.now(). Checkers (checkers.ts) are pure functions over it, so a history can
 * be crafted by hand in tests or dumped as JSON and checked again later.
 */

/** How a send ended. Most failures are ambiguous: the records may or may not be in the log. */
export type SendOutcome =
  | { readonly type: 'acked'; readonly offset: number }
  | { readonly type: 'failed'; readonly definite: boolean; readonly code: string };

/** One record's send (the workloads send small batches; each record gets its own event). */
export interface SendEvent {
  readonly worker: number;
  readonly value: string;
  readonly partition: number;
  readonly sentAtMs: number;
  readonly endedAtMs: number;
  readonly outcome: SendOutcome;
}

export interface OffsetValue {
  readonly offset: number;
  readonly value: string;
}

/**
 * What one consumer got from one partition in one poll. `session` changes whenever the consumer's
 * assignment changed (assigned, revoked, lost) or it rejoined: continuity is checked within a session only.
 */
export interface PollEvent {
  readonly consumer: string;
  readonly session: number;
  readonly partition: number;
  readonly atMs: number;
  readonly records: readonly OffsetValue[];
  readonly highWatermark: number;
}

/** A group offset commit (`offset` is the next offset to read, as Kafka commits it). */
export interface CommitEvent {
  readonly consumer: string;
  readonly group: string;
  readonly partition: number;
  readonly offset: number;
  readonly sentAtMs: number;
  readonly endedAtMs: number;
  readonly acked: boolean;
  /** The error code when not acknowledged. */
  readonly code?: string;
}

/** An explicit reset of a group's committed offset: the only way a commit may legitimately go backwards. */
export interface OffsetResetEvent {
  readonly group: string;
  readonly partition: number;
  readonly atMs: number;
}

export interface PartitionObservation {
  readonly partition: number;
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
}

/** One Metadata answer, as seen by one observer (the broker that answered). */
export interface MetadataEvent {
  readonly observer: string;
  readonly atMs: number;
  readonly partitions: readonly PartitionObservation[];
  readonly brokerEpochs: readonly { readonly brokerId: number; readonly brokerEpoch: number }[];
}

/** Workload-side problems that are not anomalies by themselves (a consumer that had to be restarted). */
export interface NoteEvent {
  readonly atMs: number;
  readonly source: string;
  readonly message: string;
}

export interface History {
  readonly topic: string;
  readonly partitions: number;
  readonly sends: SendEvent[];
  readonly polls: PollEvent[];
  readonly commits: CommitEvent[];
  readonly resets: OffsetResetEvent[];
  readonly metadata: MetadataEvent[];
  readonly notes: NoteEvent[];
  /** Every partition read from its start up to the high watermark after healing; undefined before. */
  finalRead: ReadonlyMap<number, readonly OffsetValue[]> | undefined;
}

export function emptyHistory(topic: string, partitions: number): History {
  return {
    topic,
    partitions,
    sends: [],
    polls: [],
    commits: [],
    resets: [],
    metadata: [],
    notes: [],
    finalRead: undefined,
  };
}

/**
 * Error codes the broker returns before it appends anything: a send failing with one of these wrote
 * nothing. Everything else (timeouts, UNAVAILABLE, NOT_LEADER, NOT_ENOUGH_REPLICAS_AFTER_APPEND, sequence and
 * epoch errors after a producer reset, transport errors) may have been written and is ambiguous.
 */
export const DEFINITE_FAILURE_CODES: ReadonlySet<string> = new Set([
  'INVALID_REQUEST',
  'INVALID_TOPIC',
  'INVALID_PARTITIONS',
  'INVALID_CONFIG',
  'INVALID_REQUIRED_ACKS',
  'UNKNOWN_TOPIC',
  'CORRUPT_MESSAGE',
  'RECORD_TOO_LARGE',
]);

export function isDefiniteFailure(code: string): boolean {
  return DEFINITE_FAILURE_CODES.has(code);
}

/** A short, stable description of an event for anomaly reports. */
export function describeSend(send: SendEvent): string {
  const outcome =
    send.outcome.type === 'acked'
      ? `acked at p${send.partition}@${send.outcome.offset}`
      : `failed ${send.outcome.definite ? 'definitely' : 'ambiguously'} (${send.outcome.code}) on p${send.partition}`;
  return `send ${send.value} by worker ${send.worker} ${outcome} [${ms(send.sentAtMs)}–${ms(send.endedAtMs)}]`;
}

export function describePoll(poll: PollEvent): string {
  const first = poll.records[0]?.offset;
  const last = poll.records[poll.records.length - 1]?.offset;
  const range = first === undefined ? 'nothing' : `offsets ${first}..${last}`;
  return `poll by ${poll.consumer} (session ${poll.session}) of p${poll.partition}: ${range}, high watermark ${poll.highWatermark} [${ms(poll.atMs)}]`;
}

export function describeCommit(commit: CommitEvent): string {
  const outcome = commit.acked ? 'acked' : `failed (${commit.code ?? 'unknown'})`;
  return `commit by ${commit.consumer} of ${commit.group}/p${commit.partition} offset ${commit.offset} ${outcome} [${ms(commit.sentAtMs)}–${ms(commit.endedAtMs)}]`;
}

export function ms(atMs: number): string {
  return `${atMs.toFixed(1)} ms`;
}

/** A JSON-friendly copy (the final read is a Map). */
export function historyToJson(history: History): unknown {
  return {
    ...history,
    finalRead: history.finalRead === undefined ? null : Object.fromEntries(history.finalRead),
  };
}
