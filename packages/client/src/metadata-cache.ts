/**
 * What the client knows about the cluster: brokers by id, and each topic's partitions with their
 * leaders. Filled by Metadata calls to any reachable broker; refreshed when a broker says the client's
 * view is stale (NOT_LEADER, UNKNOWN_TOPIC_OR_PARTITION) or a broker is unreachable.
 */
import { TributaryError } from '@tributary/core';
import { type MetadataResponse__Output, unary } from '@tributary/protocol';
import type { BrokerConnections } from './connections.js';
import { CLIENT_LIMITS } from './limits.js';
import { sleep } from './retry.js';

/** How long a lookup waits for a topic that no broker knows yet (it may have just been created). */
const UNKNOWN_TOPIC_WAIT_MS = 2_000;

export interface PartitionLeader {
  readonly partition: number;
  /** -1 when the partition has no leader right now. */
  readonly leaderId: number;
  readonly leaderEpoch: number;
}

export interface TopicMetadata {
  readonly name: string;
  readonly partitions: readonly PartitionLeader[];
}

export interface ClusterView {
  readonly brokers: ReadonlyMap<number, string>;
  readonly topics: ReadonlyMap<string, TopicMetadata>;
  /** Named topics the caller may not Describe (answered TOPIC_AUTHORIZATION_FAILED), with the message. */
  readonly denied?: ReadonlyMap<string, string>;
}

/** Builds a view from a Metadata response; topics answered with an error are left out. */
export function viewFromMetadata(response: MetadataResponse__Output): ClusterView {
  const brokers = new Map<number, string>();
  for (const broker of response.brokers) brokers.set(broker.brokerId, broker.address);
  const topics = new Map<string, TopicMetadata>();
  const denied = new Map<string, string>();
  for (const result of response.topics) {
    const topic = result.topic;
    if (result.errorCode === 'TOPIC_AUTHORIZATION_FAILED' && topic !== null && topic !== undefined) {
      denied.set(topic.name, result.errorMessage);
    }
    if (result.errorCode !== '' || topic === null || topic === undefined) continue;
    const partitions = [...topic.partitions]
      .map((p) => ({ partition: p.partition, leaderId: p.leader, leaderEpoch: p.leaderEpoch }))
      .sort((a, b) => a.partition - b.partition);
    topics.set(topic.name, { name: topic.name, partitions });
  }
  return { brokers, topics, denied };
}

export class MetadataCache {
  private brokers = new Map<number, string>();
  private readonly topics = new Map<string, TopicMetadata>();
  /** Topics the last answer refused to describe: asking again cannot help (Kafka's TopicAuthorizationException). */
  private readonly denied = new Map<string, string>();
  /** Rotates through addresses so one dead bootstrap broker does not stall every refresh. */
  private nextAddress = 0;
  /** Brokers that failed a call lately (performance.now() until when): asked after the others. */
  private readonly unresponsiveUntilMs = new Map<string, number>();

  constructor(
    private readonly bootstrap: readonly string[],
    private readonly connections: BrokerConnections,
    /** Ask brokers to create missing topics (they do only when auto.create.topics.enable is on). */
    private readonly allowAutoTopicCreation = true,
  ) {
    if (bootstrap.length === 0) throw new TributaryError('INVALID_REQUEST', 'no bootstrap brokers given');
  }

  topic(name: string): TopicMetadata | undefined {
    return this.topics.get(name);
  }

  brokerAddress(brokerId: number): string | undefined {
    return this.brokers.get(brokerId);
  }

  /** Every broker address known from the last Metadata answer (empty before the first). */
  brokerAddresses(): string[] {
    return [...this.brokers.values()];
  }

  /** The leader's address for a partition, or undefined when unknown or leaderless. */
  leaderAddress(topic: string, partition: number): string | undefined {
    const leader = this.topics.get(topic)?.partitions[partition];
    if (leader === undefined || leader.leaderId < 0) return undefined;
    return this.brokers.get(leader.leaderId);
  }

