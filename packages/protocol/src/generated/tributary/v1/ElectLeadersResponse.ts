// Original file: protos/tributary/v1/controller.proto

import type { ElectLeadersResult as _tributary_v1_ElectLeadersResult, ElectLeadersResult__Output as _tributary_v1_ElectLeadersResult__Output } from '../../tributary/v1/ElectLeadersResult.js';

export interface ElectLeadersResponse {
  'results'?: (_tributary_v1_ElectLeadersResult)[];
}

export interface ElectLeadersResponse__Output {
  'results': (_tributary_v1_ElectLeadersResult__Output)[];
}
