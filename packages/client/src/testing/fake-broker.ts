/**
 * In-process fake brokers on 127.0.0.1:0 sharing one canned cluster state: partition leaders, an
 * in-memory log per partition, and error injection. It tests client logic (partitioning, batching,
 * retries, decoding), not broker behaviour: there is no replication and acks are ignored. Batches that
 * carry a producer id get the broker's idempotence check (fake-sequences.ts).
 */
import * as grpc from '@grpc/grpc-js';
import { isErrorCode, TributaryError, WIRE_LIMITS } from '@tributary/core';
import {
  addBrokerService,
  type BrokerHandlers,
  bindServer,
  createServer,
  type DeleteRecordsPartitionResult,
  type DeleteRecordsRequest__Output,
  type DescribedPartitionReplicas,
  type DescribeProducersPartitionResult,
  type DescribeProducersRequest__Output,
  type DescribeReplicasRequest__Output,
  type FetchPartitionResult,
  type FetchRequest__Output,
  handleUnary,
  type ListOffsetsRequest__Output,
  type MetadataRequest__Output,
  type MetadataResponse,
  type ProducePartitionResult,
  type ProduceRequest__Output,
  type ProduceResponse,
  requireMessage,
  serveRequestStream,
  shutdownServer,
  toServiceError,
} from '@tributary/protocol';
import { appendPartition, type FakeProducerState } from './fake-sequences.js';

export { type LostResponses, loseResponses } from './interceptors.js';

interface StoredBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly bytes: Buffer;
}

export interface FakePartitionLog {
  readonly batches: StoredBatch[];
  endOffset: number;
  /** Idempotence state per producer id. */
  readonly producers: Map<number, FakeProducerState>;
}

/** Where to lose a Produce response: the broker appends, then fails the whole call with UNAVAILABLE. */
export interface DroppedResponse {
  readonly topic: string;
  readonly partition: number;
  readonly brokerId?: number;
}

export interface InjectedError {
  readonly method: 'Produce' | 'Fetch' | 'ListOffsets' | 'DeleteRecords' | 'DescribeProducers';
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: string;
  /** Only on this broker (default: whichever broker handles the partition). */
  readonly brokerId?: number;
}

export interface FakeClusterState {
  /** Leader broker id per partition, per topic (-1 = no leader). */
  readonly leaders: Map<string, number[]>;
  readonly leaderEpochs: Map<string, number[]>;
  readonly logs: Map<string, FakePartitionLog>;
  /** Consumed in order: each fires once. */
  readonly injected: InjectedError[];
  /** Each fires once, on the first Produce call that appends to its partition. */
  readonly dropResponseAfterAppend: DroppedResponse[];
  /** Error codes InitProducerId fails with, one call each, in order. */
  readonly injectedInitProducerId: string[];
  /** The next producer id InitProducerId hands out. */
  nextProducerId: number;
  /** Per broker id: its Fetch answers only after this long (a long-poll that nothing wakes). */
  readonly fetchHoldMs: Map<number, number>;
  /** Fetches a hold delayed that have answered. */
  heldFetchesAnswered: number;
  /** Every request received, with the topics it named (Produce and Fetch). */
  readonly requests: { brokerId: number; method: string; topics: readonly string[]; request: unknown }[];
  /**
   * DescribeReplicas: the replicas' progress per `topic-partition` as the leader reports it (default: the
   * leader alone, caught up), and the log extent and size (default: from the in-memory log).
   */
  readonly replicaProgress: Map<string, FakeReplicaProgress[]>;
  readonly logExtents: Map<string, FakeLogExtent>;
  /** Log start offsets DeleteRecords moved, per `topic-partition` (default 0). */
  readonly logStartOffsets: Map<string, number>;
  /** DescribeProducers: the leader's producer state per `topic-partition` (default: none). */
  readonly activeProducers: Map<string, FakeActiveProducer[]>;
  /**
   * Whether the brokers offer ProduceStream (default true); false: they answer it UNIMPLEMENTED, as a broker of
   * an older version does.
   */
  produceStreams: boolean;
  /** ProduceStreams opened, across brokers. */
  produceStreamsOpened: number;
  /**
   * Brokers that answer no Produce, Fetch or Metadata call, as a SIGSTOPped process: connections stay open
   * and nothing comes back (the caller's deadline or cancellation ends the call).
   */
  readonly pausedBrokers: Set<number>;
  /** Whether the brokers offer FetchStream (default true); false: UNIMPLEMENTED, as an older broker. */
  fetchStreams: boolean;
  /** FetchStreams opened, across brokers. */
  fetchStreamsOpened: number;
  /** Fetches on streams whose long poll a cancel message (or the stream's end) cut short. */
  fetchesCancelled: number;
}

