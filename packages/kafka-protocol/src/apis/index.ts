/** Every API this codec implements, and the registry the listener dispatches on. */
import type { ApiDefinition } from '../api.js';
import { ApiVersions } from './api-versions.js';
import { DeleteRecords } from './delete-records.js';
import { DescribeCluster } from './describe-cluster.js';
import { Fetch } from './fetch.js';
import { InitProducerId } from './init-producer-id.js';
import { ListOffsets } from './list-offsets.js';
import { Metadata } from './metadata.js';
import { OffsetForLeaderEpoch } from './offset-for-leader-epoch.js';
import { Produce } from './produce.js';

export { ApiVersions } from './api-versions.js';
export { DeleteRecords } from './delete-records.js';
export { DescribeCluster } from './describe-cluster.js';
export { Fetch } from './fetch.js';
export { InitProducerId } from './init-producer-id.js';
export { ListOffsets } from './list-offsets.js';
export { Metadata } from './metadata.js';
export { OffsetForLeaderEpoch } from './offset-for-leader-epoch.js';
export { Produce } from './produce.js';

/** The implemented APIs by key. */
export const KAFKA_APIS: ReadonlyMap<number, ApiDefinition> = new Map<number, ApiDefinition>(
  [
    ApiVersions as unknown as ApiDefinition,
    Produce as unknown as ApiDefinition,
    Fetch as unknown as ApiDefinition,
    ListOffsets as unknown as ApiDefinition,
    Metadata as unknown as ApiDefinition,
    DeleteRecords as unknown as ApiDefinition,
    InitProducerId as unknown as ApiDefinition,
    OffsetForLeaderEpoch as unknown as ApiDefinition,
    DescribeCluster as unknown as ApiDefinition,
  ].map((api) => [api.key, api]),
);