  /**
   * The topic's metadata, fetched when not cached. A topic created a moment ago may not have reached the
   * broker's image yet (the broker answers UNKNOWN_TOPIC_OR_PARTITION), so this asks again for up to
   * UNKNOWN_TOPIC_WAIT_MS before failing with UNKNOWN_TOPIC.
   */
  async requireTopic(name: string, timeoutMs: number): Promise<TopicMetadata> {
    const cached = this.topics.get(name);
    if (cached !== undefined) return cached;
    const waitMs = Math.min(timeoutMs, UNKNOWN_TOPIC_WAIT_MS);
    const startMs = performance.now();
    for (let round = 0; ; round++) {
      await this.refresh([name], timeoutMs);
      const fetched = this.topics.get(name);
      if (fetched !== undefined) return fetched;
      const denial = this.denied.get(name);
      if (denial !== undefined) throw new TributaryError('TOPIC_AUTHORIZATION_FAILED', denial);
      const remainingMs = waitMs - (performance.now() - startMs);
      if (remainingMs <= 0) throw new TributaryError('UNKNOWN_TOPIC', `topic "${name}" does not exist`);
      await sleep(Math.min(remainingMs, 50 * 2 ** Math.min(round, 3)));
    }
  }

  /**
   * Asks brokers (known ones first, then the bootstrap list) for metadata of `topics`, trying each at
   * most once. Throws the last error when none answers. `autoCreate: false` never asks the broker to
   * create a missing topic, whatever the client's setting: admin calls (describing, deleting records,
   * moving replicas) must not create what they name, as Kafka's Admin never does. `avoidAddress` is asked
   * last: a broker a request is stuck on (paused, partitioned) would hold the refresh for its whole timeout.
   */
  async refresh(
    topics: readonly string[],
    timeoutMs: number,
    options: { readonly autoCreate?: boolean; readonly avoidAddress?: string } = {},
  ): Promise<void> {
    const allowAutoTopicCreation = this.allowAutoTopicCreation && options.autoCreate !== false;
    const all = this.candidateAddresses();
    const first = all.length === 0 ? 0 : this.nextAddress % all.length;
    const rotated = [...all.slice(first), ...all.slice(0, first)];
    const nowMs = performance.now();
    const askLast = (address: string) =>
      address === options.avoidAddress || (this.unresponsiveUntilMs.get(address) ?? 0) > nowMs;
    const candidates = [
      ...rotated.filter((address) => !askLast(address)),
      ...rotated.filter((address) => askLast(address)),
    ];
    let lastError: unknown = new TributaryError('LEADER_NOT_AVAILABLE', 'no broker address to ask');
    for (let attempt = 0; attempt < candidates.length; attempt++) {
      const address = candidates[attempt];
      if (address === undefined) continue;
      try {
        const response = await unary(
          this.connections.get(address),
          'Metadata',
          { topics: [...topics], allowAutoTopicCreation },
          { deadlineMs: Math.max(1, Math.min(timeoutMs, CLIENT_LIMITS.metadataCallTimeoutMs)) },
        );
        this.apply(viewFromMetadata(response), topics);
        return;
      } catch (error) {
        lastError = error;
        this.nextAddress++;
        this.markUnresponsive(address);
      }
    }
    throw lastError;
  }

  /**
   * A broker that did not answer (a failed call, or a request given up on because its leadership moved)
   * is asked for metadata after the others for CLIENT_LIMITS.unresponsiveBrokerAskLastMs: a paused one would
   * hold each refresh for a whole call timeout.
   */
  markUnresponsive(address: string): void {
    const nowMs = performance.now();
    for (const [known, untilMs] of this.unresponsiveUntilMs)
      if (untilMs <= nowMs) this.unresponsiveUntilMs.delete(known);
    this.unresponsiveUntilMs.set(address, nowMs + CLIENT_LIMITS.unresponsiveBrokerAskLastMs);
  }

  private apply(view: ClusterView, requested: readonly string[]): void {
    if (view.brokers.size > 0) this.brokers = new Map(view.brokers);
    for (const name of requested) {
      const denial = view.denied?.get(name);
      if (denial === undefined) this.denied.delete(name);
      else this.denied.set(name, denial);
      const topic = view.topics.get(name);
      if (topic === undefined) this.topics.delete(name);
      else this.topics.set(name, topic);
    }
  }

  private candidateAddresses(): string[] {
    return [...new Set([...this.bootstrap, ...this.brokers.values()])];
  }
}
