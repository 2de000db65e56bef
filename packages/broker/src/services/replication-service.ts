/** The broker-to-broker Replication service (DESIGN §6): validated ReplicaFetch for the replica manager. */
import {
  handleUnary,
  type ReplicaFetchPartitionResult,
  type ReplicaFetchRequest__Output,
  type ReplicationHandlers,
} from '@tributary/protocol';
import type { Logger } from 'pino';
import { validateReplicaFetchRequest } from './validate.js';

/** The part of the replica manager the Replication service uses. */
export interface ReplicationDataPlane {
  replicaFetch(request: ReplicaFetchRequest__Output): Promise<ReplicaFetchPartitionResult[]>;
}

export function createReplicationHandlers(options: {
  readonly dataPlane: ReplicationDataPlane;
  readonly logger: Logger;
}): ReplicationHandlers {
  const { dataPlane, logger } = options;
  return {
    ReplicaFetch: handleUnary(
      async (request: ReplicaFetchRequest__Output) => {
        validateReplicaFetchRequest(request);
        return { results: await dataPlane.replicaFetch(request) };
      },
      { onUnexpectedError: (error: unknown) => logger.error({ err: error }, 'replication handler failed') },
    ),
  };
}
