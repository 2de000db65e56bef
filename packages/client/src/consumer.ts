/**
 * Consumer helpers: offsets lookup, single-partition fetch, and an iterator over partitions that
 * fetches every partition led by one broker in one Fetch request (on the broker's FetchStream where it offers
 * one) and yields whole fetched chunks (never a promise per record).
 */
import {
  type Clock,
  type Random,
  systemClock,
  systemRandom,
  TributaryError,
  WIRE_LIMITS,
} from '@tributary/core';
import { backoffDelayMs, DEFAULT_BACKOFF, unary } from '@tributary/protocol';
import type { BrokerConnections } from './connections.js';
import { type ConsumedRecord, decodeFetched } from './decode.js';
import { FetchPipeline } from './fetch-pipeline.js';
import { LeaderWatch } from './leader-watch.js';
import { CLIENT_LIMITS, DEFAULT_FETCH } from './limits.js';
import type { MetadataCache } from './metadata-cache.js';
import { AbortedProducers, ISOLATION_LEVEL_WIRE } from './read-committed.js';
import { partitionError, sleep, toError } from './retry.js';

export type OffsetSpec = 'earliest' | 'latest' | number;

export interface FetchOptions {
  readonly maxWaitMs?: number;
  readonly maxBytes?: number;
  /**
   * Kafka's isolation.level=read_committed (default false: read_uncommitted): fetches stop at the last
   * stable offset and never return records of aborted or open transactions (read-committed.ts).
   */
  readonly readCommitted?: boolean;
}

export interface PartitionFetch {
  readonly partition: number;
  readonly records: ConsumedRecord[];
  readonly nextOffset: number;
  readonly highWatermark: number;
  /**
   * Where read_committed reads end (min of the high watermark and the first open transaction's offset):
   * lag and "end of partition" count to it under read_committed. -1 on error.
   */
  readonly lastStableOffset: number;
  /** Set when this partition failed (retriable or not); records is then empty. */
  readonly error?: TributaryError;
}

export interface ConsumeOptions extends FetchOptions {
  /** Default: every partition of the topic. */
  readonly partitions?: readonly number[];
  /** Where to start: a spec for every partition, or an offset per partition. */
  readonly from: OffsetSpec | ReadonlyMap<number, number>;
  readonly signal?: AbortSignal;
}

export interface ConsumerDeps {
  readonly metadata: MetadataCache;
  readonly connections: BrokerConnections;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Overall deadline of one lookup, retries included. */
  readonly timeoutMs?: number;
}

function specTimestamp(spec: OffsetSpec): number {
  if (spec === 'latest') return -1;
  if (spec === 'earliest') return -2;
  return spec;
}

export class Consumer {
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly timeoutMs: number;
  /** read_committed state per "topic-partition", kept across fetches (read-committed.ts). */
  private readonly abortedProducers = new Map<string, AbortedProducers>();
  private readonly leaderWatch: LeaderWatch;

  constructor(private readonly deps: ConsumerDeps) {
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? systemRandom;
    this.timeoutMs = deps.timeoutMs ?? 30_000;
    this.leaderWatch = new LeaderWatch({ metadata: deps.metadata });
  }

