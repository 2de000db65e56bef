// Original file: protos/tributary/v1/broker.proto

import type { ListOffsetsTopic as _tributary_v1_ListOffsetsTopic, ListOffsetsTopic__Output as _tributary_v1_ListOffsetsTopic__Output } from '../../tributary/v1/ListOffsetsTopic.js';

export interface ListOffsetsRequest {
  'topics'?: (_tributary_v1_ListOffsetsTopic)[];
  /**
   * As in FetchRequest: with 1 (read_committed), latest (-1) is the last stable offset.
   */
  'isolationLevel'?: (number);
  '_isolationLevel'?: "isolationLevel";
}

export interface ListOffsetsRequest__Output {
  'topics': (_tributary_v1_ListOffsetsTopic__Output)[];
  /**
   * As in FetchRequest: with 1 (read_committed), latest (-1) is the last stable offset.
   */
  'isolationLevel'?: (number);
  '_isolationLevel'?: "isolationLevel";
}
