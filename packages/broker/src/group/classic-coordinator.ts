/**
 * The classic group protocol's shell, owned by GroupCoordinator (coordinator.classic): it finds the
 * group's shard (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS as for Tributary's groups), runs the pure
 * ClassicGroup, and holds the promises of requests that wait — a JoinGroup until its rebalance completes,
 * a follower's SyncGroup until the leader's — by token, resolving them from the group's effects. No timer
 * of its own: the coordinator's sweep drives timeouts. Every method answers with an error code rather
 * than throwing (only bugs throw). Commits go through the coordinator's one offsets path, so
 * `trib groups describe` and `reset-offsets` see them whichever API committed.
 */
import { randomUUID } from 'node:crypto';
import { assert, type Clock, TributaryError } from '@tributary/core';
import type { Logger } from 'pino';
import { type DescribedGroup, describedGroupError, describeForKafka } from './classic-describe.js';
import type { ClassicCommitMember, ClassicGroup } from './classic-group.js';
import { errorJoinResult, errorSyncResult } from './classic-rebalance.js';
import type {
  ClassicCommitRequest,
  ClassicCommitResult,
  ClassicEffect,
  ClassicErrorResult,
  ClassicGroupConfig,
  ClassicHeartbeatRequest,
  ClassicJoinRequest,
  ClassicJoinResult,
  ClassicLeaveRequest,
  ClassicLeaveResult,
  ClassicSyncRequest,
  ClassicSyncResult,
} from './classic-types.js';
import {
  commitPartitionProblem,
  validateCommitMember,
  validateHeartbeat,
  validateJoin,
  validateLeave,
  validateSync,
} from './classic-validate.js';
import type { OffsetCommitInput } from './coordinator-types.js';
import { CLASSIC_GROUP_LIMITS, GROUP_LIMITS } from './limits.js';
import type { CoordinatorShard } from './shard.js';
import { validateGroupId } from './validate.js';

export interface ClassicCoordinatorDeps {
  /** The group's shard; throws NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE. */
  readonly shardFor: (groupId: string) => CoordinatorShard;
  /** Writes committed offsets (acks=all) and applies them once acknowledged. */
  readonly commit: (
    shard: CoordinatorShard,
    groupId: string,
    commits: readonly OffsetCommitInput[],
  ) => Promise<void>;
  readonly config: ClassicGroupConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Draws the random part of new member ids (default: a UUID, as Kafka). */
  readonly randomId?: () => string;
}

type Waiter =
  | { readonly kind: 'join'; readonly resolve: (result: ClassicJoinResult) => void }
  | { readonly kind: 'sync'; readonly resolve: (result: ClassicSyncResult) => void };

/** The part of a new member id before the UUID, short enough that ids stay within their limit. */
const MEMBER_ID_PREFIX_MAX = GROUP_LIMITS.memberIdLengthMax - 37;

function errorOf(error: unknown): { code: TributaryError['code']; message: string } {
  if (error instanceof TributaryError) return { code: error.code, message: error.message };
  throw error;
}

export class ClassicGroupCoordinator {
  readonly #deps: ClassicCoordinatorDeps;
  /** Waiting requests; each token is held by one member of one group, so members bound the map. */
  readonly #waiters = new Map<number, Waiter>();
  #nextToken = 1;

  constructor(deps: ClassicCoordinatorDeps) {
    this.#deps = deps;
  }

  get config(): ClassicGroupConfig {
    return this.#deps.config;
  }

