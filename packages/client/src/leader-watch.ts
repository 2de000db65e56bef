/**
 * Notices that a partition's leadership moved while a request waits on its old leader (issue 16: producers
 * and consumers ride through failovers). A leader paused past its session timeout (SIGSTOP, a long GC, a frozen VM) neither
 * answers nor breaks the connection, so without this a Produce waits out its whole request timeout (30 s by
 * default) although the controller named a new leader within seconds. While a request is outstanding longer
 * than `CLIENT_LIMITS.leaderWatchIntervalMs`, the watch asks another broker for the topic's metadata once per
 * interval (one call per topic however many requests wait), and when a partition of the request has a higher
 * leader epoch or another leader, it reports the move so the caller abandons the request and retries on the
 * new leader at once. With idempotence the resend is safe (the new leader answers a batch it already has as
 * a duplicate with its offset, and the old leader, fenced by the new epoch, can no longer acknowledge it);
 * without it a retry may duplicate records, as any retry may.
 */
import { TributaryError } from '@tributary/core';
import { CLIENT_LIMITS } from './limits.js';
import type { MetadataCache } from './metadata-cache.js';

export interface WatchedRequest {
  readonly topic: string;
  readonly partitions: readonly number[];
  /** The broker the request waits on. */
  readonly address: string;
  /** Called at most once, when a partition's leadership moved away from `address`. */
  readonly onMoved: (error: TributaryError) => void;
}

export interface LeaderWatchOptions {
  readonly metadata: MetadataCache;
  /** How long a request waits before the first look, and between looks. */
  readonly intervalMs?: number;
}

interface TopicLook {
  readonly promise: Promise<void>;
  /** performance.now() when the look started: another request reuses it within the interval. */
  readonly startedAtMs: number;
}

export class LeaderWatch {
  private readonly metadata: MetadataCache;
  private readonly intervalMs: number;
  private readonly looks = new Map<string, TopicLook>();

  constructor(options: LeaderWatchOptions) {
    this.metadata = options.metadata;
    this.intervalMs = options.intervalMs ?? CLIENT_LIMITS.leaderWatchIntervalMs;
  }

  /** Watches `request` until the returned function is called (when the request settles). */
  watch(request: WatchedRequest): () => void {
    const sentEpochs = new Map<number, number>();
    for (const partition of request.partitions) {
      sentEpochs.set(partition, this.metadata.topic(request.topic)?.partitions[partition]?.leaderEpoch ?? -1);
    }
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const schedule = (): void => {
      timer = setTimeout(() => void tick(), this.intervalMs);
    };
    const tick = async (): Promise<void> => {
      timer = undefined;
      try {
        await this.look(request.topic, request.address);
      } catch {
        // No broker answered: look again next interval; the request's own deadline still bounds the wait.
      }
      if (stopped) return;
      const moved = movedPartition(this.metadata, request, sentEpochs);
      if (moved === undefined) {
        schedule();
        return;
      }
      stopped = true;
      // The broker that held the request is asked for metadata after the others for a while: a paused one
      // would hold the caller's next refresh for a whole call timeout.
      this.metadata.markUnresponsive(request.address);
      request.onMoved(moved);
    };
    schedule();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }

  /**
   * Watches a request for several topics' partitions (a consumer's fetch) until the returned `stop` is
   * called: `signal` aborts, with the move as its reason, when a partition's leadership moved away from
   * `address`, or when `outer` aborts (with its reason).
   */
  watchRequest(
    address: string,
    partitionsByTopic: ReadonlyMap<string, readonly number[]>,
    outer?: AbortSignal,
  ): { signal: AbortSignal; stop: () => void } {
    const moved = new AbortController();
    const stops = [...partitionsByTopic].map(([topic, partitions]) =>
      this.watch({ topic, partitions, address, onMoved: (error) => moved.abort(error) }),
    );
    return {
      signal: outer === undefined ? moved.signal : AbortSignal.any([outer, moved.signal]),
      stop: () => {
        for (const stop of stops) stop();
      },
    };
  }

  /** One metadata call per topic per interval, asked of another broker than the one that stopped answering. */
  private look(topic: string, avoidAddress: string): Promise<void> {
    const nowMs = performance.now();
    const last = this.looks.get(topic);
    if (last !== undefined && nowMs - last.startedAtMs < this.intervalMs) return last.promise;
    const promise = this.metadata.refresh([topic], CLIENT_LIMITS.metadataCallTimeoutMs, {
      autoCreate: false,
      avoidAddress,
    });
    this.looks.set(topic, { promise, startedAtMs: nowMs });
    return promise;
  }
}

/** The move of the first partition of `request` whose leader is no longer the one it was sent to, if any. */
function movedPartition(
  metadata: MetadataCache,
  request: WatchedRequest,
  sentEpochs: ReadonlyMap<number, number>,
): TributaryError | undefined {
  const topic = metadata.topic(request.topic);
  if (topic === undefined) return undefined;
  for (const partition of request.partitions) {
    const now = topic.partitions[partition];
    const sentEpoch = sentEpochs.get(partition) ?? -1;
    if (now === undefined || now.leaderEpoch <= sentEpoch) continue;
    const address = metadata.leaderAddress(request.topic, partition);
    if (address === request.address) continue;
    return new TributaryError(
      'NOT_LEADER',
      `${request.topic}-${partition}: leadership moved from ${request.address} to ` +
        `${now.leaderId < 0 ? 'no leader yet' : `broker ${now.leaderId}`} (leader epoch ${now.leaderEpoch}) ` +
        'while a request waited on the old leader',
    );
  }
  return undefined;
}