  /** The offset per partition for `spec` (-1 when no record matches a timestamp). */
  async listOffsets(
    topic: string,
    partitions: readonly number[] | undefined,
    spec: OffsetSpec,
    options: { readonly readCommitted?: boolean } = {},
  ): Promise<Map<number, number>> {
    const all = await this.partitionsOf(topic, partitions);
    const found = new Map<number, number>();
    await this.retrying(topic, async (deadlineMs) => {
      let retriable: TributaryError | undefined;
      const missing = all.filter((p) => !found.has(p));
      for (const [address, group] of this.groupByLeader(topic, missing)) {
        const response = await unary(
          this.deps.connections.get(address),
          'ListOffsets',
          {
            // read_committed: 'latest' is the last stable offset.
            isolationLevel: isolationOf(options.readCommitted),
            topics: [
              {
                name: topic,
                partitions: group.map((p) => ({ partition: p, timestamp: specTimestamp(spec) })),
              },
            ],
          },
          { deadlineMs: Math.max(1, Math.min(deadlineMs, CLIENT_LIMITS.metadataCallTimeoutMs)) },
        );
        for (const result of response.results) {
          const error = partitionError(result.errorCode, result.errorMessage, `${topic}-${result.partition}`);
          if (error === undefined) found.set(result.partition, result.offset);
          else if (!error.retriable) throw error;
          else retriable = error;
        }
      }
      if (found.size < all.length) {
        throw (
          retriable ?? new TributaryError('LEADER_NOT_AVAILABLE', `${topic}: some partitions have no leader`)
        );
      }
    });
    return found;
  }

  /** Records of one partition from `offset` on (retries retriable errors until the deadline). */
  async fetch(
    topic: string,
    partition: number,
    offset: number,
    options: FetchOptions = {},
  ): Promise<PartitionFetch> {
    let fetched: PartitionFetch | undefined;
    await this.retrying(topic, async () => {
      const [result] = await this.fetchMany(topic, new Map([[partition, offset]]), options);
      if (result?.error !== undefined) throw result.error;
      fetched = result;
    });
    if (fetched === undefined) throw new TributaryError('UNKNOWN', `${topic}-${partition}: no fetch result`);
    return fetched;
  }

