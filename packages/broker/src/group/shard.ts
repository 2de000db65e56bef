/**
 * The coordinator state of one __consumer_offsets partition this broker leads: the groups hashed to it
 * (soft membership) and their committed offsets (replayed from the partition). Pure; the shell
 * (coordinator.ts) loads it, writes its records and drives its timeouts.
 */
import { TributaryError } from '@tributary/core';
import { ConsumerGroup, type GroupState } from './consumer-group.js';
import { GROUP_LIMITS } from './limits.js';
import { OffsetStore } from './offset-store.js';

export type ShardState = 'loading' | 'active' | 'closed';

export interface GroupListing {
  readonly groupId: string;
  readonly state: GroupState;
  readonly members: number;
}

export class CoordinatorShard {
  state: ShardState = 'loading';
  readonly groups = new Map<string, ConsumerGroup>();
  readonly offsets = new OffsetStore();

  constructor(
    readonly partition: number,
    readonly leaderEpoch: number,
    private readonly defaultSessionTimeoutMs: number,
  ) {}

  /** The group's membership, created on first use (bounded by GROUP_LIMITS.groupsPerShardMax). */
  groupForJoin(groupId: string): ConsumerGroup {
    const existing = this.groups.get(groupId);
    if (existing !== undefined) return existing;
    this.checkRoomFor(groupId);
    const group = new ConsumerGroup({ groupId, defaultSessionTimeoutMs: this.defaultSessionTimeoutMs });
    this.groups.set(groupId, group);
    return group;
  }

  /** Refuses a group this shard does not know yet once it holds the most it may. */
  checkRoomFor(groupId: string): void {
    if (this.groups.has(groupId) || this.offsets.hasGroup(groupId)) return;
    const known = new Set([...this.groups.keys(), ...this.offsets.groupIds()]).size;
    if (known >= GROUP_LIMITS.groupsPerShardMax) {
      throw new TributaryError(
        'RESOURCE_EXHAUSTED',
        `this coordinator partition holds ${known} groups; the limit is ${GROUP_LIMITS.groupsPerShardMax}`,
      );
    }
  }

  /** Session and rebalance timeouts; forgets groups left with neither members nor offsets. */
  sweep(nowMs: number): { groupId: string; removed: string[] }[] {
    const out: { groupId: string; removed: string[] }[] = [];
    for (const [groupId, group] of this.groups) {
      const removed = group.expire(nowMs);
      if (removed.length > 0) out.push({ groupId, removed });
      this.forgetIfUnused(groupId);
    }
    return out;
  }

  forgetIfUnused(groupId: string): void {
    const group = this.groups.get(groupId);
    if (group !== undefined && group.memberCount === 0 && !this.offsets.hasGroup(groupId)) {
      this.groups.delete(groupId);
    }
  }

  /** Groups with members or with committed offsets (an Empty group keeps its offsets). */
  listings(): GroupListing[] {
    const ids = new Set([...this.groups.keys(), ...this.offsets.groupIds()]);
    return [...ids].sort().map((groupId) => {
      const group = this.groups.get(groupId);
      return { groupId, state: group?.state ?? 'Empty', members: group?.memberCount ?? 0 };
    });
  }

  hasMembers(groupId: string): boolean {
    return (this.groups.get(groupId)?.memberCount ?? 0) > 0;
  }
}
