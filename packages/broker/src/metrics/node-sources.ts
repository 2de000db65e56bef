/**
 * The scrape sources of a broker node, read from its parts once they exist: startBroker creates the
 * metrics before the replica manager (whose AlterPartition calls they count), so every part is looked
 * up at scrape time and a part not started yet reads as empty.
 */
import type { MetadataImage } from '@tributary/metadata';
import { MetadataImage as Image } from '@tributary/metadata';
import type { GroupCoordinator } from '../group/index.js';
import type { LifecycleSnapshot } from '../lifecycle/state.js';
import type { ReplicaManagerPort } from '../node/replica-port.js';
import type { BrokerScrapeSources, GroupOffsets } from './scrape-gauges.js';

/** The node's parts, filled in by startBroker as they start. */
export interface BrokerNodeParts {
  follower?: { currentImage(): MetadataImage; appliedOffset(): number };
  lifecycle?: { snapshot(): LifecycleSnapshot };
  replicaManager?: ReplicaManagerPort;
  groupCoordinator?: GroupCoordinator | null;
}

function groupOffsets(coordinator: GroupCoordinator): GroupOffsets[] {
  const groups: GroupOffsets[] = [];
  for (const listing of coordinator.listGroups()) {
    try {
      groups.push({ groupId: listing.groupId, offsets: coordinator.fetchOffsets(listing.groupId, null) });
    } catch {
      // The group's shard moved or is loading between the listing and the fetch: skip it this scrape.
    }
  }
  return groups;
}

export function nodeScrapeSources(brokerId: number, parts: BrokerNodeParts): BrokerScrapeSources {
  return {
    brokerId,
    image: () => parts.follower?.currentImage() ?? Image.EMPTY,
    appliedMetadataOffset: () => parts.follower?.appliedOffset() ?? -1,
    lifecycle: () => parts.lifecycle?.snapshot() ?? { status: 'unregistered', brokerEpoch: undefined },
    leaderPartitions: () => parts.replicaManager?.leaderPartitions() ?? [],
    partitionReplica: (topic, partition) => parts.replicaManager?.partitionReplica?.(topic, partition),
    replicationThrottle: () => parts.replicaManager?.replicationThrottleStats?.(),
    logCleaner: () => parts.replicaManager?.logCleanerStats?.(),
    logDirs: () => parts.replicaManager?.logDirStatus?.(),
    groups: () => {
      const coordinator = parts.groupCoordinator;
      return coordinator === undefined || coordinator === null ? [] : groupOffsets(coordinator);
    },
  };
}
