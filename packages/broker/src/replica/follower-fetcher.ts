/**
 * The follower side of replication (DESIGN §6): one fetch loop per leader broker, fetching every partition
 * this broker follows from that leader in one long-poll fetch per round, sent on a long-lived
 * ReplicaFetchStream (issue 15; each request acknowledges the previous answer, so the leader advances the
 * high watermark without a new call) or, from a leader that does not offer it, as a unary ReplicaFetch.
 * Appends the returned batches as they are (offsets and epochs already stamped), truncates where the leader
 * reports a diverging epoch, and takes the leader's high watermark capped by its own log end. Never polls
 * busily: the leader holds the call until it has data or max wait passes, and errors back off.
 */
import * as grpc from '@grpc/grpc-js';
import { TributaryError } from '@tributary/core';
import {
  createReplicationClient,
  ERROR_CODE_TRAILER,
  type ReplicaFetchPartitionResult__Output,
  type ReplicaFetchRequest,
  type ReplicaFetchResponse__Output,
  type ReplicationClient,
  unary,
} from '@tributary/protocol';
import type { Logger } from 'pino';
import { REPLICA_DEFAULTS } from './config.js';
import type { Partition } from './partition.js';
import { isUnimplemented, ReplicaFetchStream } from './replica-fetch-stream.js';
import type { FetchThrottle } from './replication-throttle.js';

/** Follower = client: a large HTTP/2 window lets 1 MiB+ fetches move at ~1 GB/s (DESIGN §8). */
export const REPLICA_FETCH_FLOW_CONTROL_WINDOW_BYTES = 16 * 1024 * 1024;

/**
 * Reconnect backoff of a follower's channel to a leader. grpc-js defaults (1 s growing ×1.6 to 120 s) keep
 * a channel to a broker that was down in TRANSIENT_FAILURE long after it is back: calls fail at once with
 * the stale "No connection established" until the next attempt, so a restarted broker that becomes leader
 * again could not be fetched from (acks=all stalls) for seconds. Capped at 1 s: a dead leader costs one
 * connection attempt a second per follower.
 */
export const REPLICA_FETCH_RECONNECT_BACKOFF = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
} as const;

/** A Replication client with the follower-side channel options replica fetch wants. */
export function createReplicaFetchClient(address: string): ReplicationClient {
  return createReplicationClient(address, {
    channelOptions: {
      'grpc-node.flow_control_window': REPLICA_FETCH_FLOW_CONTROL_WINDOW_BYTES,
      ...REPLICA_FETCH_RECONNECT_BACKOFF,
    },
  });
}

export interface FollowerFetcherOptions {
  readonly brokerId: number;
  readonly leaderId: number;
  readonly address: string;
  /** Owned by whoever created it (the node shares one per leader address): never closed here. */
  readonly client: ReplicationClient;
  readonly brokerEpoch: () => number;
  readonly maxWaitMs: number;
  readonly maxBytes: number;
  readonly logger: Logger;
  /**
   * The leader could not be reached (connection refused, transport UNAVAILABLE): evidence for fast
   * fencing. Not called for a timed-out long poll or an error the leader itself sent.
   */
  readonly onLeaderUnreachable?: (leaderId: number) => void;
  /** A fetch from the leader succeeded. */
  readonly onLeaderReachable?: (leaderId: number) => void;
  /**
   * Set for the fetcher of throttled partitions (replicas being moved here): each round asks for no more
   * bytes than the throttle grants, and waits instead of fetching while it grants none.
   */
  readonly throttle?: FetchThrottle;
  /**
   * 'stream' (the default): fetch on a ReplicaFetchStream, falling back to unary ReplicaFetch while the
   * leader answers it UNIMPLEMENTED; 'unary': always unary (tests, and the leader-side comparison).
   */
  readonly transport?: 'stream' | 'unary';
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** The inverse of partitionKey (topic names may hold '-'; the index follows the last one); null if malformed. */
export function parsePartitionKey(key: string): { topic: string; partition: number } | null {
  const dash = key.lastIndexOf('-');
  const partition = Number(key.slice(dash + 1));
  if (dash <= 0 || !/^\d+$/.test(key.slice(dash + 1)) || !Number.isSafeInteger(partition)) return null;
  return { topic: key.slice(0, dash), partition };
}

export class FollowerFetcher {
  readonly leaderId: number;
  readonly address: string;
  private readonly options: FollowerFetcherOptions;
  private readonly partitions = new Map<string, Partition>();
  private readonly abort = new AbortController();
  private wakeIdle: (() => void) | null = null;
  /** Handling of the current response: role changes wait for it so no append lands after them. */
  private processing: Promise<void> = Promise.resolve();
  private loop: Promise<void> | null = null;
  /** Null while fetching unary. */
  private readonly stream: ReplicaFetchStream | null;
  /** performance.now() before which rounds go unary: the leader answered the stream UNIMPLEMENTED. */
  private unaryUntilMs = 0;
  /** Partitions whose fsync failed (flush.on.ack), logged once each. */
  private readonly fsyncFailed = new WeakSet<Partition>();

