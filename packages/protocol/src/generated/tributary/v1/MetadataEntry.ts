// Original file: protos/tributary/v1/controller.proto

import type { Long } from '@grpc/proto-loader';

export interface MetadataEntry {
  'offset'?: (number | string | Long);
  'term'?: (number | string | Long);
  /**
   * The encoded metadata records of one Raft entry (packages/metadata codec); empty for a no-op.
   */
  'records'?: (Buffer | Uint8Array | string)[];
  'leaderChange'?: (boolean);
  /**
   * Set when this entry changes the controller quorum (a Raft membership entry, no records): the new
   * membership as JSON {voters, learners, addresses}. Brokers ignore it; `trib metadata log` shows it.
   */
  'quorumMembership'?: (string);
}

export interface MetadataEntry__Output {
  'offset': (number);
  'term': (number);
  /**
   * The encoded metadata records of one Raft entry (packages/metadata codec); empty for a no-op.
   */
  'records': (Buffer)[];
  'leaderChange': (boolean);
  /**
   * Set when this entry changes the controller quorum (a Raft membership entry, no records): the new
   * membership as JSON {voters, learners, addresses}. Brokers ignore it; `trib metadata log` shows it.
   */
  'quorumMembership': (string);
}