  /** Answered when the rebalance completes (or at once: MEMBER_ID_REQUIRED, errors, a lost answer). */
  joinGroup(request: ClassicJoinRequest): Promise<ClassicJoinResult> {
    let shard: CoordinatorShard;
    let group: ClassicGroup;
    let valid: ClassicJoinRequest;
    try {
      valid = validateJoin(request);
      shard = this.#deps.shardFor(request.groupId);
      const existing = shard.classicGroups.get(request.groupId);
      if (existing === undefined && request.memberId !== '') {
        throw new TributaryError(
          'UNKNOWN_MEMBER_ID',
          `group ${request.groupId} has no member ${request.memberId}`,
        );
      }
      group = existing ?? shard.classicGroupForJoin(request.groupId, this.#deps.config);
    } catch (error) {
      const { code, message } = errorOf(error);
      return Promise.resolve(errorJoinResult(code, message, request.memberId));
    }
    const prefix = (request.groupInstanceId ?? request.clientId).slice(0, MEMBER_ID_PREFIX_MAX);
    const newMemberId = `${prefix}-${this.#deps.randomId?.() ?? randomUUID()}`;
    return this.#waitJoin(request.memberId, shard, group, (token) =>
      group.join({ ...valid, newMemberId }, token, this.#deps.clock.nowMs()),
    );
  }

  /** A follower's answer waits for the leader's SyncGroup (or a rebalance, or the sync timeout). */
  syncGroup(request: ClassicSyncRequest): Promise<ClassicSyncResult> {
    let shard: CoordinatorShard;
    let group: ClassicGroup;
    try {
      validateSync(request);
      shard = this.#deps.shardFor(request.groupId);
      group = this.#knownGroup(shard, request.groupId, request.memberId);
    } catch (error) {
      const { code, message } = errorOf(error);
      return Promise.resolve(errorSyncResult(code, message));
    }
    return this.#waitSync(shard, group, (token) => group.sync(request, token, this.#deps.clock.nowMs()));
  }

  /** REBALANCE_IN_PROGRESS tells a member to rejoin; the heartbeat still counts. */
  heartbeat(request: ClassicHeartbeatRequest): ClassicErrorResult {
    try {
      validateHeartbeat(request);
      const group = this.#knownGroup(this.#deps.shardFor(request.groupId), request.groupId, request.memberId);
      const errorCode = group.heartbeat(request, this.#deps.clock.nowMs());
      return { errorCode, errorMessage: errorCode === null ? '' : `group ${request.groupId} is rebalancing` };
    } catch (error) {
      const { code, message } = errorOf(error);
      return { errorCode: code, errorMessage: message };
    }
  }

  /** Per-member results (KIP-345 batch leave); an unknown group answers UNKNOWN_MEMBER_ID for each. */
  leaveGroup(request: ClassicLeaveRequest): ClassicLeaveResult {
    try {
      validateLeave(request);
      const shard = this.#deps.shardFor(request.groupId);
      const group = shard.classicGroups.get(request.groupId);
      if (group === undefined) {
        const members = request.members.map((m) => ({ ...m, errorCode: 'UNKNOWN_MEMBER_ID' as const }));
        return { errorCode: null, errorMessage: '', members };
      }
      const { results, effects } = group.leave(request.members, this.#deps.clock.nowMs());
      this.#deliver(request.groupId, effects);
      shard.forgetIfUnused(request.groupId);
      return { errorCode: null, errorMessage: '', members: results };
    } catch (error) {
      const { code, message } = errorOf(error);
      return { errorCode: code, errorMessage: message, members: [] };
    }
  }

  /**
   * An OffsetCommit from the Kafka API, fenced by the classic rules (ClassicGroup.validateCommit). A group
   * Tributary's protocol is using refuses it (UNKNOWN_MEMBER_ID: no classic member is known there); with no
   * group at all, generation -1 commits (admin, simple consumer) and a real generation is stale
   * (ILLEGAL_GENERATION, Kafka's answer for OffsetCommit below v9).
   */
  async commitOffsets(request: ClassicCommitRequest): Promise<ClassicCommitResult> {
    const answerAll = (
      errorCode: TributaryError['code'] | null,
      errorMessage: string,
    ): ClassicCommitResult => ({
      errorCode,
      errorMessage,
      partitions: request.partitions.map((p) => ({ topic: p.topic, partition: p.partition, errorCode })),
    });
    try {
      validateCommitMember(request);
      const shard = this.#deps.shardFor(request.groupId);
      this.#validateCommit(shard, request);
      const problems = request.partitions.map(commitPartitionProblem);
      const valid = request.partitions.filter((_, i) => problems[i] === null);
      await this.#deps.commit(shard, request.groupId, valid);
      return {
        errorCode: null,
        errorMessage: problems.find((p) => p !== null) ?? '',
        partitions: request.partitions.map((p, i) => ({
          topic: p.topic,
          partition: p.partition,
          errorCode: problems[i] === null ? null : 'INVALID_REQUEST',
        })),
      };
    } catch (error) {
      const { code, message } = errorOf(error);
      return answerAll(code, message);
    }
  }

  /** DescribeGroups for the Kafka API, over both protocols. */
  describeGroup(groupId: string): DescribedGroup {
    try {
      validateGroupId(groupId);
      return describeForKafka(this.#deps.shardFor(groupId), groupId);
    } catch (error) {
      const { code, message } = errorOf(error);
      return describedGroupError(groupId, code, message);
    }
  }

  /** DescribeGroups of several groups, each answered on its own (bounded by groupsPerRequestMax). */
  describeGroups(groupIds: readonly string[]): DescribedGroup[] {
    if (groupIds.length > CLASSIC_GROUP_LIMITS.groupsPerRequestMax) {
      const message = `${groupIds.length} groups in one request; the limit is ${CLASSIC_GROUP_LIMITS.groupsPerRequestMax}`;
      return groupIds.map((groupId) => describedGroupError(groupId, 'INVALID_REQUEST', message));
    }
    return groupIds.map((groupId) => this.describeGroup(groupId));
  }

  /** Timeouts of the shard's classic groups (the coordinator's sweep calls this); returns removals. */
  sweep(shard: CoordinatorShard, nowMs: number): { groupId: string; removed: string[] }[] {
    const out: { groupId: string; removed: string[] }[] = [];
    for (const [groupId, group] of [...shard.classicGroups]) {
      const { removed, effects } = group.tick(nowMs);
      this.#deliver(groupId, effects);
      if (removed.length > 0) out.push({ groupId, removed });
      shard.forgetIfUnused(groupId);
    }
    return out;
  }

  /** The shard is no longer ours: waiting requests get NOT_COORDINATOR; members rejoin elsewhere. */
  onShardClosed(shard: CoordinatorShard): void {
    for (const [groupId, group] of shard.classicGroups) this.#deliver(groupId, group.unload());
    if (shard.classicGroups.size > 0) {
      const groups = shard.classicGroups.size;
      this.#deps.logger.info(
        { partition: shard.partition, groups },
        'classic groups unloaded; members rejoin',
      );
    }
    shard.classicGroups.clear();
  }

  /** Test hook: requests waiting for an answer. */
  waitingCount(): number {
    return this.#waiters.size;
  }

  #knownGroup(shard: CoordinatorShard, groupId: string, memberId: string): ClassicGroup {
    const group = shard.classicGroups.get(groupId);
    if (group === undefined) {
      throw new TributaryError('UNKNOWN_MEMBER_ID', `group ${groupId} has no classic member ${memberId}`);
    }
    return group;
  }

  #validateCommit(shard: CoordinatorShard, request: ClassicCommitRequest): void {
    const member: ClassicCommitMember = request;
    const group = shard.classicGroups.get(request.groupId);
    if (group !== undefined) {
      group.validateCommit(member, this.#deps.clock.nowMs());
      return;
    }
    if (shard.hasMembers(request.groupId)) {
      throw new TributaryError(
        'UNKNOWN_MEMBER_ID',
        `group ${request.groupId} uses Tributary's group protocol`,
      );
    }
    if (request.generationId >= 0) {
      throw new TributaryError(
        'ILLEGAL_GENERATION',
        `group ${request.groupId} has no generation ${request.generationId}`,
      );
    }
    shard.checkRoomFor(request.groupId);
  }

  /** Registers the caller's JoinGroup under a fresh token and runs the decision (see #run). */
  #waitJoin(
    memberId: string,
    shard: CoordinatorShard,
    group: ClassicGroup,
    decide: (token: number) => ClassicEffect[],
  ): Promise<ClassicJoinResult> {
    const token = this.#nextToken++;
    const answer = new Promise<ClassicJoinResult>((resolve) => {
      this.#waiters.set(token, { kind: 'join', resolve });
    });
    const refused = this.#run(token, shard, group, decide);
    if (refused === null) return answer;
    const waiter = this.#take(token);
    assert(waiter?.kind === 'join', 'a refused JoinGroup is still registered');
    waiter.resolve(errorJoinResult(refused.code, refused.message, memberId));
    return answer;
  }

  #waitSync(
    shard: CoordinatorShard,
    group: ClassicGroup,
    decide: (token: number) => ClassicEffect[],
  ): Promise<ClassicSyncResult> {
    const token = this.#nextToken++;
    const answer = new Promise<ClassicSyncResult>((resolve) => {
      this.#waiters.set(token, { kind: 'sync', resolve });
    });
    const refused = this.#run(token, shard, group, decide);
    if (refused === null) return answer;
    const waiter = this.#take(token);
    assert(waiter?.kind === 'sync', 'a refused SyncGroup is still registered');
    waiter.resolve(errorSyncResult(refused.code, refused.message));
    return answer;
  }

