/**
 * The client's end of ProduceStream (issue 15): one long-lived stream per broker carries this client's
 * Produce requests, each with an id its answer repeats, so a request costs a message each way instead of a
 * unary call. Answers are matched by id (acks=all ones complete in high watermark order and may overtake
 * each other). A request failed whole by the broker rejects with its code and the stream stays open; a broken
 * stream (connection lost, broker shut down, client closed) fails every request in flight with a retriable
 * error, so the producer's retry and idempotence logic resends them as after a failed unary call. A broker
 * that answers UNIMPLEMENTED (an older version) is sent unary Produce calls for a while instead.
 */
import * as grpc from '@grpc/grpc-js';
import { assert, TributaryError, WIRE_LIMITS } from '@tributary/core';
import {
  asTributaryError,
  type BrokerClient,
  fromStreamAnswerError,
  type ProduceRequest,
  type ProduceResponse__Output,
  type ProduceStreamRequest,
  type ProduceStreamResponse__Output,
  unary,
} from '@tributary/protocol';
import { CLIENT_LIMITS } from './limits.js';

/** After a broker answered ProduceStream UNIMPLEMENTED, how long it is sent unary Produce calls instead. */
export const PRODUCE_STREAM_REPROBE_MS = 30_000;

type ProduceCall = grpc.ClientDuplexStream<ProduceStreamRequest, ProduceStreamResponse__Output>;

interface Pending {
  readonly resolve: (response: ProduceResponse__Output) => void;
  readonly reject: (error: TributaryError) => void;
  readonly timer: NodeJS.Timeout;
  /** Removes the request's abort listener. */
  readonly detach: () => void;
}

/** One broker's ProduceStream: opened on first use and again after it broke. */
export class ProduceStream {
  private call: ProduceCall | null = null;
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly client: BrokerClient) {}

  /** Requests sent and not answered yet (the broker bounds them: WIRE_LIMITS.produceStreamPendingRequestsMax). */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Sends one Produce request and resolves with its answer. Past `deadlineMs` it rejects REQUEST_TIMED_OUT
   * (retriable) and a late answer is ignored, as a unary call past its deadline; so it is when `signal`
   * aborts first, rejecting with the signal's reason (the stream stays open for the other requests).
   */
  produce(
    request: ProduceRequest,
    deadlineMs: number,
    signal?: AbortSignal,
  ): Promise<ProduceResponse__Output> {
    assert(deadlineMs > 0, () => `deadlineMs must be positive, got ${deadlineMs}`);
    assert(
      this.pending.size < WIRE_LIMITS.produceStreamPendingRequestsMax,
      'the producer bounds its requests in flight per broker below what a stream admits',
    );
    if (signal?.aborted === true) return Promise.reject(asTributaryError(signal.reason));
    const call = this.call ?? this.open();
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.settle(requestId)?.reject(asTributaryError(signal?.reason));
      };
      const timer = setTimeout(() => {
        this.settle(requestId)?.reject(
          new TributaryError('REQUEST_TIMED_OUT', `no Produce answer on the stream within ${deadlineMs} ms`),
        );
      }, deadlineMs);
      const detach = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(requestId, { resolve, reject, timer, detach });
      signal?.addEventListener('abort', onAbort, { once: true });
      call.write({ requestId, request });
    });
  }

  /** Ends the stream; requests in flight reject with a retriable error. */
  close(): void {
    if (this.call !== null)
      this.broken(this.call, new TributaryError('UNKNOWN', 'the client closed the stream'));
  }

  private open(): ProduceCall {
    const call = this.client.produceStream();
    call.on('data', (answer: ProduceStreamResponse__Output) => {
      if (call !== this.call) return;
      const pending = this.settle(answer.requestId);
      // An answer after its request timed out: already settled.
      if (pending === undefined) return;
      if (answer.errorCode !== '') pending.reject(fromStreamAnswerError(answer));
      else if (answer.response === null) {
        pending.reject(new TributaryError('UNKNOWN', 'Produce answer with neither response nor error'));
      } else pending.resolve(answer.response);
    });
    call.on('error', (error: unknown) => this.broken(call, asTributaryError(error)));
    call.on('end', () => this.broken(call, new TributaryError('UNKNOWN', 'the broker ended the stream')));
    this.call = call;
    return call;
  }

  /** Fails every request in flight on `call`; the next request opens a new stream. */
  private broken(call: ProduceCall, error: TributaryError): void {
    if (call !== this.call) return;
    this.call = null;
    call.cancel();
    const failure = streamFailure(error);
    for (const requestId of [...this.pending.keys()]) this.settle(requestId)?.reject(failure);
  }

  private settle(requestId: number): Pending | undefined {
    const pending = this.pending.get(requestId);
    if (pending === undefined) return undefined;
    this.pending.delete(requestId);
    clearTimeout(pending.timer);
    pending.detach();
    return pending;
  }
}

