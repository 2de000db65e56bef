/**
 * The follower side's fetchers (DESIGN §6): one FollowerFetcher per leader broker, and a second one for that
 * leader's throttled partitions (replicas a reassignment is adding here, while a replication throttle is set).
 * Knows which fetcher each followed partition is attached to, and each fetcher's partitions, so attaching,
 * detaching and dropping a moved leader's fetchers cost O(the partitions concerned), never a scan of all.
 */
import { assert } from '@tributary/core';
import type { ReplicationClient } from '@tributary/protocol';
import type pino from 'pino';
import { FollowerFetcher, partitionKey } from './follower-fetcher.js';
import type { Partition } from './partition.js';
import type { ReplicationThrottle } from './replication-throttle.js';

export interface FetcherPoolOptions {
  readonly brokerId: number;
  readonly logger: pino.Logger;
  /** Owned by the caller (may cache one per address); the pool never closes one. */
  readonly replicationClient: (address: string) => ReplicationClient;
  readonly brokerEpoch: () => number;
  readonly maxWaitMs: number;
  readonly maxBytes: number;
  /** Shared with the replica manager, which sets its rate from the metadata. */
  readonly throttle: ReplicationThrottle;
  readonly onLeaderUnreachable?: (leaderId: number) => void;
  readonly onLeaderReachable?: (leaderId: number) => void;
}

/** Fetchers are per leader, with a second one for the throttled partitions of that leader. */
function fetcherKey(leaderId: number, throttled: boolean): string {
  return throttled ? `${leaderId}/throttled` : `${leaderId}`;
}

export class FetcherPool {
  readonly #options: FetcherPoolOptions;
  readonly #fetchers = new Map<string, FollowerFetcher>();
  /** Which fetcher (fetcherKey) each followed partition (partitionKey) is attached to. */
  readonly #attachedTo = new Map<string, string>();
  /** The partitions attached to each fetcher: the inverse of #attachedTo. */
  readonly #attachments = new Map<string, Set<string>>();

  constructor(options: FetcherPoolOptions) {
    this.#options = options;
  }

  /**
   * A follower fetches from its leader's current address (once the leader's registration is known), through
   * the leader's throttled fetcher when `throttled`. Moving between the two waits until the old fetcher can
   * no longer append for the partition. A leader or an unregistered leader's partition is left alone.
   */
  async follow(partition: Partition, address: string | undefined, throttled: boolean): Promise<void> {
    const role = partition.role;
    if (role.kind !== 'follower' || role.leaderId < 0 || address === undefined) return;
    const key = partitionKey(partition.topic, partition.partition);
    const wanted = fetcherKey(role.leaderId, throttled);
    const current = this.#attachedTo.get(key);
    if (current !== undefined && current !== wanted) {
      await this.detach(partition);
      this.#options.logger.info(
        { partition: key, throttled },
        'partition moved between throttled and normal fetching',
      );
    }
    this.#fetcherFor(role.leaderId, address, throttled).addPartition(partition);
    this.#attach(key, wanted);
  }

  /** Stops fetching a partition; resolves once its old fetcher can no longer append for it. */
  async detach(partition: Partition): Promise<void> {
    const key = partitionKey(partition.topic, partition.partition);
    const attached = this.#attachedTo.get(key);
    if (attached === undefined) return;
    this.#attachedTo.delete(key);
    this.#attachments.get(attached)?.delete(key);
    await this.#fetchers.get(attached)?.removePartition(partition.topic, partition.partition);
  }

  /**
   * A leader re-registered, moved or left (`address` null): its fetchers at another address stop, and their
   * partitions are attached to none until follow() is called for them again.
   */
  async dropMoved(leaderId: number, address: string | null): Promise<void> {
    for (const throttled of [false, true]) {
      const key = fetcherKey(leaderId, throttled);
      const fetcher = this.#fetchers.get(key);
      if (fetcher === undefined || fetcher.address === address) continue;
      await this.#stop(key, fetcher);
    }
  }

  /** Fetchers left with no partition stop (a fetcher per leader ever followed would pile up otherwise). */
  async stopIdle(): Promise<void> {
    for (const [key, fetcher] of [...this.#fetchers]) {
      if (fetcher.size === 0) await this.#stop(key, fetcher);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#fetchers.values()].map((fetcher) => fetcher.stop()));
    this.#fetchers.clear();
    this.#attachedTo.clear();
    this.#attachments.clear();
  }

  #attach(partition: string, fetcher: string): void {
    this.#attachedTo.set(partition, fetcher);
    let attached = this.#attachments.get(fetcher);
    if (attached === undefined) {
      attached = new Set();
      this.#attachments.set(fetcher, attached);
    }
    attached.add(partition);
  }

  async #stop(key: string, fetcher: FollowerFetcher): Promise<void> {
    this.#fetchers.delete(key);
    await fetcher.stop();
    for (const partition of this.#attachments.get(key) ?? []) {
      if (this.#attachedTo.get(partition) === key) this.#attachedTo.delete(partition);
    }
    this.#attachments.delete(key);
  }

  #fetcherFor(leaderId: number, address: string, throttled: boolean): FollowerFetcher {
    const key = fetcherKey(leaderId, throttled);
    const existing = this.#fetchers.get(key);
    if (existing !== undefined) {
      assert(existing.address === address, 'fetchers for moved leaders are dropped first');
      return existing;
    }
    const options = this.#options;
    const fetcher = new FollowerFetcher({
      brokerId: options.brokerId,
      leaderId,
      address,
      client: options.replicationClient(address),
      brokerEpoch: options.brokerEpoch,
      maxWaitMs: options.maxWaitMs,
      maxBytes: options.maxBytes,
      logger: options.logger.child({ leaderId, throttled }),
      ...(throttled ? { throttle: options.throttle } : {}),
      ...(options.onLeaderUnreachable === undefined
        ? {}
        : { onLeaderUnreachable: options.onLeaderUnreachable }),
      ...(options.onLeaderReachable === undefined ? {} : { onLeaderReachable: options.onLeaderReachable }),
    });
    this.#fetchers.set(key, fetcher);
    fetcher.start();
    return fetcher;
  }
}
