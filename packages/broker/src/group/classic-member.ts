/**
 * A classic group's member record and the protocol rules over the members (which protocols the group
 * supports, which one it selects). Pure; classic-group.ts owns the records.
 */
import { assert } from '@tributary/core';
import type { ClassicJoinMember, ClassicProtocol } from './classic-types.js';

export interface ClassicMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  protocols: readonly ClassicProtocol[];
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  /** What the leader's last SyncGroup gave this member. */
  assignment: Buffer;
  /** The token of the member's JoinGroup waiting for the rebalance to complete, if any. */
  joinToken: number | null;
  /** The token of the member's SyncGroup waiting for the leader's, if any. */
  syncToken: number | null;
  /** Joined and not yet answered once: bounded by the new-member join timeout rather than exempt. */
  isNew: boolean;
  /** When the member is removed unless heard from (session timeout; see isExpired). */
  heartbeatDeadlineMs: number;
}

export const EMPTY_BYTES: Buffer = Buffer.alloc(0);

/**
 * Whether the member counts as gone. A member waiting in JoinGroup or SyncGroup is exempt (its request is
 * the proof of life, and the rebalance and sync timeouts bound the wait), except a new member, whose
 * first join is bounded by the new-member join timeout (Kafka's MemberMetadata.hasSatisfiedHeartbeat).
 */
export function isExpired(member: ClassicMember, nowMs: number): boolean {
  if (nowMs < member.heartbeatDeadlineMs) return false;
  if (member.isNew) return true;
  return member.joinToken === null && member.syncToken === null;
}

/** Protocol names supported by every member (Kafka's candidateProtocols). */
export function candidateProtocols(members: Iterable<ClassicMember>): Set<string> {
  const all = [...members];
  const [first, ...rest] = all;
  if (first === undefined) return new Set();
  const candidates = new Set(first.protocols.map((p) => p.name));
  for (const member of rest) {
    const names = new Set(member.protocols.map((p) => p.name));
    for (const name of candidates) if (!names.has(name)) candidates.delete(name);
  }
  return candidates;
}

/**
 * Whether a member offering `names` may join a group whose members are `members`: the first member
 * needs a protocol type and at least one protocol; later ones the group's type and at least one
 * protocol every member supports (Kafka's supportsProtocols; INCONSISTENT_GROUP_PROTOCOL otherwise).
 */
export function supportsProtocols(
  members: readonly ClassicMember[],
  groupProtocolType: string | null,
  protocolType: string,
  names: readonly string[],
): boolean {
  if (protocolType.length === 0 || names.length === 0) return false;
  if (members.length === 0) return true;
  if (protocolType !== groupProtocolType) return false;
  const candidates = candidateProtocols(members);
  return names.some((name) => candidates.has(name));
}

/**
 * The group's protocol for the next generation, as Kafka's selectProtocol: among the protocols every
 * member supports, each member votes for its most preferred one and the most votes win. Kafka breaks a
 * tie arbitrarily (hash order); here the leader's preference breaks it, so the choice is deterministic.
 */
export function selectProtocol(members: readonly ClassicMember[], leader: ClassicMember): string {
  const candidates = candidateProtocols(members);
  assert(candidates.size > 0, 'members of a group share a protocol (checked at join)');
  const votes = new Map<string, number>();
  for (const member of members) {
    const choice = member.protocols.find((p) => candidates.has(p.name))?.name;
    assert(choice !== undefined, 'every member supports every candidate');
    votes.set(choice, (votes.get(choice) ?? 0) + 1);
  }
  const most = Math.max(...votes.values());
  const winner = leader.protocols.find((p) => votes.get(p.name) === most)?.name;
  assert(winner !== undefined, 'the leader supports every candidate');
  return winner;
}

/** The member's metadata for a protocol it supports (empty if it does not). */
export function metadataFor(member: ClassicMember, protocolName: string | null): Buffer {
  return member.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY_BYTES;
}

export function joinMemberOf(member: ClassicMember, protocolName: string | null): ClassicJoinMember {
  return {
    memberId: member.memberId,
    groupInstanceId: member.groupInstanceId,
    metadata: metadataFor(member, protocolName),
  };
}