/** A producer as DescribeProducers reports it (-1: none, as on the wire). */
export interface FakeActiveProducer {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly lastSequence: number;
  readonly lastTimestampMs: number;
  readonly coordinatorEpoch: number;
  readonly currentTxnStartOffset: number;
}

export interface FakeReplicaProgress {
  readonly brokerId: number;
  readonly logEndOffset: number;
  readonly inIsr: boolean;
  /** -1: never caught up. */
  readonly caughtUpMsAgo: number;
}

export interface FakeLogExtent {
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly sizeBytes: number;
}

export interface FakeBroker {
  readonly id: number;
  readonly address: string;
}

export interface FakeCluster {
  readonly brokers: readonly FakeBroker[];
  readonly bootstrap: string[];
  readonly state: FakeClusterState;
  /** Moves a partition's leadership (bumps its leader epoch). */
  moveLeader(topic: string, partition: number, brokerId: number): void;
  /** Every stored record value of a partition, decoded by the caller's choice of `splitBatches`. */
  log(topic: string, partition: number): FakePartitionLog;
  stop(): Promise<void>;
}

export interface FakeClusterOptions {
  readonly brokers: number;
  /** Partition count per topic; leaders are spread round-robin over the brokers (ids from 1). */
  readonly topics: Readonly<Record<string, number>>;
  /** Adds more services to each broker's server before it is bound (a fake coordinator, say). */
  readonly extraServices?: (server: grpc.Server, brokerIndex: number) => void;
}

const key = (topic: string, partition: number): string => `${topic}-${partition}`;

/** What a paused broker's handler waits for: nothing (the call ends by the client's deadline or cancel). */
const untilNever = (): Promise<never> => new Promise<never>(() => undefined);

export async function startFakeCluster(options: FakeClusterOptions): Promise<FakeCluster> {
  const state: FakeClusterState = {
    leaders: new Map(),
    leaderEpochs: new Map(),
    logs: new Map(),
    injected: [],
    dropResponseAfterAppend: [],
    injectedInitProducerId: [],
    nextProducerId: 1000,
    fetchHoldMs: new Map(),
    heldFetchesAnswered: 0,
    requests: [],
    replicaProgress: new Map(),
    logExtents: new Map(),
    logStartOffsets: new Map(),
    activeProducers: new Map(),
    produceStreams: true,
    produceStreamsOpened: 0,
    pausedBrokers: new Set(),
    fetchStreams: true,
    fetchStreamsOpened: 0,
    fetchesCancelled: 0,
  };
  for (const [topic, count] of Object.entries(options.topics)) {
    state.leaders.set(
      topic,
      Array.from({ length: count }, (_, p) => (p % options.brokers) + 1),
    );
    state.leaderEpochs.set(
      topic,
      Array.from({ length: count }, () => 0),
    );
    for (let p = 0; p < count; p++) {
      state.logs.set(key(topic, p), { batches: [], endOffset: 0, producers: new Map() });
    }
  }
  const appended = new Set<() => void>();
  const servers: grpc.Server[] = [];
  const brokers: FakeBroker[] = [];
  for (let id = 1; id <= options.brokers; id++) {
    const server = createServer();
    const broker = { id, address: '' };
    addBrokerService(server, handlers(id, state, brokers, appended));
    options.extraServices?.(server, id - 1);
    const port = await bindServer(server, '127.0.0.1:0');
    broker.address = `127.0.0.1:${port}`;
    brokers.push(broker);
    servers.push(server);
  }
  return {
    brokers,
    bootstrap: brokers.map((b) => b.address),
    state,
    moveLeader(topic, partition, brokerId) {
      const leaders = state.leaders.get(topic);
      const epochs = state.leaderEpochs.get(topic);
      if (leaders === undefined || epochs === undefined) throw new Error(`no topic ${topic}`);
      leaders[partition] = brokerId;
      epochs[partition] = (epochs[partition] ?? 0) + 1;
    },
    log(topic, partition) {
      const log = state.logs.get(key(topic, partition));
      if (log === undefined) throw new Error(`no partition ${topic}-${partition}`);
      return log;
    },
    async stop() {
      await Promise.all(servers.map((server) => shutdownServer(server, 100)));
    },
  };
}

