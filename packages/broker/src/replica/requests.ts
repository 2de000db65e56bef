/**
 * The leader's client-facing handlers (DESIGN §6): produce with acks 0/1/all, consumer fetch up to the
 * high watermark, list offsets. Long polls park a
 * wake-up on the partitions they read; delayed produces park on the partition and are settled when the
 * high watermark moves (no timer per request; the manager sweeps deadlines). Replica fetch: replica-fetch.ts.
 */
import type { ErrorCode } from '@tributary/core';
import type {
  FetchAbortedTransaction,
  FetchPartitionResult,
  FetchRequest__Output,
  ListOffsetsPartitionResult,
  ListOffsetsRequest__Output,
  ProducePartitionResult,
  ProduceRequest__Output,
} from '@tributary/protocol';
import { REPLICA_LIMITS } from './config.js';
import { toPartitionError } from './errors.js';
import type { LeaderAppendRequest, Partition, ProduceOrigin } from './partition.js';
import { checkLeader, leaderHint, type RequestContext, waitForAny } from './request-context.js';

const DEFAULT_PRODUCE_TIMEOUT_MS = 30_000;

export type { ProduceOrigin } from './partition.js';

export async function handleProduce(
  context: RequestContext,
  request: ProduceRequest__Output,
  origin: ProduceOrigin = 'client',
): Promise<ProducePartitionResult[]> {
  const acks = request.acks;
  const timeoutMs = Math.min(
    request.timeoutMs || DEFAULT_PRODUCE_TIMEOUT_MS,
    REPLICA_LIMITS.produceTimeoutMsMax,
  );
  const work: Promise<ProducePartitionResult>[] = [];
  for (const topic of request.topics) {
    for (const data of topic.partitions) {
      const base = { topic: topic.name, partition: data.partition };
      if (acks !== -1 && acks !== 0 && acks !== 1) {
        work.push(Promise.resolve(produceError(context, base, 'INVALID_REQUIRED_ACKS', `acks ${acks}`)));
      } else {
        const transactionalId = request.transactionalId;
        work.push(
          produceOne(context, base, { records: data.records, acks, timeoutMs, origin, transactionalId }),
        );
      }
    }
  }
  return Promise.all(work);
}

/** One partition of a produce: the partition's own leader append decides (Partition.appendRecordsToLeader). */
async function produceOne(
  context: RequestContext,
  base: { readonly topic: string; readonly partition: number },
  input: Omit<LeaderAppendRequest, 'clock' | 'verifier'>,
): Promise<ProducePartitionResult> {
  const checked = checkLeader(context, base.topic, base.partition);
  if ('code' in checked) return produceError(context, base, checked.code, checked.message);
  const { partition } = checked;
  const outcome = await partition.appendRecordsToLeader({
    ...input,
    clock: context.clock,
    verifier: context.transactionVerifier(),
  });
  if (!outcome.ok) return produceError(context, base, outcome.code, outcome.message);
  return {
    topic: base.topic,
    partition: base.partition,
    errorCode: '',
    errorMessage: '',
    baseOffset: outcome.baseOffset,
    logStartOffset: partition.log.logStartOffset,
    leaderId: context.brokerId,
    leaderEpoch: outcome.leaderEpoch,
  };
}

function produceError(
  context: RequestContext,
  base: { readonly topic: string; readonly partition: number },
  code: ErrorCode,
  message: string,
): ProducePartitionResult {
  return {
    topic: base.topic,
    partition: base.partition,
    errorCode: code,
    errorMessage: message,
    baseOffset: -1,
    logStartOffset: -1,
    ...leaderHint(context, base.topic, base.partition),
  };
}

/**
 * A consumer fetch: answers at once when it has min_bytes (or an error), else long-polls until a high
 * watermark it waits on moves or max_wait_ms passes. `signal` aborts when the client is gone (its call or
 * stream cancelled, or the request cancelled on its stream): the wait ends and what was read is answered.
 */
export async function handleFetch(
  context: RequestContext,
  request: FetchRequest__Output,
  signal?: AbortSignal,
): Promise<FetchPartitionResult[]> {
  const maxWaitMs = Math.min(request.maxWaitMs, REPLICA_LIMITS.fetchMaxWaitMsMax);
  const first = await readForConsumer(context, request);
  const leaders = first.waitOn;
  if (maxWaitMs <= 0 || first.bytes >= request.minBytes || first.anyError || leaders.length === 0) {
    return first.results;
  }
  await waitForAny(leaders, (partition, wake) => partition.onHighWatermark(wake), maxWaitMs, signal);
  // Nobody reads the answer of a cancelled request: skip the second read.
  if (signal?.aborted === true) return first.results;
  return (await readForConsumer(context, request)).results;
}

