// Original file: protos/tributary/v1/raft.proto

export const RaftEntryType = {
  RAFT_ENTRY_TYPE_NORMAL: 'RAFT_ENTRY_TYPE_NORMAL',
  /**
   * The no-op a new leader appends (Raft §8): commits earlier terms' entries and marks leader changes.
   */
  RAFT_ENTRY_TYPE_LEADER_CHANGE: 'RAFT_ENTRY_TYPE_LEADER_CHANGE',
} as const;

export type RaftEntryType =
  | 'RAFT_ENTRY_TYPE_NORMAL'
  | 0
  /**
   * The no-op a new leader appends (Raft §8): commits earlier terms' entries and marks leader changes.
   */
  | 'RAFT_ENTRY_TYPE_LEADER_CHANGE'
  | 1

export type RaftEntryType__Output = typeof RaftEntryType[keyof typeof RaftEntryType]
