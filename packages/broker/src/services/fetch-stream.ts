/**
 * FetchStream (issue 15): consumer Fetch over long-lived streams. Every request on it is served exactly as a
 * unary Fetch (access rule per message, readiness gate, validation, KIP-219 hold-back, quota accounting and
 * throttle_time_ms, the long poll up to max_wait_ms) and answered with its id as it completes, so answers may
 * overtake each other. A request that fails whole is answered with its code and the stream stays open. A
 * cancel message ends the long poll of the request it names; a stream that ends (the client cancels it, the
 * connection breaks, the broker shuts down) ends the long polls of all its requests, so no waiter outlives
 * its client. Requests unanswered on one stream are bounded (WIRE_LIMITS.fetchStreamPendingRequestsMax).
 */
import type * as grpc from '@grpc/grpc-js';
import { WIRE_LIMITS } from '@tributary/core';
import {
  type FetchRequest__Output,
  type FetchResponse,
  type FetchStreamRequest__Output,
  type FetchStreamResponse,
  guardStreamMessage,
  requireMessage,
  serveRequestStream,
} from '@tributary/protocol';

/** Serves one Fetch request for a client (the unary handler's body, shared by both transports). */
export type FetchServer = (
  request: FetchRequest__Output,
  call: { getPeer(): string; readonly metadata: grpc.Metadata },
  /** Aborts when nobody waits for the answer any more: the long poll ends. */
  signal: AbortSignal,
) => Promise<FetchResponse>;

export function handleFetchStream(
  call: grpc.ServerDuplexStream<FetchStreamRequest__Output, FetchStreamResponse>,
  options: {
    readonly fetch: FetchServer;
    /** Refuses every request while the broker is not ready (gateUnaryService's refusal, per request). */
    readonly refusal?: () => Error | undefined;
    /** Requests unanswered on one stream; WIRE_LIMITS.fetchStreamPendingRequestsMax unless a test sets one. */
    readonly pendingRequestsMax?: number;
    readonly onUnexpectedError: (error: unknown) => void;
  },
): void {
  serveRequestStream<FetchStreamRequest__Output, FetchStreamResponse>(call, {
    handle: async (message, signal) => {
      const refused = options.refusal?.();
      if (refused !== undefined) throw refused;
      const request = requireMessage(message.request, 'request');
      const guarded = guardStreamMessage<FetchRequest__Output, FetchResponse>(call, request);
      const answer = (response: FetchResponse): FetchStreamResponse => ({
        requestId: message.requestId,
        errorCode: '',
        errorMessage: '',
        response,
      });
      if ('answer' in guarded) return answer(guarded.answer);
      const response = await options.fetch(guarded.request, call, signal);
      return answer(guarded.finish === undefined ? response : guarded.finish(response));
    },
    failed: (message, error) => ({ requestId: message.requestId, ...error, response: null }),
    order: 'concurrent',
    pendingRequestsMax: options.pendingRequestsMax ?? WIRE_LIMITS.fetchStreamPendingRequestsMax,
    cancellation: { isCancel: (message) => message.cancel, idOf: (message) => message.requestId },
    onUnexpectedError: options.onUnexpectedError,
  });
}
