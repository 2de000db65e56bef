/**
 * ProduceStream (issue 15): Produce over one long-lived stream per client and broker. Every request on it is
 * served exactly as a unary Produce (access rule, readiness gate, validation, KIP-219 hold-back, the
 * broker-wide in-flight bytes bound, quota accounting and throttle_time_ms), and answered with its id as it
 * completes: acks=all answers complete in high watermark order, so they may overtake each other across
 * partitions. A request that fails whole is answered with its code and the stream stays open. Each stream
 * also bounds its own in-flight bytes (WIRE_LIMITS.produceStreamInFlightBytesMax), so one client's stream
 * cannot take the whole broker-wide budget.
 */
import type * as grpc from '@grpc/grpc-js';
import { WIRE_LIMITS } from '@tributary/core';
import {
  guardStreamMessage,
  type ProduceRequest__Output,
  type ProduceResponse,
  type ProduceStreamRequest__Output,
  type ProduceStreamResponse,
  requireMessage,
  serveRequestStream,
} from '@tributary/protocol';
import { InFlightBytes } from './in-flight-bytes.js';

/** Serves one Produce request for a client (the unary handler's body, shared by both transports). */
export type ProduceServer = (
  request: ProduceRequest__Output,
  call: { getPeer(): string; readonly metadata: grpc.Metadata },
  streamInFlight?: InFlightBytes,
) => Promise<ProduceResponse>;

export function handleProduceStream(
  call: grpc.ServerDuplexStream<ProduceStreamRequest__Output, ProduceStreamResponse>,
  options: {
    readonly produce: ProduceServer;
    /** Refuses every request while the broker is not ready (gateUnaryService's refusal, per request). */
    readonly refusal?: () => Error | undefined;
    /** The per-stream in-flight bound; WIRE_LIMITS.produceStreamInFlightBytesMax unless a test sets one. */
    readonly inFlightBytesMax?: number;
    readonly onUnexpectedError: (error: unknown) => void;
  },
): void {
  const streamInFlight = new InFlightBytes(
    options.inFlightBytesMax ?? WIRE_LIMITS.produceStreamInFlightBytesMax,
    'produce stream',
  );
  serveRequestStream<ProduceStreamRequest__Output, ProduceStreamResponse>(call, {
    handle: async (message) => {
      const refused = options.refusal?.();
      if (refused !== undefined) throw refused;
      const request = requireMessage(message.request, 'request');
      const guarded = guardStreamMessage<ProduceRequest__Output, ProduceResponse>(call, request);
      const answer = (response: ProduceResponse): ProduceStreamResponse => ({
        requestId: message.requestId,
        errorCode: '',
        errorMessage: '',
        response,
      });
      if ('answer' in guarded) return answer(guarded.answer);
      const response = await options.produce(guarded.request, call, streamInFlight);
      return answer(guarded.finish === undefined ? response : guarded.finish(response));
    },
    failed: (message, error) => ({ requestId: message.requestId, ...error, response: null }),
    order: 'concurrent',
    pendingRequestsMax: WIRE_LIMITS.produceStreamPendingRequestsMax,
    onUnexpectedError: options.onUnexpectedError,
  });
}