  /**
   * One Fetch request per leader broker covering every partition in `positions`; no retries here:
   * failures come back per partition in `error`. `signal` gives the requests up (they fail).
   */
  async fetchMany(
    topic: string,
    positions: ReadonlyMap<number, number>,
    options: FetchOptions = {},
    signal?: AbortSignal,
  ): Promise<PartitionFetch[]> {
    await this.deps.metadata.requireTopic(topic, this.timeoutMs);
    const maxWaitMs = Math.min(options.maxWaitMs ?? DEFAULT_FETCH.maxWaitMs, CLIENT_LIMITS.fetchMaxWaitMsMax);
    const maxBytes = options.maxBytes ?? DEFAULT_FETCH.maxBytes;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1 || maxBytes > WIRE_LIMITS.fetchBytesMax) {
      // Refused here rather than clamped: the broker would refuse the whole Fetch for it.
      throw new TributaryError(
        'INVALID_REQUEST',
        `maxBytes must be an integer from 1 to ${WIRE_LIMITS.fetchBytesMax}, got ${maxBytes}`,
      );
    }
    const results: PartitionFetch[] = [];
    const groups = this.groupByLeader(topic, [...positions.keys()]);
    for (const partition of positions.keys()) {
      if (![...groups.values()].some((group) => group.includes(partition))) {
        results.push(
          failed(
            partition,
            positions,
            new TributaryError('LEADER_NOT_AVAILABLE', `${topic}-${partition} has no known leader`),
          ),
        );
      }
    }
    const calls = [...groups].map(async ([address, group]) => {
      // A leader paused past its session timeout answers nothing: the fetch is given up (NOT_LEADER, so the
      // caller refreshes and goes to the new leader) once the metadata names another (leader-watch.ts).
      const watched = this.leaderWatch.watchRequest(address, new Map([[topic, group]]), signal);
      try {
        await this.deps.connections.throttles.wait(address);
        const response = await this.deps.connections.fetch(
          address,
          {
            maxWaitMs,
            minBytes: 1,
            maxBytes,
            isolationLevel: isolationOf(options.readCommitted),
            topics: [
              {
                name: topic,
                partitions: group.map((p) => ({
                  partition: p,
                  fetchOffset: positions.get(p) ?? 0,
                  partitionMaxBytes: maxBytes,
                  currentLeaderEpoch: -1,
                })),
              },
            ],
          },
          { deadlineMs: maxWaitMs + this.timeoutMs, signal: watched.signal },
        );
        this.deps.connections.throttles.note(address, response.throttleTimeMs);
        for (const result of response.results) {
          const fetchOffset = positions.get(result.partition) ?? 0;
          const error = partitionError(result.errorCode, result.errorMessage, `${topic}-${result.partition}`);
          if (error !== undefined) {
            results.push(failed(result.partition, positions, error));
            continue;
          }
          const filter =
            options.readCommitted === true
              ? this.abortedOf(topic, result.partition).begin(fetchOffset, result.abortedTransactions)
              : undefined;
          const decoded = decodeFetched(
            result.records,
            { topic, partition: result.partition, fetchOffset },
            filter,
          );
          results.push({
            partition: result.partition,
            highWatermark: result.highWatermark,
            lastStableOffset: result.lastStableOffset,
            ...decoded,
          });
        }
      } catch (error) {
        for (const p of group) results.push(failed(p, positions, toError(error)));
      } finally {
        watched.stop();
      }
    });
    await Promise.all(calls);
    return results;
  }

  /**
   * Yields fetched records, one array per partition per fetch, until `signal` aborts. Each leader broker
   * is fetched from independently: its answer is taken as soon as it arrives and that broker is asked again
   * at once, before the records are yielded (the next answer is on its way while the caller handles them),
   * while the others' long-polls go on (as Kafka's consumer keeps a fetch per node). A partition is in at
   * most one fetch at a time, so its records come in order. Retriable failures refresh metadata and back
   * off; others end the iteration with the error. Ending the iteration gives up the fetches in flight.
   */
  async *consume(topic: string, options: ConsumeOptions): AsyncGenerator<ConsumedRecord[], void, undefined> {
    const partitions = await this.partitionsOf(topic, options.partitions);
    const positions =
      options.from instanceof Map
        ? new Map(partitions.map((p) => [p, (options.from as ReadonlyMap<number, number>).get(p) ?? 0]))
        : await this.startOffsets(
            topic,
            partitions,
            options.from as OffsetSpec,
            options.readCommitted === true,
          );
    if (partitions.length === 0) return;
    let failures = 0;
    const pipeline = new FetchPipeline<number, PartitionFetch[]>();
    const stop = (): void => pipeline.interrupt();
    options.signal?.addEventListener('abort', stop, { once: true });
    // One fetch per leader broker for the partitions in no fetch; partitions without a known leader get one of
    // their own, which fetchMany answers at once with LEADER_NOT_AVAILABLE.
    const startIdle = (): void => {
      const idle = partitions.filter((partition) => !pipeline.isBusy(partition));
      if (idle.length === 0) return;
      const groups = [...this.groupByLeader(topic, idle).values()];
      const led = new Set(groups.flat());
      const leaderless = idle.filter((partition) => !led.has(partition));
      if (leaderless.length > 0) groups.push(leaderless);
      for (const group of groups) {
        const wanted = new Map(group.map((partition) => [partition, positions.get(partition) ?? 0]));
        pipeline.start(
          group,
          (signal) => this.fetchMany(topic, wanted, options, signal),
          (error) => group.map((p) => failed(p, wanted, error)),
        );
      }
    };
    try {
      while (options.signal?.aborted !== true) {
        startIdle();
        const completed = await pipeline.next();
        if (completed === undefined) continue;
        let retriable: TributaryError | undefined;
        let fatal: TributaryError | undefined;
        const chunks: ConsumedRecord[][] = [];
        for (const result of completed.result) {
          if (result.error !== undefined) {
            if (!result.error.retriable) {
              fatal = result.error;
              break;
            }
            retriable = result.error;
            continue;
          }
          positions.set(result.partition, result.nextOffset);
          if (result.records.length > 0) chunks.push(result.records);
        }
        // Pipelining: these partitions' next fetch goes out before their records are handed over.
        if (retriable === undefined && fatal === undefined) startIdle();
        for (const chunk of chunks) yield chunk;
        if (fatal !== undefined) throw fatal;
        if (retriable === undefined) {
          failures = 0;
          continue;
        }
        await sleep(backoffDelayMs(failures++, DEFAULT_BACKOFF, this.random), options.signal);
        await this.deps.metadata.refresh([topic], this.timeoutMs).catch(() => undefined);
      }
    } finally {
      options.signal?.removeEventListener('abort', stop);
      pipeline.close();
    }
  }

  /** Offsets for a spec; a timestamp after every record (-1) starts at the latest offset instead. */
  private async startOffsets(
    topic: string,
    partitions: readonly number[],
    spec: OffsetSpec,
    readCommitted: boolean,
  ): Promise<Map<number, number>> {
    const offsets = await this.listOffsets(topic, partitions, spec, { readCommitted });
    const unmatched = [...offsets].filter(([, offset]) => offset < 0).map(([partition]) => partition);
    if (unmatched.length > 0) {
      for (const [partition, offset] of await this.listOffsets(topic, unmatched, 'latest', { readCommitted }))
        offsets.set(partition, offset);
    }
    return offsets;
  }

  private async partitionsOf(topic: string, partitions: readonly number[] | undefined): Promise<number[]> {
    const metadata = await this.deps.metadata.requireTopic(topic, this.timeoutMs);
    const count = metadata.partitions.length;
    const chosen = partitions === undefined ? metadata.partitions.map((p) => p.partition) : [...partitions];
    for (const p of chosen) {
      if (!Number.isInteger(p) || p < 0 || p >= count) {
        throw new TributaryError(
          'UNKNOWN_TOPIC_OR_PARTITION',
          `partition ${p} is outside [0, ${count}) for topic "${topic}"`,
        );
      }
    }
    return chosen;
  }

  private abortedOf(topic: string, partition: number): AbortedProducers {
    const key = `${topic}-${partition}`;
    let state = this.abortedProducers.get(key);
    if (state === undefined) {
      state = new AbortedProducers();
      this.abortedProducers.set(key, state);
    }
    return state;
  }

  private groupByLeader(topic: string, partitions: readonly number[]): Map<string, number[]> {
    const groups = new Map<string, number[]>();
    for (const partition of partitions) {
      const address = this.deps.metadata.leaderAddress(topic, partition);
      if (address !== undefined) groups.set(address, [...(groups.get(address) ?? []), partition]);
    }
    return groups;
  }

  /** Runs `attempt` until it succeeds, a non-retriable error, or the deadline; refreshes metadata between. */
  private async retrying(topic: string, attempt: (remainingMs: number) => Promise<void>): Promise<void> {
    const deadlineMs = this.clock.nowMs() + this.timeoutMs;
    for (let round = 0; ; round++) {
      try {
        await attempt(Math.max(1, deadlineMs - this.clock.nowMs()));
        return;
      } catch (error) {
        const failure = toError(error);
        const remainingMs = deadlineMs - this.clock.nowMs();
        if (!failure.retriable || remainingMs <= 0 || round + 1 >= CLIENT_LIMITS.attemptsMax) throw failure;
        await sleep(Math.min(remainingMs, backoffDelayMs(round, DEFAULT_BACKOFF, this.random)));
        await this.deps.metadata
          .refresh([topic], Math.max(1, deadlineMs - this.clock.nowMs()))
          .catch(() => undefined);
      }
    }
  }
}

function failed(
  partition: number,
  positions: ReadonlyMap<number, number>,
  error: TributaryError,
): PartitionFetch {
  const offset = positions.get(partition) ?? 0;
  return { partition, records: [], nextOffset: offset, highWatermark: -1, lastStableOffset: -1, error };
}

/** Kafka's wire value of the isolation level (read_uncommitted unless asked). */
export function isolationOf(readCommitted: boolean | undefined): number {
  return ISOLATION_LEVEL_WIRE[readCommitted === true ? 'read_committed' : 'read_uncommitted'];
}