  /**
   * Runs a decision for a registered token and resolves every token it answered (the caller's own may be
   * among them); returns the refusal if the group refused the request (then nothing changed).
   */
  #run(
    token: number,
    shard: CoordinatorShard,
    group: ClassicGroup,
    decide: (token: number) => ClassicEffect[],
  ): { code: TributaryError['code']; message: string } | null {
    let refused: { code: TributaryError['code']; message: string } | null = null;
    try {
      this.#deliver(group.groupId, decide(token));
    } catch (error) {
      refused = errorOf(error);
    }
    const waiting = this.#waiters.has(token);
    assert(
      refused === null ? !waiting || group.holdsToken(token) : waiting,
      'a waiting request is held by its member',
    );
    shard.forgetIfUnused(group.groupId);
    return refused;
  }

  #take(token: number): Waiter | undefined {
    const waiter = this.#waiters.get(token);
    this.#waiters.delete(token);
    return waiter;
  }

  #deliver(groupId: string, effects: readonly ClassicEffect[]): void {
    for (const effect of effects) {
      const { kind, result } = effect;
      if (
        kind === 'join' &&
        result.errorCode === null &&
        result.members.length > 0 &&
        !result.skipAssignment
      ) {
        const { generationId, protocolName, leaderId, members } = result;
        const fields = { groupId, generationId, protocolName, leaderId, members: members.length };
        this.#deps.logger.info(fields, 'classic group generation started');
      }
      const waiter = this.#waiters.get(effect.token);
      assert(waiter !== undefined && waiter.kind === effect.kind, 'an effect answers a waiting request');
      this.#waiters.delete(effect.token);
      if (waiter.kind === 'join' && effect.kind === 'join') waiter.resolve(effect.result);
      if (waiter.kind === 'sync' && effect.kind === 'sync') waiter.resolve(effect.result);
    }
  }
}
