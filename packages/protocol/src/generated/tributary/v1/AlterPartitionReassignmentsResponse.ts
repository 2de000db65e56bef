// Original file: protos/tributary/v1/controller.proto

import type { ReassignmentResult as _tributary_v1_ReassignmentResult, ReassignmentResult__Output as _tributary_v1_ReassignmentResult__Output } from '../../tributary/v1/ReassignmentResult.js';

export interface AlterPartitionReassignmentsResponse {
  'results'?: (_tributary_v1_ReassignmentResult)[];
}

export interface AlterPartitionReassignmentsResponse__Output {
  'results': (_tributary_v1_ReassignmentResult__Output)[];
}
