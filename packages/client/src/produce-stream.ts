/**
 * The client's end of ProduceStream (issue 15): one long-lived stream per broker (up to
 * CLIENT_LIMITS.inFlightPerBrokerMax while requests are in flight together) carries this client's Produce
 * requests, as request-streams.ts describes. A broken stream fails every request in flight with a retriable
 * error, so the producer's retry and idempotence logic resends them as after a failed unary call; a request
 * past its deadline, or whose signal aborts (the leader watch saw the partition move), is given up and its late
 * answer ignored, as a unary call past its deadline or cancelled.
 */
import { WIRE_LIMITS } from '@tributary/core';
import {
  type BrokerClient,
  type ProduceRequest,
  type ProduceResponse__Output,
  type ProduceStreamRequest,
  unary,
} from '@tributary/protocol';
import { RequestStream, type StreamedMethod, StreamTransport } from './request-streams.js';

export const PRODUCE_STREAM: StreamedMethod<ProduceRequest, ProduceResponse__Output, ProduceStreamRequest> = {
  name: 'Produce',
  open: (client) => client.produceStream(),
  request: (requestId, request) => ({ requestId, request }),
  pendingRequestsMax: WIRE_LIMITS.produceStreamPendingRequestsMax,
};

/** One broker's ProduceStream: opened on first use and again after it broke. */
export class ProduceStream extends RequestStream<
  ProduceRequest,
  ProduceResponse__Output,
  ProduceStreamRequest
> {
  constructor(client: BrokerClient) {
    super(client, PRODUCE_STREAM);
  }

  /**
   * Past `deadlineMs` the request rejects REQUEST_TIMED_OUT (retriable) and a late answer is ignored; so it is
   * when `signal` aborts first, rejecting with the signal's reason (the stream stays open for the others).
   */
  produce(
    request: ProduceRequest,
    deadlineMs: number,
    signal?: AbortSignal,
  ): Promise<ProduceResponse__Output> {
    return this.send(request, { deadlineMs, ...(signal === undefined ? {} : { signal }) });
  }
}

/** Produce to brokers by address: on that broker's streams, or unary Produce while it does not offer them. */
export class ProduceTransport extends StreamTransport<
  ProduceRequest,
  ProduceResponse__Output,
  ProduceStreamRequest
> {
  constructor(nowMs: () => number, useStreams: boolean) {
    super(PRODUCE_STREAM, {
      nowMs,
      useStreams,
      unary: (client, request, options) => unary(client, 'Produce', request, options),
    });
  }

  produce(
    address: string,
    client: BrokerClient,
    request: ProduceRequest,
    deadlineMs: number,
    signal?: AbortSignal,
  ): Promise<ProduceResponse__Output> {
    return this.send(address, client, request, { deadlineMs, ...(signal === undefined ? {} : { signal }) });
  }
}
