// Original file: protos/tributary/v1/replication.proto

import type { Long } from '@grpc/proto-loader';

export interface ReplicaFetchPartition {
  'topic'?: (string);
  'partition'?: (number);
  'fetchOffset'?: (number | string | Long);
  /**
   * The epoch of the last batch the follower holds before fetch_offset (-1 none): the leader answers with a
   * diverging epoch when its log differs there, so the follower truncates before fetching.
   */
  'lastFetchedEpoch'?: (number);
  'currentLeaderEpoch'?: (number);
  /**
   * The follower's log start offset: a DeleteRecords waits until every in-sync follower reports its own.
   */
  'logStartOffset'?: (number | string | Long);
}

export interface ReplicaFetchPartition__Output {
  'topic': (string);
  'partition': (number);
  'fetchOffset': (number);
  /**
   * The epoch of the last batch the follower holds before fetch_offset (-1 none): the leader answers with a
   * diverging epoch when its log differs there, so the follower truncates before fetching.
   */
  'lastFetchedEpoch': (number);
  'currentLeaderEpoch': (number);
  /**
   * The follower's log start offset: a DeleteRecords waits until every in-sync follower reports its own.
   */
  'logStartOffset': (number);
}