function takeInjected(
  state: FakeClusterState,
  match: Omit<InjectedError, 'errorCode'> & { brokerId: number },
): string | undefined {
  const index = state.injected.findIndex(
    (e) =>
      e.method === match.method &&
      e.topic === match.topic &&
      e.partition === match.partition &&
      (e.brokerId === undefined || e.brokerId === match.brokerId),
  );
  if (index === -1) return undefined;
  const [error] = state.injected.splice(index, 1);
  return error?.errorCode;
}

function handlers(
  id: number,
  state: FakeClusterState,
  brokers: readonly FakeBroker[],
  appended: Set<() => void>,
): BrokerHandlers {
  const leaderOf = (topic: string, partition: number): number | undefined =>
    state.leaders.get(topic)?.[partition];
  const check = (
    method: InjectedError['method'],
    topic: string,
    partition: number,
  ): Partial<ProducePartitionResult> | undefined => {
    const leader = leaderOf(topic, partition);
    if (leader === undefined)
      return { errorCode: 'UNKNOWN_TOPIC_OR_PARTITION', errorMessage: `no ${topic}-${partition}` };
    const injected = takeInjected(state, { method, topic, partition, brokerId: id });
    if (injected !== undefined) return { errorCode: injected, errorMessage: 'injected', leaderId: leader };
    if (leader !== id)
      return { errorCode: 'NOT_LEADER', errorMessage: `leader is ${leader}`, leaderId: leader };
    return undefined;
  };
  /** A Fetch, unary or on a stream: long-polls until an append anywhere, max wait, or `signal` aborts. */
  const fetch = async (
    request: FetchRequest__Output,
    signal?: AbortSignal,
  ): Promise<FetchPartitionResult[]> => {
    state.requests.push({
      brokerId: id,
      method: 'Fetch',
      topics: request.topics.map((t) => t.name),
      request,
    });
    if (state.pausedBrokers.has(id)) await untilNever();
    const holdMs = state.fetchHoldMs.get(id);
    if (holdMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      state.heldFetchesAnswered++;
    }
    const results = readFetch(request, state, check);
    if (
      results.some((r) => r.errorCode === '' && (r.records as Buffer).length > 0) ||
      request.maxWaitMs <= 0 ||
      signal?.aborted === true
    ) {
      return results;
    }
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        appended.delete(wake);
        signal?.removeEventListener('abort', cancelled);
        resolve();
      };
      const cancelled = (): void => {
        state.fetchesCancelled++;
        wake();
      };
      const timer = setTimeout(wake, request.maxWaitMs);
      appended.add(wake);
      signal?.addEventListener('abort', cancelled, { once: true });
    });
    return readFetch(request, state, () => undefined);
  };
  return {
    Produce: (call, callback) => {
      if (state.pausedBrokers.has(id)) return;
      let outcome: ReturnType<typeof produce>;
      try {
        outcome = produce(id, state, call.request, check);
      } catch (error) {
        callback(toServiceError(error));
        return;
      }
      for (const wake of [...appended]) wake();
      if (outcome.dropped) {
        callback({ code: grpc.status.UNAVAILABLE, details: 'injected: response dropped after the append' });
      } else {
        callback(null, outcome.response);
      }
    },
    ProduceStream: (call) => {
      if (!state.produceStreams) {
        const details = 'ProduceStream is not offered (fake broker of an older version)';
        call.emit('error', { code: grpc.status.UNIMPLEMENTED, details, message: details });
        return;
      }
      state.produceStreamsOpened++;
      serveRequestStream(call, {
        handle: async (message) => {
          if (state.pausedBrokers.has(id)) await untilNever();
          const request = requireMessage(message.request, 'request');
          const outcome = produce(id, state, request, check);
          for (const wake of [...appended]) wake();
          if (outcome.dropped) {
            // A lost answer on a stream is a broken stream: every request in flight on it fails.
            const details = 'injected: stream broken after the append';
            call.emit('error', { code: grpc.status.UNAVAILABLE, details, message: details });
          }
          return {
            requestId: message.requestId,
            errorCode: '',
            errorMessage: '',
            response: outcome.response,
          };
        },
        failed: (message, error) => ({ requestId: message.requestId, ...error, response: null }),
        order: 'concurrent',
        pendingRequestsMax: WIRE_LIMITS.produceStreamPendingRequestsMax,
      });
    },
    InitProducerId: handleUnary(async (request) => {
      state.requests.push({ brokerId: id, method: 'InitProducerId', topics: [], request });
      const injected = state.injectedInitProducerId.shift();
      if (injected !== undefined) {
        throw new TributaryError(isErrorCode(injected) ? injected : 'UNKNOWN', 'injected');
      }
      return { producerId: state.nextProducerId++, producerEpoch: 0 };
    }),
    Fetch: handleUnary(async (request: FetchRequest__Output) => ({ results: await fetch(request) })),
    FetchStream: (call) => {
      if (!state.fetchStreams) {
        const details = 'FetchStream is not offered (fake broker of an older version)';
        call.emit('error', { code: grpc.status.UNIMPLEMENTED, details, message: details });
        return;
      }
      state.fetchStreamsOpened++;
      serveRequestStream(call, {
        handle: async (message, signal) => {
          const request = requireMessage(message.request, 'request');
          const results = await fetch(request, signal);
          return { requestId: message.requestId, errorCode: '', errorMessage: '', response: { results } };
        },
        failed: (message, error) => ({ requestId: message.requestId, ...error, response: null }),
        order: 'concurrent',
        pendingRequestsMax: WIRE_LIMITS.fetchStreamPendingRequestsMax,
        cancellation: { isCancel: (message) => message.cancel, idOf: (message) => message.requestId },
      });
    },
    ListOffsets: handleUnary(async (request: ListOffsetsRequest__Output) => {
      state.requests.push({
        brokerId: id,
        method: 'ListOffsets',
        topics: request.topics.map((t) => t.name),
        request,
      });
      const results = request.topics.flatMap((topic) =>
        topic.partitions.map((p) => {
          const problem = check('ListOffsets', topic.name, p.partition);
          if (problem !== undefined)
            return { topic: topic.name, partition: p.partition, offset: -1, ...problem };
          const log = state.logs.get(key(topic.name, p.partition)) as FakePartitionLog;
          const offset =
            p.timestamp === -1
              ? log.endOffset
              : p.timestamp === -2
                ? 0
                : (log.batches.find((b) => b.maxTimestamp >= p.timestamp)?.baseOffset ?? -1);
          return { topic: topic.name, partition: p.partition, errorCode: '', offset };
        }),
      );
      return { results };
    }),
    Metadata: handleUnary(async (request: MetadataRequest__Output) => {
      state.requests.push({ brokerId: id, method: 'Metadata', topics: request.topics, request });
      if (state.pausedBrokers.has(id)) await untilNever();
      return metadataResponse(request, state, brokers);
    }),
    DeleteRecords: handleUnary(async (request: DeleteRecordsRequest__Output) => {
      state.requests.push({
        brokerId: id,
        method: 'DeleteRecords',
        topics: request.topics.map((t) => t.name),
        request,
      });
      return {
        results: deleteRecords(state, request, (topic, partition) =>
          check('DeleteRecords', topic, partition),
        ),
      };
    }),
    DescribeReplicas: handleUnary(async (request: DescribeReplicasRequest__Output) => {
      state.requests.push({
        brokerId: id,
        method: 'DescribeReplicas',
        topics: request.partitions.map((p) => p.topic),
        request,
      });
      return { partitions: describeReplicas(id, state, request) };
    }),
    DescribeProducers: handleUnary(async (request: DescribeProducersRequest__Output) => {
      state.requests.push({
        brokerId: id,
        method: 'DescribeProducers',
        topics: request.topics.map((t) => t.name),
        request,
      });
      return {
        results: request.topics.flatMap((topic) =>
          topic.partitions.map(({ partition }): DescribeProducersPartitionResult => {
            const base = { topic: topic.name, partition, activeProducers: [] };
            const problem = check('DescribeProducers', topic.name, partition);
            if (problem !== undefined) {
              return {
                ...base,
                errorCode: problem.errorCode ?? '',
                errorMessage: problem.errorMessage ?? '',
              };
            }
            return { ...base, activeProducers: state.activeProducers.get(key(topic.name, partition)) ?? [] };
          }),
        ),
      };
    }),
  };
}

