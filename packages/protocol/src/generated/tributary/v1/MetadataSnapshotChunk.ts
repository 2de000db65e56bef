// Original file: protos/tributary/v1/controller.proto

import type { Long } from '@grpc/proto-loader';

export interface MetadataSnapshotChunk {
  'snapshotOffset'?: (number | string | Long);
  'snapshotTerm'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
  'last'?: (boolean);
}

export interface MetadataSnapshotChunk__Output {
  'snapshotOffset': (number);
  'snapshotTerm': (number);
  'data': (Buffer);
  'last': (boolean);
}
