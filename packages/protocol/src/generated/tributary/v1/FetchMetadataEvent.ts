// Original file: protos/tributary/v1/controller.proto

import type { MetadataSnapshotChunk as _tributary_v1_MetadataSnapshotChunk, MetadataSnapshotChunk__Output as _tributary_v1_MetadataSnapshotChunk__Output } from '../../tributary/v1/MetadataSnapshotChunk.js';
import type { MetadataEntry as _tributary_v1_MetadataEntry, MetadataEntry__Output as _tributary_v1_MetadataEntry__Output } from '../../tributary/v1/MetadataEntry.js';
import type { Long } from '@grpc/proto-loader';

export interface FetchMetadataEvent {
  'snapshot'?: (_tributary_v1_MetadataSnapshotChunk | null);
  'entry'?: (_tributary_v1_MetadataEntry | null);
  /**
   * The committed offset (high watermark) when this event was sent.
   */
  'highWatermark'?: (number | string | Long);
  'event'?: "snapshot"|"entry";
}

export interface FetchMetadataEvent__Output {
  'snapshot'?: (_tributary_v1_MetadataSnapshotChunk__Output | null);
  'entry'?: (_tributary_v1_MetadataEntry__Output | null);
  /**
   * The committed offset (high watermark) when this event was sent.
   */
  'highWatermark': (number);
  'event'?: "snapshot"|"entry";
}
