/**
 * The coordinator state of one __consumer_offsets partition this broker leads: the groups hashed to it
 * (soft membership, of either protocol) and their committed offsets (replayed from the partition). Pure;
 * the shells (coordinator.ts, classic-coordinator.ts) load it, write its records and drive its timeouts.
 *
 * A group id is used by one protocol at a time: while Tributary's broker-driven group (ConsumerGroup) or
 * a classic group (ClassicGroup) has members, the other protocol is refused with
 * INCONSISTENT_GROUP_PROTOCOL, as Kafka refuses classic members of a consumer-protocol group. A group
 * left with no members (committed offsets only) can be taken by either.
 */
import { assert, TributaryError } from '@tributary/core';
import { ClassicGroup } from './classic-group.js';
import type { ClassicGroupConfig, ClassicGroupState } from './classic-types.js';
import { ConsumerGroup, type GroupState } from './consumer-group.js';
import { GROUP_LIMITS } from './limits.js';
import { OffsetStore } from './offset-store.js';

export type ShardState = 'loading' | 'active' | 'closed';

/** 'consumer': Tributary's broker-driven protocol (KIP-848 style); 'classic': JoinGroup/SyncGroup. */
export type GroupType = 'consumer' | 'classic';

export interface GroupListing {
  readonly groupId: string;
  readonly state: GroupState | ClassicGroupState;
  readonly members: number;
  /** 'consumer' for Tributary's groups and classic consumers; '' for a group with offsets only. */
  readonly protocolType: string;
  /** Which protocol last used the group; 'classic' for offsets-only groups, as Kafka's simple groups. */
  readonly groupType: GroupType;
}

function inconsistent(groupId: string, usedBy: GroupType): TributaryError {
  return new TributaryError(
    'INCONSISTENT_GROUP_PROTOCOL',
    `group ${groupId} has members using the ${usedBy} group protocol; a group id serves one protocol at a time`,
  );
}

export class CoordinatorShard {
  state: ShardState = 'loading';
  readonly groups = new Map<string, ConsumerGroup>();
  readonly classicGroups = new Map<string, ClassicGroup>();
  readonly offsets = new OffsetStore();
  /**
   * Transaction markers written to the partition while it loads (producer id, COMMIT or ABORT): the load
   * may have read past them or not, so they are applied once it is done (completing a transaction twice
   * is harmless: its producer writes nothing new before the marker is acknowledged).
   */
  readonly markersWhileLoading: { readonly producerId: number; readonly commit: boolean }[] = [];

  constructor(
    readonly partition: number,
    readonly leaderEpoch: number,
    private readonly defaultSessionTimeoutMs: number,
  ) {}

  /** The group's membership, created on first use (bounded by GROUP_LIMITS.groupsPerShardMax). */
  groupForJoin(groupId: string): ConsumerGroup {
    const existing = this.groups.get(groupId);
    if (existing !== undefined) return existing;
    const classic = this.classicGroups.get(groupId);
    if (classic !== undefined && classic.memberCount > 0) throw inconsistent(groupId, 'classic');
    this.checkRoomFor(groupId);
    this.#dropClassic(groupId);
    const group = new ConsumerGroup({ groupId, defaultSessionTimeoutMs: this.defaultSessionTimeoutMs });
    this.groups.set(groupId, group);
    return group;
  }

  /** The classic group, created on first use; refused while Tributary's protocol has members. */
  classicGroupForJoin(groupId: string, config: ClassicGroupConfig): ClassicGroup {
    const existing = this.classicGroups.get(groupId);
    if (existing !== undefined) return existing;
    const consumer = this.groups.get(groupId);
    if (consumer !== undefined && consumer.memberCount > 0) throw inconsistent(groupId, 'consumer');
    this.checkRoomFor(groupId);
    this.groups.delete(groupId);
    const group = new ClassicGroup(groupId, config);
    this.classicGroups.set(groupId, group);
    return group;
  }

  /** Refuses a group this shard does not know yet once it holds the most it may. */
  checkRoomFor(groupId: string): void {
    if (this.knows(groupId)) return;
    const known = new Set([...this.groups.keys(), ...this.classicGroups.keys(), ...this.offsets.groupIds()])
      .size;
    if (known >= GROUP_LIMITS.groupsPerShardMax) {
      throw new TributaryError(
        'RESOURCE_EXHAUSTED',
        `this coordinator partition holds ${known} groups; the limit is ${GROUP_LIMITS.groupsPerShardMax}`,
      );
    }
  }

  /** Whether the group has members, member ids handed out, or committed offsets. */
  knows(groupId: string): boolean {
    return this.groups.has(groupId) || this.classicGroups.has(groupId) || this.offsets.hasGroup(groupId);
  }

  /** Session and rebalance timeouts of Tributary's groups; forgets groups left with nothing. */
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
    if (this.offsets.hasGroup(groupId)) return;
    const group = this.groups.get(groupId);
    if (group !== undefined && group.memberCount === 0) this.groups.delete(groupId);
    const classic = this.classicGroups.get(groupId);
    if (classic?.isUnused === true) this.#dropClassic(groupId);
  }

  /** Forgets a group with no members at all (DeleteGroups, after its offsets were deleted). */
  dropGroup(groupId: string): void {
    assert(!this.hasMembers(groupId), 'only a group without members is dropped');
    this.groups.delete(groupId);
    this.#dropClassic(groupId);
  }

  /** Groups with members or with committed offsets (an Empty group keeps its offsets). */
  listings(): GroupListing[] {
    const ids = new Set([...this.groups.keys(), ...this.classicGroups.keys(), ...this.offsets.groupIds()]);
    return [...ids].sort().map((groupId) => this.listing(groupId));
  }

  listing(groupId: string): GroupListing {
    const group = this.groups.get(groupId);
    if (group !== undefined) {
      return {
        groupId,
        state: group.state,
        members: group.memberCount,
        protocolType: 'consumer',
        groupType: 'consumer',
      };
    }
    const classic = this.classicGroups.get(groupId);
    return {
      groupId,
      state: classic?.state ?? 'Empty',
      members: classic?.memberCount ?? 0,
      protocolType: classic?.protocolType ?? '',
      groupType: 'classic',
    };
  }

  hasMembers(groupId: string): boolean {
    return (
      (this.groups.get(groupId)?.memberCount ?? 0) > 0 ||
      (this.classicGroups.get(groupId)?.memberCount ?? 0) > 0
    );
  }

  #dropClassic(groupId: string): void {
    const classic = this.classicGroups.get(groupId);
    if (classic === undefined) return;
    // An unused classic group holds no waiting request: unloading it answers nobody.
    assert(classic.memberCount === 0 && classic.unload().length === 0, 'a dropped classic group is empty');
    this.classicGroups.delete(groupId);
  }
}