  constructor(options: FollowerFetcherOptions) {
    this.options = options;
    this.leaderId = options.leaderId;
    this.address = options.address;
    this.stream = options.transport === 'unary' ? null : new ReplicaFetchStream(options.client);
  }

  get size(): number {
    return this.partitions.size;
  }

  start(): void {
    if (this.loop === null) this.loop = this.run();
  }

  addPartition(partition: Partition): void {
    this.partitions.set(partitionKey(partition.topic, partition.partition), partition);
    this.wakeIdle?.();
  }

  /** Stops fetching a partition; resolves once no append for it can still be under way. */
  async removePartition(topic: string, partition: number): Promise<void> {
    this.partitions.delete(partitionKey(topic, partition));
    await this.processing;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.stream?.close();
    this.wakeIdle?.();
    await this.loop;
  }

  /** Whether the next round goes on the stream (false: unary ReplicaFetch). */
  get streaming(): boolean {
    return this.stream !== null && performance.now() >= this.unaryUntilMs;
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      if (this.partitions.size === 0) {
        await new Promise<void>((resolve) => {
          this.wakeIdle = resolve;
        });
        this.wakeIdle = null;
        continue;
      }
      const ok = await this.fetchOnce();
      if (!ok && !signal.aborted) await sleep(REPLICA_DEFAULTS.fetchBackoffMs, signal);
    }
  }

  /** One ReplicaFetch round trip; false when the caller should back off. */
  private async fetchOnce(): Promise<boolean> {
    const throttle = this.options.throttle;
    if (throttle === undefined) return this.fetchRound(this.options.maxBytes);
    const reserved = throttle.reserve(this.options.maxBytes);
    if (reserved === 0) {
      // The bucket is empty: wait for it to refill rather than send a fetch (never a busy loop).
      await sleep(throttle.waitMs(), this.abort.signal);
      return true;
    }
    let usedBytes = 0;
    try {
      return await this.fetchRound(reserved, (bytes) => {
        usedBytes += bytes;
      });
    } finally {
      throttle.settle(reserved, usedBytes);
    }
  }