/** Moves log starts as the leader would (no followers to wait for): -1 is the log end. */
function deleteRecords(
  state: FakeClusterState,
  request: DeleteRecordsRequest__Output,
  check: (topic: string, partition: number) => Partial<ProducePartitionResult> | undefined,
): DeleteRecordsPartitionResult[] {
  return request.topics.flatMap((topic) =>
    topic.partitions.map((p): DeleteRecordsPartitionResult => {
      const base = { topic: topic.name, partition: p.partition, lowWatermark: -1 };
      const problem = check(topic.name, p.partition);
      if (problem !== undefined) return { ...base, ...problem };
      const log = state.logs.get(key(topic.name, p.partition)) as FakePartitionLog;
      const offset = p.offset === -1 ? log.endOffset : p.offset;
      if (offset > log.endOffset) {
        return { ...base, errorCode: 'OFFSET_OUT_OF_RANGE', errorMessage: 'past the end' };
      }
      const start = Math.max(state.logStartOffsets.get(key(topic.name, p.partition)) ?? 0, offset);
      state.logStartOffsets.set(key(topic.name, p.partition), start);
      return { ...base, errorCode: '', lowWatermark: start };
    }),
  );
}

/** The leader's view of its replicas, from the canned state (partitions it does not lead: NOT_LEADER). */
function describeReplicas(
  id: number,
  state: FakeClusterState,
  request: DescribeReplicasRequest__Output,
): DescribedPartitionReplicas[] {
  const refs =
    request.partitions.length > 0
      ? request.partitions
      : [...state.leaders].flatMap(([topic, leaders]) =>
          leaders.flatMap((leader, partition) => (leader === id ? [{ topic, partition }] : [])),
        );
  return refs.map(({ topic, partition }) => {
    const leader = state.leaders.get(topic)?.[partition];
    if (leader === undefined) {
      return {
        topic,
        partition,
        errorCode: 'UNKNOWN_TOPIC_OR_PARTITION',
        errorMessage: `no ${topic}-${partition}`,
      };
    }
    if (leader !== id)
      return { topic, partition, errorCode: 'NOT_LEADER', errorMessage: `leader is ${leader}` };
    const log = state.logs.get(key(topic, partition)) as FakePartitionLog;
    const extent = state.logExtents.get(key(topic, partition)) ?? {
      logStartOffset: 0,
      logEndOffset: log.endOffset,
      sizeBytes: log.batches.reduce((sum, batch) => sum + batch.bytes.length, 0),
    };
    return {
      topic,
      partition,
      errorCode: '',
      leaderEpoch: state.leaderEpochs.get(topic)?.[partition] ?? 0,
      ...extent,
      highWatermark: extent.logEndOffset,
      replicas: state.replicaProgress.get(key(topic, partition)) ?? [
        { brokerId: id, logEndOffset: extent.logEndOffset, inIsr: true, caughtUpMsAgo: 0 },
      ],
    };
  });
}

