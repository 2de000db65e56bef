/**
 * Server-side assignors (KIP-848 moves assignment from the group leader to the coordinator). Each is a
 * pure, deterministic function of the members (sorted by id) and the partition counts of the topics
 * they subscribe to; topics missing from the counts have no partitions. Every partition of every
 * subscribed topic goes to exactly one member subscribed to its topic.
 */
import { assert } from '@tributary/core';
import { type Assignment, fromKeySet, tpKey } from './assignment.js';

export interface AssignorMember {
  readonly memberId: string;
  readonly subscribedTopics: readonly string[];
  /** The member's current assignment (the sticky assignor keeps what it can of it). */
  readonly currentAssignment: Assignment;
}

export interface AssignorInput {
  readonly members: readonly AssignorMember[];
  readonly partitionCounts: ReadonlyMap<string, number>;
}

export type Assignor = (input: AssignorInput) => Map<string, Assignment>;

export const ASSIGNOR_NAMES = ['range', 'round-robin', 'cooperative-sticky'] as const;
export type AssignorName = (typeof ASSIGNOR_NAMES)[number];

export function isAssignorName(name: string): name is AssignorName {
  return (ASSIGNOR_NAMES as readonly string[]).includes(name);
}

function sortedMembers(input: AssignorInput): AssignorMember[] {
  const members = [...input.members].sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
  for (let i = 1; i < members.length; i++) {
    assert(members[i - 1]?.memberId !== members[i]?.memberId, 'member ids are unique');
  }
  return members;
}

/** Every subscribed topic with its partition count, in name order. */
function subscribedTopics(input: AssignorInput): { topic: string; partitions: number }[] {
  const names = new Set<string>();
  for (const member of input.members) for (const topic of member.subscribedTopics) names.add(topic);
  return [...names]
    .sort()
    .map((topic) => ({ topic, partitions: input.partitionCounts.get(topic) ?? 0 }))
    .filter((entry) => entry.partitions > 0);
}

function collect(
  members: readonly AssignorMember[],
  keys: Map<string, Set<string>>,
): Map<string, Assignment> {
  const out = new Map<string, Assignment>();
  for (const member of members) out.set(member.memberId, fromKeySet(keys.get(member.memberId) ?? []));
  return out;
}

function emptyKeySets(members: readonly AssignorMember[]): Map<string, Set<string>> {
  return new Map(members.map((member) => [member.memberId, new Set<string>()]));
}

/** Kafka's RangeAssignor: per topic, contiguous ranges; the first P % m subscribers get one more. */
export const rangeAssignor: Assignor = (input) => {
  const members = sortedMembers(input);
  const keys = emptyKeySets(members);
  for (const { topic, partitions } of subscribedTopics(input)) {
    const subscribers = members.filter((member) => member.subscribedTopics.includes(topic));
    const share = Math.floor(partitions / subscribers.length);
    const extra = partitions % subscribers.length;
    let next = 0;
    for (const [index, member] of subscribers.entries()) {
      const count = share + (index < extra ? 1 : 0);
      const set = keys.get(member.memberId);
      for (let p = next; p < next + count; p++) set?.add(tpKey(topic, p));
      next += count;
    }
    assert(next === partitions, 'range covers every partition');
  }
  return collect(members, keys);
};

/** Kafka's RoundRobinAssignor: all partitions in order, dealt to the next subscribed member. */
export const roundRobinAssignor: Assignor = (input) => {
  const members = sortedMembers(input);
  const keys = emptyKeySets(members);
  let cursor = 0;
  for (const { topic, partitions } of subscribedTopics(input)) {
    for (let p = 0; p < partitions; p++) {
      // Some member subscribes to the topic (it is listed), so this finds one within members.length steps.
      for (let step = 0; step < members.length; step++) {
        const member = members[(cursor + step) % members.length];
        if (member?.subscribedTopics.includes(topic) === true) {
          keys.get(member.memberId)?.add(tpKey(topic, p));
          cursor = (cursor + step + 1) % members.length;
          break;
        }
      }
    }
  }
  return collect(members, keys);
};

/**
 * Cooperative sticky: every member keeps the partitions it owns while it still subscribes to their
 * topic and is within its fair share (floor(P/m), the P % m members holding the most keep one more);
 * everything else goes, one at a time, to the least-loaded subscribed member. With equal subscriptions
 * this ends balanced (max − min ≤ 1) and moves only what balance needs.
 */
export const cooperativeStickyAssignor: Assignor = (input) => {
  const members = sortedMembers(input);
  const topics = subscribedTopics(input);
  const counts = new Map(topics.map((t) => [t.topic, t.partitions]));
  const total = topics.reduce((sum, t) => sum + t.partitions, 0);
  const keys = emptyKeySets(members);
  const claimed = new Set<string>();
  const retained = new Map<string, string[]>();
  for (const member of members) {
    const kept: string[] = [];
    for (const [topic, partitions] of member.currentAssignment) {
      if (!member.subscribedTopics.includes(topic)) continue;
      for (const p of partitions) {
        const key = tpKey(topic, p);
        // Two members claiming one partition (only after a bug or a fenced zombie): the first by id keeps it.
        if (p < (counts.get(topic) ?? 0) && !claimed.has(key)) {
          claimed.add(key);
          kept.push(key);
        }
      }
    }
    retained.set(member.memberId, kept);
  }
  const quotas = quotasFor(members, retained, total);
  for (const member of members) {
    const kept = retained.get(member.memberId) ?? [];
    const quota = quotas.get(member.memberId) ?? 0;
    const set = keys.get(member.memberId);
    for (const [index, key] of kept.entries()) {
      if (index < quota) set?.add(key);
      else claimed.delete(key);
    }
  }
  for (const { topic, partitions } of topics) {
    for (let p = 0; p < partitions; p++) {
      const key = tpKey(topic, p);
      if (claimed.has(key)) continue;
      const owner = leastLoaded(members, keys, topic);
      assert(owner !== undefined, 'a listed topic has a subscriber');
      keys.get(owner)?.add(key);
    }
  }
  return collect(members, keys);
};

/** floor(P/m) each; the P % m members retaining the most (then by id) may keep one more. */
function quotasFor(
  members: readonly AssignorMember[],
  retained: ReadonlyMap<string, readonly string[]>,
  total: number,
): Map<string, number> {
  const quotas = new Map<string, number>();
  if (members.length === 0) return quotas;
  const base = Math.floor(total / members.length);
  let extra = total % members.length;
  const byRetained = [...members].sort(
    (a, b) => (retained.get(b.memberId)?.length ?? 0) - (retained.get(a.memberId)?.length ?? 0),
  );
  for (const member of byRetained) {
    quotas.set(member.memberId, base + (extra > 0 ? 1 : 0));
    if (extra > 0) extra--;
  }
  return quotas;
}

function leastLoaded(
  members: readonly AssignorMember[],
  keys: ReadonlyMap<string, ReadonlySet<string>>,
  topic: string,
): string | undefined {
  let best: string | undefined;
  let bestSize = Number.POSITIVE_INFINITY;
  for (const member of members) {
    if (!member.subscribedTopics.includes(topic)) continue;
    const size = keys.get(member.memberId)?.size ?? 0;
    if (size < bestSize) {
      best = member.memberId;
      bestSize = size;
    }
  }
  return best;
}

export const ASSIGNORS: Readonly<Record<AssignorName, Assignor>> = {
  range: rangeAssignor,
  'round-robin': roundRobinAssignor,
  'cooperative-sticky': cooperativeStickyAssignor,
};
