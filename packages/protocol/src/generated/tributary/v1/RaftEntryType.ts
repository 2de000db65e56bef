// Original file: protos/tributary/v1/raft.proto

export const RaftEntryType = {
  RAFT_ENTRY_TYPE_NORMAL: 'RAFT_ENTRY_TYPE_NORMAL',
  /**
   * The no-op a new leader appends (Raft §8): commits earlier terms' entries and marks leader changes.
   */
  RAFT_ENTRY_TYPE_LEADER_CHANGE: 'RAFT_ENTRY_TYPE_LEADER_CHANGE',
  /**
   * A controller quorum membership change (one server at a time, Raft thesis §4.1): `data` is the whole
   * new membership (voters, learners, addresses) as packages/raft encodes it. In force once appended.
   */
  RAFT_ENTRY_TYPE_MEMBERSHIP: 'RAFT_ENTRY_TYPE_MEMBERSHIP',
} as const;

export type RaftEntryType =
  | 'RAFT_ENTRY_TYPE_NORMAL'
  | 0
  /**
   * The no-op a new leader appends (Raft §8): commits earlier terms' entries and marks leader changes.
   */
  | 'RAFT_ENTRY_TYPE_LEADER_CHANGE'
  | 1
  /**
   * A controller quorum membership change (one server at a time, Raft thesis §4.1): `data` is the whole
   * new membership (voters, learners, addresses) as packages/raft encodes it. In force once appended.
   */
  | 'RAFT_ENTRY_TYPE_MEMBERSHIP'
  | 2

export type RaftEntryType__Output = typeof RaftEntryType[keyof typeof RaftEntryType]