type Check = (
  method: 'Produce',
  topic: string,
  partition: number,
) => Partial<ProducePartitionResult> | undefined;

/** Handles one Produce request synchronously; `dropped` when an injected lost response matched. */
function produce(
  id: number,
  state: FakeClusterState,
  request: ProduceRequest__Output,
  check: Check,
): { response: ProduceResponse; dropped: boolean } {
  state.requests.push({
    brokerId: id,
    method: 'Produce',
    topics: request.topics.map((t) => t.name),
    request,
  });
  const results: ProducePartitionResult[] = [];
  let dropped = false;
  for (const topic of request.topics) {
    for (const data of topic.partitions) {
      const problem = check('Produce', topic.name, data.partition);
      if (problem !== undefined) {
        results.push({ topic: topic.name, partition: data.partition, baseOffset: -1, ...problem });
        continue;
      }
      const log = state.logs.get(key(topic.name, data.partition)) as FakePartitionLog;
      const result = appendPartition(log, Buffer.from(data.records));
      results.push({ topic: topic.name, partition: data.partition, ...result });
      if (result.errorCode === '') dropped = takeDrop(state, topic.name, data.partition, id) || dropped;
    }
  }
  return { response: { results }, dropped };
}

function takeDrop(state: FakeClusterState, topic: string, partition: number, brokerId: number): boolean {
  const index = state.dropResponseAfterAppend.findIndex(
    (d) =>
      d.topic === topic && d.partition === partition && (d.brokerId === undefined || d.brokerId === brokerId),
  );
  if (index === -1) return false;
  state.dropResponseAfterAppend.splice(index, 1);
  return true;
}