/**
 * What a request in flight on a broken stream fails with: UNIMPLEMENTED and errors the broker sent (a
 * refused authentication) as they are; a transport failure as a retriable LEADER_NOT_AVAILABLE (the code
 * an unreachable broker gets on unary calls), since the request may or may not have been appended.
 */
function streamFailure(error: TributaryError): TributaryError {
  if (isUnimplemented(error) || error.code !== 'UNKNOWN' || error.retriable) return error;
  return new TributaryError('LEADER_NOT_AVAILABLE', `the Produce stream broke: ${error.message}`, {
    cause: error,
  });
}

/** Whether a call failed because the server does not offer the method (a broker of an older version). */
export function isUnimplemented(error: unknown): boolean {
  const cause = error instanceof TributaryError ? error.cause : error;
  return (
    typeof cause === 'object' && cause !== null && 'code' in cause && cause.code === grpc.status.UNIMPLEMENTED
  );
}

/**
 * Produce to brokers by address: on that broker's streams, or unary while it does not offer them. A broker
 * gets up to CLIENT_LIMITS.inFlightPerBrokerMax streams, each request going to the one with the fewest in
 * flight: the broker's HTTP/2 receive window is per stream (grpc-js servers keep the 64 KiB default), so
 * large requests in flight together need streams of their own, as unary calls each had one. Single-record
 * requests all travel on the first. `nowMs` is the client's clock (when to offer the stream again).
 */
export class ProduceTransport {
  private readonly streams = new Map<string, ProduceStream[]>();
  /** Brokers that answered the stream UNIMPLEMENTED, with when to offer it again. */
  private readonly unaryUntilMs = new Map<string, number>();

  constructor(
    private readonly nowMs: () => number,
    /** False: always unary Produce (simple clients, comparisons). */
    private readonly useStreams: boolean,
  ) {}

  async produce(
    address: string,
    client: BrokerClient,
    request: ProduceRequest,
    deadlineMs: number,
    signal?: AbortSignal,
  ): Promise<ProduceResponse__Output> {
    if (this.streaming(address)) {
      try {
        return await this.streamTo(address, client).produce(request, deadlineMs, signal);
      } catch (error) {
        if (!isUnimplemented(error)) throw error;
        this.unaryUntilMs.set(address, this.nowMs() + PRODUCE_STREAM_REPROBE_MS);
      }
    }
    try {
      return await unary(client, 'Produce', request, {
        deadlineMs,
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      // A cancelled call fails CANCELLED: the caller's reason says why it was cancelled.
      if (signal?.aborted === true) throw asTributaryError(signal.reason);
      throw error;
    }
  }

  /** Whether requests to `address` go on its stream now. */
  streaming(address: string): boolean {
    if (!this.useStreams) return false;
    const untilMs = this.unaryUntilMs.get(address);
    return untilMs === undefined || this.nowMs() >= untilMs;
  }

  close(): void {
    for (const streams of this.streams.values()) for (const stream of streams) stream.close();
    this.streams.clear();
  }

  /** The broker's stream with the fewest requests in flight (an idle one first), opening one while below the bound. */
  private streamTo(address: string, client: BrokerClient): ProduceStream {
    let streams = this.streams.get(address);
    if (streams === undefined) {
      streams = [];
      this.streams.set(address, streams);
    }
    let least: ProduceStream | undefined;
    for (const stream of streams) if (least === undefined || stream.inFlight < least.inFlight) least = stream;
    if (
      least !== undefined &&
      (least.inFlight === 0 || streams.length >= CLIENT_LIMITS.inFlightPerBrokerMax)
    ) {
      return least;
    }
    const opened = new ProduceStream(client);
    streams.push(opened);
    return opened;
  }
}
