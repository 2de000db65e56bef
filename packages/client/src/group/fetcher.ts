/**
 * One fetch round of the group consumer over the partitions it is given (the group consumer gives it the
 * partitions of one leader broker at a time), grouped by leader broker, one Fetch request per broker covering
 * all topics (never a call or promise per record), on the broker's FetchStream where it offers one. No
 * retries here: failures come back per partition and the caller decides (refresh metadata, reset, back off).
 */
import { TributaryError } from '@tributary/core';
import { unary } from '@tributary/protocol';
import type { BrokerConnections } from '../connections.js';
import { isolationOf } from '../consumer.js';
import { type ConsumedRecord, decodeFetched } from '../decode.js';
import type { LeaderWatch } from '../leader-watch.js';
import { CLIENT_LIMITS } from '../limits.js';
import type { MetadataCache } from '../metadata-cache.js';
import { AbortedProducers } from '../read-committed.js';
import { partitionError, toError } from '../retry.js';
import { groupPartitions, partitionKey, type TopicPartition } from './reconcile.js';

export interface FetchPosition {
  readonly tp: TopicPartition;
  readonly offset: number;
}

export interface FetchedPartition {
  readonly tp: TopicPartition;
  /** The offset this round asked for (a seek meanwhile makes the records stale). */
  readonly fetchOffset: number;
  readonly records: ConsumedRecord[];
  readonly nextOffset: number;
  readonly highWatermark: number;
  /** Where read_committed reads end; -1 on error. */
  readonly lastStableOffset: number;
  readonly error?: TributaryError;
}

export interface FetchRoundOptions {
  readonly maxWaitMs: number;
  readonly maxBytes: number;
  /** Deadline of a metadata lookup and the call's deadline beyond maxWaitMs. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /**
   * Fetch read_committed, filtering with these per-partition states (keyed by partitionKey, created on
   * first use); unset: read_uncommitted.
   */
  readonly readCommitted?: Map<string, AbortedProducers>;
}

export interface FetcherDeps {
  readonly metadata: MetadataCache;
  readonly connections: BrokerConnections;
  /** Gives up a fetch whose leader was replaced while it waited (a paused leader answers nothing). */
  readonly leaderWatch: LeaderWatch;
}

export async function fetchRound(
  deps: FetcherDeps,
  positions: readonly FetchPosition[],
  options: FetchRoundOptions,
): Promise<FetchedPartition[]> {
  const results: FetchedPartition[] = [];
  const byLeader = new Map<string, FetchPosition[]>();
  for (const topic of new Set(positions.map((p) => p.tp.topic))) {
    try {
      await deps.metadata.requireTopic(topic, options.timeoutMs);
    } catch {
      // Reported per partition below as "no known leader"; the caller refreshes and backs off.
    }
  }
  for (const position of positions) {
    const address = deps.metadata.leaderAddress(position.tp.topic, position.tp.partition);
    if (address === undefined) {
      const where = `${position.tp.topic}-${position.tp.partition}`;
      results.push(
        failedFetch(position, new TributaryError('LEADER_NOT_AVAILABLE', `${where} has no known leader`)),
      );
      continue;
    }
    byLeader.set(address, [...(byLeader.get(address) ?? []), position]);
  }
  const maxWaitMs = Math.min(options.maxWaitMs, CLIENT_LIMITS.fetchMaxWaitMsMax);
  const calls = [...byLeader].map(async ([address, group]) => {
    const offsets = new Map(group.map((p) => [partitionKey(p.tp), p]));
    const watched = deps.leaderWatch.watchRequest(
      address,
      new Map(groupPartitions(group.map((p) => p.tp)).map((t) => [t.topic, t.partitions])),
      options.signal,
    );
    try {
      const response = await deps.connections.fetch(
        address,
        {
          maxWaitMs,
          minBytes: 1,
          maxBytes: options.maxBytes,
          isolationLevel: isolationOf(options.readCommitted !== undefined),
          topics: groupPartitions(group.map((p) => p.tp)).map((t) => ({
            name: t.topic,
            partitions: t.partitions.map((partition) => ({
              partition,
              fetchOffset: offsets.get(partitionKey({ topic: t.topic, partition }))?.offset ?? 0,
              partitionMaxBytes: options.maxBytes,
              currentLeaderEpoch: -1,
            })),
          })),
        },
        { deadlineMs: maxWaitMs + options.timeoutMs, signal: watched.signal },
      );
      for (const result of response.results) {
        const position = offsets.get(partitionKey(result));
        if (position === undefined) continue;
        offsets.delete(partitionKey(result));
        const where = `${result.topic}-${result.partition}`;
        const error = partitionError(result.errorCode, result.errorMessage, where);
        if (error !== undefined) {
          results.push(failedFetch(position, error));
          continue;
        }
        try {
          const filter = abortedOf(options.readCommitted, position.tp)?.begin(
            position.offset,
            result.abortedTransactions,
          );
          const decoded = decodeFetched(
            result.records,
            { ...position.tp, fetchOffset: position.offset },
            filter,
          );
          results.push({
            tp: position.tp,
            fetchOffset: position.offset,
            highWatermark: result.highWatermark,
            lastStableOffset: result.lastStableOffset,
            ...decoded,
          });
        } catch (decodeError) {
          results.push(failedFetch(position, toError(decodeError)));
        }
      }
      // A broker that left a partition out of its answer: treat as "try again".
      for (const position of offsets.values()) {
        results.push(
          failedFetch(
            position,
            new TributaryError('LEADER_NOT_AVAILABLE', 'partition missing from the answer'),
          ),
        );
      }
    } catch (error) {
      for (const position of group) results.push(failedFetch(position, toError(error)));
    } finally {
      watched.stop();
    }
  });
  await Promise.all(calls);
  return results;
}

/** The result of a partition whose fetch failed: no records, the position unchanged. */
export function failedFetch(position: FetchPosition, error: TributaryError): FetchedPartition {
  return {
    tp: position.tp,
    fetchOffset: position.offset,
    records: [],
    nextOffset: position.offset,
    highWatermark: -1,
    lastStableOffset: -1,
    error,
  };
}

/** Every topic name the cluster knows (a Metadata call naming no topic), for RegExp subscriptions. */
export async function listClusterTopics(connections: BrokerConnections, address: string): Promise<string[]> {
  const response = await unary(
    connections.get(address),
    'Metadata',
    { topics: [], allowAutoTopicCreation: false },
    { deadlineMs: CLIENT_LIMITS.metadataCallTimeoutMs },
  );
  return response.topics.flatMap((t) => (t.errorCode === '' && t.topic ? [t.topic.name] : []));
}

/** The partition's read_committed state (undefined under read_uncommitted). */
function abortedOf(
  states: Map<string, AbortedProducers> | undefined,
  tp: TopicPartition,
): AbortedProducers | undefined {
  if (states === undefined) return undefined;
  const key = partitionKey(tp);
  let state = states.get(key);
  if (state === undefined) {
    state = new AbortedProducers();
    states.set(key, state);
  }
  return state;
}
