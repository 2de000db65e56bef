// Original file: protos/tributary/v1/controller.proto

import type { TopicListing as _tributary_v1_TopicListing, TopicListing__Output as _tributary_v1_TopicListing__Output } from '../../tributary/v1/TopicListing.js';

export interface ListTopicsResponse {
  'topics'?: (_tributary_v1_TopicListing)[];
}

export interface ListTopicsResponse__Output {
  'topics': (_tributary_v1_TopicListing__Output)[];
}