  /** Fetches every partition with at most `maxBytes` in total; `onRecords` sees each partition's bytes. */
  private async fetchRound(maxBytes: number, onRecords?: (bytes: number) => void): Promise<boolean> {
    await this.flushBeforeFetch();
    const sent = new Map<string, { partition: Partition; leaderEpoch: number; fetchOffset: number }>();
    for (const [key, partition] of this.partitions) {
      // Not fsynced (turned on while this round's fsyncs ran, or its fsync failed): left out of the fetch, so
      // nothing unsynced is ever claimed; the other partitions keep replicating.
      if (partition.flushOnAck && partition.log.durableEndOffset < partition.log.logEndOffset) continue;
      sent.set(key, {
        partition,
        leaderEpoch: partition.leaderEpoch,
        fetchOffset: partition.log.logEndOffset,
      });
    }
    // Every partition left out (unsynced): back off rather than send empty fetches in a loop.
    if (sent.size === 0) return false;
    const request = {
      replicaId: this.options.brokerId,
      brokerEpoch: this.options.brokerEpoch(),
      maxWaitMs: this.options.maxWaitMs,
      minBytes: 1,
      maxBytes,
      partitions: [...sent.values()].map(({ partition, leaderEpoch, fetchOffset }) => ({
        topic: partition.topic,
        partition: partition.partition,
        fetchOffset,
        lastFetchedEpoch: lastEpochOf(partition),
        currentLeaderEpoch: leaderEpoch,
        logStartOffset: partition.log.logStartOffset,
      })),
    };
    let response: ReplicaFetchResponse__Output;
    try {
      response = await this.call(request);
    } catch (error) {
      if (!this.abort.signal.aborted) {
        this.options.logger.debug({ err: error, leaderId: this.leaderId }, 'replica fetch failed');
        if (isTransportUnavailable(error)) this.options.onLeaderUnreachable?.(this.leaderId);
      }
      return false;
    }
    this.options.onLeaderReachable?.(this.leaderId);
    if (onRecords !== undefined) for (const result of response.results) onRecords(result.records.length);
    const done = this.handleResponse(response.results, sent);
    this.processing = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }

  /**
   * flush.on.ack (issue 16): the fetch offset a follower sends tells the leader it holds everything below
   * it, and the leader counts that toward the high watermark, so for such a partition it must be fsynced
   * first. One group-committed fsync per partition per round covers every batch the last answer brought (and
   * whatever a restart or a config change left unsynced); the partitions' fsyncs run together. A partition
   * whose fsync failed (its log is failed: the broker's log-dir handling takes over) is left out of the fetch
   * by fetchRound, logged once.
   */
  private async flushBeforeFetch(): Promise<void> {
    const unsynced: Partition[] = [];
    for (const partition of this.partitions.values()) {
      if (partition.flushOnAck && partition.log.durableEndOffset < partition.log.logEndOffset) {
        unsynced.push(partition);
      }
    }
    if (unsynced.length === 0) return;
    const results = await Promise.allSettled(unsynced.map((partition) => partition.log.flushDurable()));
    for (const [index, result] of results.entries()) {
      const partition = unsynced[index];
      if (result.status === 'fulfilled' || partition === undefined || this.fsyncFailed.has(partition))
        continue;
      this.fsyncFailed.add(partition);
      this.options.logger.warn(
        {
          err: result.reason,
          topic: partition.topic,
          partition: partition.partition,
          leaderId: this.leaderId,
        },
        'replica fsync failed: the partition is no longer fetched (its unsynced data is never reported)',
      );
    }
  }

  private async call(request: ReplicaFetchRequest): Promise<ReplicaFetchResponse__Output> {
    const deadlineMs = this.options.maxWaitMs + REPLICA_DEFAULTS.fetchDeadlineSlackMs;
    if (this.stream !== null && this.streaming && !this.abort.signal.aborted) {
      try {
        return await this.stream.fetch(request, deadlineMs);
      } catch (error) {
        if (!isUnimplemented(error)) throw error;
        // A leader of an older version (rolling upgrade): unary until it may have been upgraded.
        this.unaryUntilMs = performance.now() + REPLICA_DEFAULTS.replicaFetchStreamReprobeMs;
        this.options.logger.info(
          { leaderId: this.leaderId },
          'leader has no replica fetch stream: fetching unary',
        );
      }
    }
    return unary(this.options.client, 'replicaFetch', request, { deadlineMs, signal: this.abort.signal });
  }

