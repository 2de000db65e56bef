import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { BrokerInfo as _tributary_v1_BrokerInfo, BrokerInfo__Output as _tributary_v1_BrokerInfo__Output } from './tributary/v1/BrokerInfo.js';
import type { PartitionInfo as _tributary_v1_PartitionInfo, PartitionInfo__Output as _tributary_v1_PartitionInfo__Output } from './tributary/v1/PartitionInfo.js';
import type { TopicConfigEntry as _tributary_v1_TopicConfigEntry, TopicConfigEntry__Output as _tributary_v1_TopicConfigEntry__Output } from './tributary/v1/TopicConfigEntry.js';
import type { TopicInfo as _tributary_v1_TopicInfo, TopicInfo__Output as _tributary_v1_TopicInfo__Output } from './tributary/v1/TopicInfo.js';
import type { TopicPartitionRef as _tributary_v1_TopicPartitionRef, TopicPartitionRef__Output as _tributary_v1_TopicPartitionRef__Output } from './tributary/v1/TopicPartitionRef.js';

type SubtypeConstructor<Constructor extends new (...args: never[]) => unknown, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tributary: {
    v1: {
      BrokerInfo: MessageTypeDefinition<_tributary_v1_BrokerInfo, _tributary_v1_BrokerInfo__Output>
      PartitionInfo: MessageTypeDefinition<_tributary_v1_PartitionInfo, _tributary_v1_PartitionInfo__Output>
      TopicConfigEntry: MessageTypeDefinition<_tributary_v1_TopicConfigEntry, _tributary_v1_TopicConfigEntry__Output>
      TopicInfo: MessageTypeDefinition<_tributary_v1_TopicInfo, _tributary_v1_TopicInfo__Output>
      TopicPartitionRef: MessageTypeDefinition<_tributary_v1_TopicPartitionRef, _tributary_v1_TopicPartitionRef__Output>
    }
  }
}

