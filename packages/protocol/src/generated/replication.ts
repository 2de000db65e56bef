import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { DivergingEpoch as _tributary_v1_DivergingEpoch, DivergingEpoch__Output as _tributary_v1_DivergingEpoch__Output } from './tributary/v1/DivergingEpoch.js';
import type { ReplicaFetchPartition as _tributary_v1_ReplicaFetchPartition, ReplicaFetchPartition__Output as _tributary_v1_ReplicaFetchPartition__Output } from './tributary/v1/ReplicaFetchPartition.js';
import type { ReplicaFetchPartitionResult as _tributary_v1_ReplicaFetchPartitionResult, ReplicaFetchPartitionResult__Output as _tributary_v1_ReplicaFetchPartitionResult__Output } from './tributary/v1/ReplicaFetchPartitionResult.js';
import type { ReplicaFetchRequest as _tributary_v1_ReplicaFetchRequest, ReplicaFetchRequest__Output as _tributary_v1_ReplicaFetchRequest__Output } from './tributary/v1/ReplicaFetchRequest.js';
import type { ReplicaFetchResponse as _tributary_v1_ReplicaFetchResponse, ReplicaFetchResponse__Output as _tributary_v1_ReplicaFetchResponse__Output } from './tributary/v1/ReplicaFetchResponse.js';
import type { ReplicaFetchStreamResponse as _tributary_v1_ReplicaFetchStreamResponse, ReplicaFetchStreamResponse__Output as _tributary_v1_ReplicaFetchStreamResponse__Output } from './tributary/v1/ReplicaFetchStreamResponse.js';
import type { ReplicationClient as _tributary_v1_ReplicationClient, ReplicationDefinition as _tributary_v1_ReplicationDefinition } from './tributary/v1/Replication.js';

type SubtypeConstructor<Constructor extends new (...args: never[]) => unknown, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tributary: {
    v1: {
      DivergingEpoch: MessageTypeDefinition<_tributary_v1_DivergingEpoch, _tributary_v1_DivergingEpoch__Output>
      ReplicaFetchPartition: MessageTypeDefinition<_tributary_v1_ReplicaFetchPartition, _tributary_v1_ReplicaFetchPartition__Output>
      ReplicaFetchPartitionResult: MessageTypeDefinition<_tributary_v1_ReplicaFetchPartitionResult, _tributary_v1_ReplicaFetchPartitionResult__Output>
      ReplicaFetchRequest: MessageTypeDefinition<_tributary_v1_ReplicaFetchRequest, _tributary_v1_ReplicaFetchRequest__Output>
      ReplicaFetchResponse: MessageTypeDefinition<_tributary_v1_ReplicaFetchResponse, _tributary_v1_ReplicaFetchResponse__Output>
      ReplicaFetchStreamResponse: MessageTypeDefinition<_tributary_v1_ReplicaFetchStreamResponse, _tributary_v1_ReplicaFetchStreamResponse__Output>
      /**
       * Broker-to-broker replication: followers pull from the leader (DESIGN §6). Apart from broker.proto so that
       * the data plane between brokers can change without touching the client-facing services.
       */
      Replication: SubtypeConstructor<typeof grpc.Client, _tributary_v1_ReplicationClient> & { service: _tributary_v1_ReplicationDefinition }
    }
  }
}

