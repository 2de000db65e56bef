/**
 * The client's end of FetchStream (issue 15): consumer Fetch requests on long-lived streams per broker, as
 * request-streams.ts describes, instead of a unary call each. A fetch the consumer gives up (it stops, or the
 * request's deadline passes) is cancelled on the stream, so the broker ends its long poll at once. A broken
 * stream fails its fetches with a retriable error: the consumer refreshes metadata and fetches from the
 * partition's new leader, as after a failed unary Fetch.
 */
import { WIRE_LIMITS } from '@tributary/core';
import {
  type BrokerClient,
  type FetchRequest,
  type FetchResponse__Output,
  type FetchStreamRequest,
  unary,
} from '@tributary/protocol';
import type { StreamedMethod, StreamRequestOptions } from './request-streams.js';
import { StreamTransport } from './request-streams.js';

export const FETCH_STREAM: StreamedMethod<FetchRequest, FetchResponse__Output, FetchStreamRequest> = {
  name: 'Fetch',
  open: (client) => client.fetchStream(),
  request: (requestId, request) => ({ requestId, request }),
  cancel: (requestId) => ({ requestId, cancel: true }),
  pendingRequestsMax: WIRE_LIMITS.fetchStreamPendingRequestsMax,
};

/** Fetch from brokers by address: on that broker's streams, or unary Fetch while it does not offer them. */
export class FetchTransport extends StreamTransport<FetchRequest, FetchResponse__Output, FetchStreamRequest> {
  constructor(nowMs: () => number, useStreams: boolean) {
    super(FETCH_STREAM, {
      nowMs,
      useStreams,
      unary: (client, request, options) => unary(client, 'Fetch', request, options),
    });
  }

  fetch(
    address: string,
    client: BrokerClient,
    request: FetchRequest,
    options: StreamRequestOptions,
  ): Promise<FetchResponse__Output> {
    return this.send(address, client, request, options);
  }
}
