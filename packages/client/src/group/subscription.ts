/**
 * What the member subscribes to: a list of topics as given, or a RegExp resolved against the cluster's
 * topics and resolved again every metadataMaxAgeMs (a new matching topic joins the subscription then).
 */
import { type Clock, TributaryError } from '@tributary/core';
import type { BrokerConnections } from '../connections.js';
import { listClusterTopics } from './fetcher.js';
import { resolveSubscription } from './reconcile.js';
import type { Subscription } from './types.js';

export interface SubscriptionDeps {
  readonly connections: BrokerConnections;
  /** Brokers to ask for the topic list, in turn. */
  readonly brokerAddresses: () => readonly string[];
  readonly clock: Clock;
  readonly metadataMaxAgeMs: number;
}

export class SubscriptionState {
  private subscription: Subscription | undefined;
  private resolved: string[] = [];
  private resolvedAtMs = Number.NEGATIVE_INFINITY;
  private nextAddress = 0;

  constructor(private readonly deps: SubscriptionDeps) {}

  get subscribed(): boolean {
    return this.subscription !== undefined;
  }

  set(subscription: Subscription): void {
    const { topics } = subscription;
    if (!(topics instanceof RegExp) && (topics.length === 0 || topics.some((t) => t === ''))) {
      throw new TributaryError(
        'INVALID_REQUEST',
        'subscribe needs at least one non-empty topic name or a RegExp',
      );
    }
    this.subscription = { topics: topics instanceof RegExp ? topics : [...topics] };
    this.resolvedAtMs = Number.NEGATIVE_INFINITY;
  }

  /** The topic names to send as subscribed_topics; a failed lookup keeps the previous resolution. */
  async topics(): Promise<string[]> {
    const topics = this.subscription?.topics ?? [];
    if (!(topics instanceof RegExp)) return resolveSubscription(topics, []);
    if (this.deps.clock.nowMs() - this.resolvedAtMs >= this.deps.metadataMaxAgeMs) {
      const addresses = this.deps.brokerAddresses();
      const address = addresses[this.nextAddress++ % Math.max(1, addresses.length)];
      if (address !== undefined) {
        const names = await listClusterTopics(this.deps.connections, address).catch(() => undefined);
        if (names !== undefined) {
          this.resolved = resolveSubscription(topics, names);
          this.resolvedAtMs = this.deps.clock.nowMs();
        }
      }
    }
    return this.resolved;
  }
}