  private async handleResponse(
    results: readonly ReplicaFetchPartitionResult__Output[],
    sent: ReadonlyMap<string, { partition: Partition; leaderEpoch: number; fetchOffset: number }>,
  ): Promise<boolean> {
    let progressed = false;
    let failed = false;
    for (const result of results) {
      const key = partitionKey(result.topic, result.partition);
      const entry = sent.get(key);
      // Skip partitions removed or moved to another epoch while the call was out.
      if (entry === undefined || this.partitions.get(key) !== entry.partition) continue;
      if (entry.partition.leaderEpoch !== entry.leaderEpoch) continue;
      try {
        const outcome = await this.handleResult(entry.partition, entry.fetchOffset, result);
        if (outcome === 'progress') progressed = true;
        if (outcome === 'error') failed = true;
      } catch (error) {
        failed = true;
        this.options.logger.warn(
          { err: error, topic: result.topic, partition: result.partition, leaderId: this.leaderId },
          'replica fetch result could not be applied',
        );
      }
    }
    return progressed || !failed;
  }

  private async handleResult(
    partition: Partition,
    fetchOffset: number,
    result: ReplicaFetchPartitionResult__Output,
  ): Promise<'progress' | 'idle' | 'error'> {
    const log = partition.log;
    if (result.errorCode !== '') {
      if (result.errorCode === 'OFFSET_OUT_OF_RANGE' && result.logStartOffset > fetchOffset) {
        // The leader deleted what we would fetch next (retention, DeleteRecords): start over at its log
        // start, which is at or below its high watermark, so ours is that start until the next fetch.
        await log.truncateFullyAndStartAt(result.logStartOffset);
        partition.updateFollowerHighWatermark(result.logStartOffset);
        return 'progress';
      }
      this.options.logger.debug(
        { topic: result.topic, partition: result.partition, code: result.errorCode, leaderId: this.leaderId },
        'replica fetch partition error',
      );
      return 'error';
    }
    if (result.divergingEpoch !== null && result.divergingEpoch !== undefined) {
      const { epoch, endOffset } = result.divergingEpoch;
      const own = epoch >= 0 ? log.endOffsetForEpoch(epoch) : null;
      const target = own === null || own.endOffset < 0 ? endOffset : Math.min(endOffset, own.endOffset);
      this.options.logger.info(
        { topic: result.topic, partition: result.partition, epoch, endOffset, target },
        'follower log diverges from the leader: truncating',
      );
      await log.truncateTo(Math.max(target, 0));
      partition.updateFollowerHighWatermark(partition.highWatermark);
      return 'progress';
    }
    let progressed = false;
    if (result.records.length > 0) {
      await log.appendAsFollower(result.records);
      progressed = true;
    }
    partition.updateFollowerHighWatermark(result.highWatermark);
    await takeLeaderLogStart(partition, result.logStartOffset);
    return progressed ? 'progress' : 'idle';
  }
}

/**
 * Whether a call failed because the server could not be reached: gRPC UNAVAILABLE without an error
 * code the server sent (a live server answering NOT_LEADER or SHUTTING_DOWN also maps to UNAVAILABLE).
 */
export function isTransportUnavailable(error: unknown): boolean {
  const cause = error instanceof TributaryError ? error.cause : error;
  if (typeof cause !== 'object' || cause === null || !('code' in cause)) return false;
  if (cause.code !== grpc.status.UNAVAILABLE) return false;
  const metadata = 'metadata' in cause ? cause.metadata : undefined;
  return !(metadata instanceof grpc.Metadata && metadata.get(ERROR_CODE_TRAILER).length > 0);
}

/**
 * Kafka's follower maybeIncrementLogStartOffset(leaderLogStartOffset): records the leader deleted
 * (DeleteRecords) are not served by this replica either, should it lead later. Capped at this replica's
 * high watermark (itself capped at its log end), as Kafka refuses a start past it; the rest comes with a
 * later fetch, and this replica's next fetch reports the start it took.
 */
async function takeLeaderLogStart(partition: Partition, leaderLogStartOffset: number): Promise<void> {
  const target = Math.min(leaderLogStartOffset, partition.highWatermark);
  if (target <= partition.log.logStartOffset) return;
  await partition.log.advanceLogStartOffset(target);
}

function lastEpochOf(partition: Partition): number {
  const entries = partition.log.leaderEpochEntries;
  return entries[entries.length - 1]?.epoch ?? -1;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
