/** The replica manager startBroker opens unless a test injects another: packages/broker/src/replica. */
import { ReplicaManager } from '../replica/index.js';
import type { OpenReplicaManager } from './replica-port.js';

export const openDefaultReplicaManager: OpenReplicaManager = ({
  logCleaner,
  defaultFlushOnAck,
  retentionCheckIntervalMs,
  ...deps
}) =>
  ReplicaManager.open({
    ...deps,
    config: {
      ...(logCleaner === undefined ? {} : { logCleaner }),
      ...(defaultFlushOnAck === undefined ? {} : { defaultFlushOnAck }),
      ...(retentionCheckIntervalMs === undefined ? {} : { retentionCheckIntervalMs }),
    },
  });
