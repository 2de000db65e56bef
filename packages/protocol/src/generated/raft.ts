import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { RaftClient as _tributary_v1_RaftClient, RaftDefinition as _tributary_v1_RaftDefinition } from './tributary/v1/Raft.js';
import type { RaftEntry as _tributary_v1_RaftEntry, RaftEntry__Output as _tributary_v1_RaftEntry__Output } from './tributary/v1/RaftEntry.js';
import type { RaftMemberAddress as _tributary_v1_RaftMemberAddress, RaftMemberAddress__Output as _tributary_v1_RaftMemberAddress__Output } from './tributary/v1/RaftMemberAddress.js';
import type { RaftMessage as _tributary_v1_RaftMessage, RaftMessage__Output as _tributary_v1_RaftMessage__Output } from './tributary/v1/RaftMessage.js';
import type { RaftMessageBatch as _tributary_v1_RaftMessageBatch, RaftMessageBatch__Output as _tributary_v1_RaftMessageBatch__Output } from './tributary/v1/RaftMessageBatch.js';
import type { RaftSnapshotChunk as _tributary_v1_RaftSnapshotChunk, RaftSnapshotChunk__Output as _tributary_v1_RaftSnapshotChunk__Output } from './tributary/v1/RaftSnapshotChunk.js';
import type { RaftSnapshotMeta as _tributary_v1_RaftSnapshotMeta, RaftSnapshotMeta__Output as _tributary_v1_RaftSnapshotMeta__Output } from './tributary/v1/RaftSnapshotMeta.js';
import type { RaftStepResponse as _tributary_v1_RaftStepResponse, RaftStepResponse__Output as _tributary_v1_RaftStepResponse__Output } from './tributary/v1/RaftStepResponse.js';

type SubtypeConstructor<Constructor extends new (...args: never[]) => unknown, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tributary: {
    v1: {
      /**
       * Raft between controllers. The core (packages/raft) is pure; this is only its transport.
       * Messages are batched per peer; snapshots travel as a client stream of chunks because a metadata
       * image can exceed one gRPC message.
       */
      Raft: SubtypeConstructor<typeof grpc.Client, _tributary_v1_RaftClient> & { service: _tributary_v1_RaftDefinition }
      RaftEntry: MessageTypeDefinition<_tributary_v1_RaftEntry, _tributary_v1_RaftEntry__Output>
      RaftEntryType: EnumTypeDefinition
      RaftMemberAddress: MessageTypeDefinition<_tributary_v1_RaftMemberAddress, _tributary_v1_RaftMemberAddress__Output>
      RaftMessage: MessageTypeDefinition<_tributary_v1_RaftMessage, _tributary_v1_RaftMessage__Output>
      RaftMessageBatch: MessageTypeDefinition<_tributary_v1_RaftMessageBatch, _tributary_v1_RaftMessageBatch__Output>
      RaftMessageType: EnumTypeDefinition
      RaftSnapshotChunk: MessageTypeDefinition<_tributary_v1_RaftSnapshotChunk, _tributary_v1_RaftSnapshotChunk__Output>
      RaftSnapshotMeta: MessageTypeDefinition<_tributary_v1_RaftSnapshotMeta, _tributary_v1_RaftSnapshotMeta__Output>
      RaftStepResponse: MessageTypeDefinition<_tributary_v1_RaftStepResponse, _tributary_v1_RaftStepResponse__Output>
    }
  }
}