function readFetch(
  request: FetchRequest__Output,
  state: FakeClusterState,
  check: (method: 'Fetch', topic: string, partition: number) => Partial<ProducePartitionResult> | undefined,
): FetchPartitionResult[] {
  return request.topics.flatMap((topic) =>
    topic.partitions.map((p) => {
      const problem = check('Fetch', topic.name, p.partition);
      if (problem !== undefined)
        return { topic: topic.name, partition: p.partition, records: Buffer.alloc(0), ...problem };
      const log = state.logs.get(key(topic.name, p.partition)) as FakePartitionLog;
      const chosen: Buffer[] = [];
      let bytes = 0;
      for (const batch of log.batches) {
        if (batch.lastOffset < p.fetchOffset) continue;
        if (chosen.length > 0 && bytes + batch.bytes.length > p.partitionMaxBytes) break;
        chosen.push(batch.bytes);
        bytes += batch.bytes.length;
      }
      return {
        topic: topic.name,
        partition: p.partition,
        errorCode: '',
        highWatermark: log.endOffset,
        records: Buffer.concat(chosen),
      };
    }),
  );
}

function metadataResponse(
  request: MetadataRequest__Output,
  state: FakeClusterState,
  brokers: readonly FakeBroker[],
): MetadataResponse {
  const names = request.topics.length === 0 ? [...state.leaders.keys()] : request.topics;
  return {
    clusterId: 'fake',
    controllerId: -1,
    brokers: brokers.map((b) => ({ brokerId: b.id, address: b.address })),
    topics: names.map((name) => {
      const leaders = state.leaders.get(name);
      if (leaders === undefined) return { errorCode: 'UNKNOWN_TOPIC', errorMessage: `no topic ${name}` };
      const epochs = state.leaderEpochs.get(name) ?? [];
      return {
        errorCode: '',
        topic: {
          name,
          topicId: name,
          partitions: leaders.map((leader, partition) => ({
            partition,
            leader,
            leaderEpoch: epochs[partition] ?? 0,
            replicas: [leader],
            isr: [leader],
          })),
        },
      };
    }),
  };
}
