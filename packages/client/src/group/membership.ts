/**
 * The heartbeat loop of one group member (KIP-848): join with epoch 0, then heartbeat with the newest
 * epoch every heartbeat_interval_ms, always reporting the partitions owned right now; leave with -1.
 * It runs on its own timer, independent of message handling, so a slow handler never makes the member
 * miss its session timeout. What to do with an answer is the host's business (group-consumer.ts).
 */
import { type Random, TributaryError } from '@tributary/core';
import { backoffDelayMs, DEFAULT_BACKOFF, type GroupHeartbeatRequest } from '@tributary/protocol';
import { toError } from '../retry.js';
import { Waiter } from './async-helpers.js';
import { type Assignor, GROUP_DEFAULTS, GROUP_LIMITS } from './config.js';
import type { CoordinatorLookup } from './coordinator.js';
import { flattenPartitions, groupPartitions, heartbeatAction, type TopicPartition } from './reconcile.js';

export interface MembershipHost {
  /** The partitions owned right now, including those still being revoked. */
  owned(): TopicPartition[];
  /** The topic names to send as subscribed_topics (a regex subscription resolves them here). */
  subscribedTopics(): Promise<string[]>;
  /** A successful answer: the full set of partitions the member should own now. */
  assigned(assignment: TopicPartition[]): void;
  /** UNKNOWN_MEMBER_ID / FENCED_MEMBER_EPOCH: drop every partition without committing. */
  lost(error: TributaryError): void;
  /** A non-retriable error: the member cannot go on. */
  failed(error: TributaryError): void;
}

export interface MembershipConfig {
  readonly memberId: string;
  readonly clientId: string;
  readonly assignor: Assignor;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
}

export class Membership {
  private epoch = 0;
  private intervalMs: number = GROUP_DEFAULTS.heartbeatIntervalMs;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly waiter = new Waiter();
  /** Heartbeats answered successfully, for tests and diagnostics. */
  heartbeats = 0;

  constructor(
    private readonly lookup: CoordinatorLookup,
    private readonly config: MembershipConfig,
    private readonly host: MembershipHost,
    private readonly random: Random,
  ) {}

  get memberId(): string {
    return this.config.memberId;
  }

  get memberEpoch(): number {
    return this.epoch;
  }

  get running(): boolean {
    return this.loop !== undefined && !this.stopController.signal.aborted;
  }

  start(): void {
    if (this.loop !== undefined) return;
    this.loop = this.run();
  }

  /** Heartbeat now (after a revocation finished, so the coordinator hears of it promptly). */
  wake(): void {
    this.waiter.wake();
  }

  /** Stops heartbeating and leaves the group (epoch -1); bounded by `timeoutMs`. Idempotent. */
  async leave(timeoutMs: number): Promise<void> {
    const wasRunning = this.loop !== undefined && !this.stopController.signal.aborted;
    this.stopController.abort();
    await this.loop;
    this.epoch = 0;
    // Sent even before a first answer: the join may have reached the coordinator all the same.
    if (!wasRunning) return;
    const request: GroupHeartbeatRequest = {
      groupId: this.lookup.groupId,
      memberId: this.config.memberId,
      memberEpoch: -1,
      clientId: this.config.clientId,
      ownedPartitions: [],
    };
    // One retry after re-finding a moved coordinator; the session timeout removes us anyway.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.lookup.call('GroupHeartbeat', request, { deadlineMs: timeoutMs });
        return;
      } catch (error) {
        if (heartbeatAction(toError(error).code, toError(error).retriable) !== 'find-coordinator') return;
      }
    }
  }

  private async run(): Promise<void> {
    const signal = this.stopController.signal;
    let failures = 0;
    while (!signal.aborted) {
      let delayMs = this.intervalMs;
      try {
        const response = await this.lookup.call('GroupHeartbeat', await this.request(), { signal });
        if (signal.aborted) return;
        failures = 0;
        this.heartbeats++;
        this.epoch = response.memberEpoch;
        this.intervalMs = clampInterval(response.heartbeatIntervalMs);
        delayMs = this.intervalMs;
        this.host.assigned(flattenPartitions(response.assignment));
      } catch (error) {
        if (signal.aborted) return;
        const failure = toError(error);
        switch (heartbeatAction(failure.code, failure.retriable)) {
          case 'rejoin':
            this.epoch = 0;
            this.host.lost(failure);
            // Rejoin at once, but back off if the coordinator keeps refusing the new member too.
            delayMs = failures === 0 ? 0 : backoffDelayMs(failures, DEFAULT_BACKOFF, this.random);
            failures++;
            break;
          case 'find-coordinator':
          case 'retry':
            // CoordinatorLookup.call already forgot a moved coordinator; the next call finds it again.
            delayMs = backoffDelayMs(failures++, DEFAULT_BACKOFF, this.random);
            break;
          case 'fatal':
            this.stopController.abort();
            this.host.failed(failure);
            return;
        }
      }
      await this.waiter.wait(delayMs, signal);
    }
  }

  private async request(): Promise<GroupHeartbeatRequest> {
    return {
      groupId: this.lookup.groupId,
      memberId: this.config.memberId,
      memberEpoch: this.epoch,
      clientId: this.config.clientId,
      subscribedTopics: await this.host.subscribedTopics(),
      assignor: this.config.assignor,
      rebalanceTimeoutMs: this.config.rebalanceTimeoutMs,
      sessionTimeoutMs: this.config.sessionTimeoutMs,
      ownedPartitions: groupPartitions(this.host.owned()),
    };
  }
}

function clampInterval(intervalMs: number): number {
  if (!(intervalMs > 0)) return GROUP_DEFAULTS.heartbeatIntervalMs;
  return Math.min(
    GROUP_LIMITS.heartbeatIntervalMsMax,
    Math.max(GROUP_LIMITS.heartbeatIntervalMsMin, intervalMs),
  );
}

export function requireValidGroupId(groupId: string): void {
  if (groupId === '' || groupId.length > GROUP_LIMITS.groupIdLengthMax) {
    throw new TributaryError(
      'INVALID_GROUP_ID',
      `group id must be 1..${GROUP_LIMITS.groupIdLengthMax} characters, got ${groupId.length}`,
    );
  }
}
