// Original file: protos/tributary/v1/controller.proto

import type { ClientQuotaDescription as _tributary_v1_ClientQuotaDescription, ClientQuotaDescription__Output as _tributary_v1_ClientQuotaDescription__Output } from '../../tributary/v1/ClientQuotaDescription.js';

export interface DescribeClientQuotasResponse {
  'entries'?: (_tributary_v1_ClientQuotaDescription)[];
}

export interface DescribeClientQuotasResponse__Output {
  'entries': (_tributary_v1_ClientQuotaDescription__Output)[];
}