async function readForConsumer(
  context: RequestContext,
  request: FetchRequest__Output,
): Promise<{ results: FetchPartitionResult[]; bytes: number; anyError: boolean; waitOn: Partition[] }> {
  let remainingBytes = Math.min(
    request.maxBytes || REPLICA_LIMITS.fetchBytesMax,
    REPLICA_LIMITS.fetchBytesMax,
  );
  const results: FetchPartitionResult[] = [];
  const waitOn: Partition[] = [];
  let bytes = 0;
  let anyError = false;
  for (const topic of request.topics) {
    for (const wanted of topic.partitions) {
      const base = { topic: topic.name, partition: wanted.partition };
      const checked = checkLeader(context, topic.name, wanted.partition, wanted.currentLeaderEpoch);
      if ('code' in checked) {
        anyError = true;
        results.push(fetchError(context, base, checked.code, checked.message));
        continue;
      }
      const { partition } = checked;
      const highWatermark = partition.highWatermark;
      const lastStableOffset = partition.lastStableOffset;
      // read_committed reads stop at the last stable offset (Kafka's FetchIsolation.TXN_COMMITTED).
      const readCommitted = request.isolationLevel === READ_COMMITTED;
      const upperBound = readCommitted ? lastStableOffset : highWatermark;
      const logStartOffset = partition.log.logStartOffset;
      // Out of range means outside the log, as in Kafka: between the high watermark and the log end there is just
      // nothing to read yet (a new leader's high watermark trails its predecessor's for a moment after failover).
      const logEndOffset = partition.log.logEndOffset;
      if (wanted.fetchOffset < logStartOffset || wanted.fetchOffset > logEndOffset) {
        anyError = true;
        const message = `offset ${wanted.fetchOffset} outside the log [${logStartOffset}, ${logEndOffset}]`;
        results.push(fetchError(context, base, 'OFFSET_OUT_OF_RANGE', message));
        continue;
      }
      let records: Buffer = Buffer.alloc(0);
      let abortedTransactions: FetchAbortedTransaction[] = [];
      if (wanted.fetchOffset < upperBound && remainingBytes > 0) {
        try {
          const partitionMaxBytes = wanted.partitionMaxBytes || REPLICA_LIMITS.partitionFetchBytesDefault;
          const maxBytes = Math.min(partitionMaxBytes, remainingBytes);
          const read = await partition.log.read(wanted.fetchOffset, { maxBytes, maxOffset: upperBound });
          records = read.bytes;
          if (readCommitted) {
            abortedTransactions = await abortedInRange(partition, wanted.fetchOffset, read.nextOffset);
          }
        } catch (error) {
          anyError = true;
          context.onReadFailure(partition, error);
          const failure = toPartitionError(error);
          results.push(fetchError(context, base, failure.code, failure.message));
          continue;
        }
      }
      remainingBytes -= records.length;
      bytes += records.length;
      waitOn.push(partition);
      results.push({
        ...base,
        errorCode: '',
        errorMessage: '',
        highWatermark,
        logStartOffset,
        records,
        leaderId: context.brokerId,
        leaderEpoch: partition.leaderEpoch,
        lastStableOffset,
        abortedTransactions,
      });
    }
  }
  return { results, bytes, anyError, waitOn };
}

/** Kafka's isolation levels as the Fetch and ListOffsets requests carry them. */
export const READ_UNCOMMITTED = 0;
export const READ_COMMITTED = 1;

/**
 * The aborted transactions overlapping the records read, [fromOffset, upperBoundOffset), as a read_committed
 * client needs them to drop aborted records (Kafka's collectAbortedTransactions on the fetch path).
 */
async function abortedInRange(
  partition: Partition,
  fromOffset: number,
  upperBoundOffset: number,
): Promise<FetchAbortedTransaction[]> {
  const aborted = await partition.log.abortedTransactions(fromOffset, upperBoundOffset);
  return aborted.map(({ producerId, firstOffset }) => ({ producerId, firstOffset }));
}

function fetchError(
  context: RequestContext,
  base: { readonly topic: string; readonly partition: number },
  code: ErrorCode,
  message: string,
): FetchPartitionResult {
  const partition = context.partition(base.topic, base.partition);
  return {
    ...base,
    errorCode: code,
    errorMessage: message,
    highWatermark: partition?.highWatermark ?? -1,
    logStartOffset: partition?.log.logStartOffset ?? -1,
    records: Buffer.alloc(0),
    ...leaderHint(context, base.topic, base.partition),
  };
}

export async function handleListOffsets(
  context: RequestContext,
  request: ListOffsetsRequest__Output,
): Promise<ListOffsetsPartitionResult[]> {
  const results: ListOffsetsPartitionResult[] = [];
  for (const topic of request.topics) {
    for (const wanted of topic.partitions) {
      const base = { topic: topic.name, partition: wanted.partition };
      const checked = checkLeader(context, topic.name, wanted.partition);
      if ('code' in checked) {
        results.push({
          ...base,
          errorCode: checked.code,
          errorMessage: checked.message,
          offset: -1,
          timestamp: -1,
          leaderEpoch: -1,
        });
        continue;
      }
      const { partition } = checked;
      const highWatermark = partition.highWatermark;
      let offset: number;
      // Kafka's ListOffsets: latest is the last stable offset for read_committed, the high watermark else.
      if (wanted.timestamp === -1) {
        offset = request.isolationLevel === READ_COMMITTED ? partition.lastStableOffset : highWatermark;
      } else if (wanted.timestamp === -2) offset = partition.log.logStartOffset;
      else {
        const found = await partition.log.offsetForTimestamp(wanted.timestamp);
        // Offsets at or past the high watermark are not visible to consumers yet.
        offset = found === null || found >= highWatermark ? -1 : found;
      }
      results.push({
        ...base,
        errorCode: '',
        errorMessage: '',
        offset,
        timestamp: wanted.timestamp,
        leaderEpoch: partition.leaderEpoch,
      });
    }
  }
  return results;
}
