/**
 * The broker-to-broker Replication service (DESIGN §6): validated ReplicaFetch for the replica manager, as a
 * unary call or as a long-lived ReplicaFetchStream (issue 15) whose every request is checked, validated and
 * answered exactly as a unary ReplicaFetch would be (a request that fails is answered with its error code and
 * the stream stays open).
 */
import { WIRE_LIMITS } from '@tributary/core';
import {
  guardStreamMessage,
  handleUnary,
  type ReplicaFetchPartitionResult,
  type ReplicaFetchRequest__Output,
  type ReplicaFetchResponse,
  type ReplicaFetchStreamResponse,
  type ReplicationHandlers,
  serveRequestStream,
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
  const onUnexpectedError = (error: unknown) => logger.error({ err: error }, 'replication handler failed');
  const replicaFetch = async (request: ReplicaFetchRequest__Output): Promise<ReplicaFetchResponse> => {
    validateReplicaFetchRequest(request);
    return { results: await dataPlane.replicaFetch(request) };
  };
  return {
    ReplicaFetch: handleUnary(replicaFetch, { onUnexpectedError }),
    ReplicaFetchStream: (call) =>
      serveRequestStream<ReplicaFetchRequest__Output, ReplicaFetchStreamResponse>(call, {
        handle: async (request) => {
          const guarded = guardStreamMessage<ReplicaFetchRequest__Output, ReplicaFetchResponse>(
            call,
            request,
          );
          // A cluster rule never answers for the handler; it throws its denial.
          if ('answer' in guarded) return { errorCode: '', errorMessage: '', response: guarded.answer };
          return { errorCode: '', errorMessage: '', response: await replicaFetch(guarded.request) };
        },
        failed: (_request, error) => ({ ...error, response: null }),
        order: 'serial',
        pendingRequestsMax: WIRE_LIMITS.replicaFetchStreamPendingRequestsMax,
        onUnexpectedError,
      }),
  };
}
