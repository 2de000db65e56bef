/**
 * The slice of packages/raft's RaftNode that the driver uses, as an interface so the driver can be
 * tested against a fake and a change in the core's surface is adapted in one place.
 */
import type { LogIndex, NodeId, Term } from '@tributary/core';
import {
  type Membership,
  type MembershipChange,
  type Message,
  type RaftConfig,
  RaftNode,
  type Ready,
  type Status,
  type Storage,
} from '@tributary/raft';

export interface RaftCore {
  tick(): void;
  step(message: Message): void;
  /** Appends `data` on the leader. Throws a TributaryError (NOT_LEADER, RESOURCE_EXHAUSTED) otherwise. */
  propose(data: Uint8Array): { index: LogIndex; term: Term };
  /** A one-server membership change on the leader (thesis §4.1); throws a TributaryError when refused. */
  proposeMembership(change: MembershipChange): { index: LogIndex; term: Term; membership: Membership };
  /** The membership in force at `index` (from the applied index on), or null (see RaftNode). */
  membershipAt(index: LogIndex): Membership | null;
  hasReady(): boolean;
  ready(): Ready;
  advance(ready: Ready): void;
  status(): Status;
  transferLeadership(to: NodeId): void;
  reportUnreachable(peer: NodeId): void;
  reportSnapshot(peer: NodeId, ok: boolean): void;
}

export function createRaftCore(config: RaftConfig, storage: Storage): RaftCore {
  return new RaftNode(config, storage);
}
