/**
 * The client's end of the Broker service's request streams (issue 15): ProduceStream and FetchStream carry
 * the requests of a unary method (Produce, Fetch) on long-lived calls, each request with an id its answer
 * repeats, so a request costs a message each way instead of a unary call. Answers are matched by id (they
 * may overtake each other). A request the broker fails whole rejects with its code and the stream stays
 * open; a broken stream (connection lost, broker shut down, client closed) fails every request in flight with
 * a retriable error, so callers retry, refresh metadata and fail over as after a failed unary call. A broker
 * that answers UNIMPLEMENTED (an older version) is sent the unary method for a while instead.
 *
 * A request the caller gives up (its deadline passed, its signal aborted) rejects at once; on a stream that
 * takes cancel messages (FetchStream) the broker is told, so its long poll ends. Either way the request
 * counts as in flight until its answer comes, as the broker counts it against the stream's bound.
 */
import * as grpc from '@grpc/grpc-js';
import { assert, TributaryError } from '@tributary/core';
import { asTributaryError, type BrokerClient, fromStreamAnswerError } from '@tributary/protocol';
import { CLIENT_LIMITS } from './limits.js';

/** After a broker answered a stream UNIMPLEMENTED, how long it is sent unary calls instead. */
export const STREAM_REPROBE_MS = 30_000;

/** What a stream's answer carries (ProduceStreamResponse, FetchStreamResponse). */
export interface StreamAnswer<Response> {
  readonly requestId: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly response: Response | null;
}

/** One streamed method: how to open its stream and write its messages. */
export interface StreamedMethod<Request, Response, Message> {
  /** The unary method it carries ('Produce', 'Fetch'), for messages. */
  readonly name: string;
  readonly open: (client: BrokerClient) => grpc.ClientDuplexStream<Message, StreamAnswer<Response>>;
  readonly request: (requestId: number, request: Request) => Message;
  /** The message that cancels a request; absent: the stream has none (the request is left to be answered). */
  readonly cancel?: (requestId: number) => Message;
  /** Requests the broker admits unanswered on one stream (WIRE_LIMITS). */
  readonly pendingRequestsMax: number;
}

export interface StreamRequestOptions {
  /** How long the request may take; past it the request rejects REQUEST_TIMED_OUT (retriable). */
  readonly deadlineMs: number;
  /** Gives the request up: it rejects at once with the signal's reason (on a stream or as a unary call). */
  readonly signal?: AbortSignal;
}

interface Pending<Response> {
  /** Null once the caller gave the request up: its answer is awaited only to free its place. */
  settle: ((outcome: { response: Response } | { error: TributaryError }) => void) | null;
  readonly timer: NodeJS.Timeout;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/** One stream of one broker: opened on first use and again after it broke. */
export class RequestStream<Request, Response, Message> {
  private call: grpc.ClientDuplexStream<Message, StreamAnswer<Response>> | null = null;
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending<Response>>();

  constructor(
    private readonly client: BrokerClient,
    private readonly method: StreamedMethod<Request, Response, Message>,
  ) {}

  /** Requests sent and not answered yet, given-up ones included (the broker still counts them). */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Whether one more request fits the broker's bound on this stream. */
  get hasRoom(): boolean {
    return this.pending.size < this.method.pendingRequestsMax;
  }

  /** Sends one request and resolves with its answer; see the file comment for how it fails. */
  send(request: Request, options: StreamRequestOptions): Promise<Response> {
    const { deadlineMs, signal } = options;
    assert(deadlineMs > 0, () => `deadlineMs must be positive, got ${deadlineMs}`);
    assert(this.hasRoom, () => `at most ${this.method.pendingRequestsMax} requests in flight on one stream`);
    if (signal?.aborted === true) return Promise.reject(asTributaryError(signal.reason));
    const call = this.call ?? this.open();
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const message = `no ${this.method.name} answer on the stream within ${deadlineMs} ms`;
        this.giveUp(requestId, new TributaryError('REQUEST_TIMED_OUT', message));
      }, deadlineMs);
      const onAbort = (): void => this.giveUp(requestId, asTributaryError(signal?.reason));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(requestId, {
        settle: (outcome) => ('response' in outcome ? resolve(outcome.response) : reject(outcome.error)),
        timer,
        signal,
        onAbort,
      });
      call.write(this.method.request(requestId, request));
    });
  }

  /** Ends the stream; requests in flight reject with a retriable error. */
  close(): void {
    if (this.call !== null)
      this.broken(this.call, new TributaryError('UNKNOWN', 'the client closed the stream'));
  }

  private open(): grpc.ClientDuplexStream<Message, StreamAnswer<Response>> {
    const call = this.method.open(this.client);
    call.on('data', (answer: StreamAnswer<Response>) => {
      if (call !== this.call) return;
      const pending = this.take(answer.requestId);
      // An answer to a request given up (or one this stream never sent, as a test's lost answer).
      if (pending === undefined || pending.settle === null) return;
      if (answer.errorCode !== '') pending.settle({ error: fromStreamAnswerError(answer) });
      else if (answer.response === null) {
        const message = `${this.method.name} answer with neither response nor error`;
        pending.settle({ error: new TributaryError('UNKNOWN', message) });
      } else pending.settle({ response: answer.response });
    });
    call.on('error', (error: unknown) => this.broken(call, asTributaryError(error)));
    call.on('end', () => this.broken(call, new TributaryError('UNKNOWN', 'the broker ended the stream')));
    this.call = call;
    return call;
  }

  /** The caller gives the request up: it rejects now, and the broker is told where the stream can say it. */
  private giveUp(requestId: number, error: TributaryError): void {
    const pending = this.pending.get(requestId);
    if (pending === undefined || pending.settle === null) return;
    clearTimeout(pending.timer);
    pending.signal?.removeEventListener('abort', pending.onAbort);
    const settle = pending.settle;
    pending.settle = null;
    settle({ error });
    if (this.method.cancel !== undefined && this.call !== null)
      this.call.write(this.method.cancel(requestId));
  }

  /** Fails every request in flight on `call`; the next request opens a new stream. */
  private broken(
    call: grpc.ClientDuplexStream<Message, StreamAnswer<Response>>,
    error: TributaryError,
  ): void {
    if (call !== this.call) return;
    this.call = null;
    call.cancel();
    const failure = streamFailure(this.method.name, error);
    for (const requestId of [...this.pending.keys()]) this.take(requestId)?.settle?.({ error: failure });
  }

  private take(requestId: number): Pending<Response> | undefined {
    const pending = this.pending.get(requestId);
    if (pending === undefined) return undefined;
    this.pending.delete(requestId);
    clearTimeout(pending.timer);
    pending.signal?.removeEventListener('abort', pending.onAbort);
    return pending;
  }
}

/**
 * What a request in flight on a broken stream fails with: UNIMPLEMENTED and errors the broker sent (a
 * refused authentication) as they are; a transport failure as a retriable LEADER_NOT_AVAILABLE (the code
 * an unreachable broker gets on unary calls), since the request may or may not have taken effect.
 */
function streamFailure(method: string, error: TributaryError): TributaryError {
  if (isUnimplemented(error) || error.code !== 'UNKNOWN' || error.retriable) return error;
  return new TributaryError('LEADER_NOT_AVAILABLE', `the ${method} stream broke: ${error.message}`, {
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
 * Requests of one streamed method to brokers by address: on that broker's streams, or unary while it does
 * not offer them. A broker gets up to CLIENT_LIMITS.inFlightPerBrokerMax streams, each request going to the
 * one with the fewest in flight: a grpc-js server keeps HTTP/2's default 64 KiB receive window per stream,
 * and a large answer holds up the ones behind it on its stream, so requests in flight together get streams of
 * their own, as unary calls each had one. A request finding every stream at the broker's bound goes unary.
 * `nowMs` is the client's clock (when to offer the stream again).
 */
export class StreamTransport<Request, Response, Message> {
  private readonly streams = new Map<string, RequestStream<Request, Response, Message>[]>();
  /** Brokers that answered the stream UNIMPLEMENTED, with when to offer it again. */
  private readonly unaryUntilMs = new Map<string, number>();

  constructor(
    private readonly method: StreamedMethod<Request, Response, Message>,
    private readonly options: {
      readonly nowMs: () => number;
      /** False: always the unary method (simple clients, comparisons). */
      readonly useStreams: boolean;
      /** The unary call the requests fall back to. */
      readonly unary: (
        client: BrokerClient,
        request: Request,
        options: StreamRequestOptions,
      ) => Promise<Response>;
    },
  ) {}

  async send(
    address: string,
    client: BrokerClient,
    request: Request,
    options: StreamRequestOptions,
  ): Promise<Response> {
    const stream = this.streaming(address) ? this.streamTo(address, client) : undefined;
    if (stream !== undefined) {
      try {
        return await stream.send(request, options);
      } catch (error) {
        if (!isUnimplemented(error)) throw error;
        this.unaryUntilMs.set(address, this.options.nowMs() + STREAM_REPROBE_MS);
      }
    }
    try {
      return await this.options.unary(client, request, options);
    } catch (error) {
      // A cancelled call fails CANCELLED: the caller's reason says why it was cancelled.
      if (options.signal?.aborted === true) throw asTributaryError(options.signal.reason);
      throw error;
    }
  }

  /** Whether requests to `address` go on its streams now. */
  streaming(address: string): boolean {
    if (!this.options.useStreams) return false;
    const untilMs = this.unaryUntilMs.get(address);
    return untilMs === undefined || this.options.nowMs() >= untilMs;
  }

  close(): void {
    for (const streams of this.streams.values()) for (const stream of streams) stream.close();
    this.streams.clear();
  }

  /**
   * The broker's stream with the fewest requests in flight (an idle one first), opening one while below the
   * bound; undefined when every stream is at the broker's bound.
   */
  private streamTo(
    address: string,
    client: BrokerClient,
  ): RequestStream<Request, Response, Message> | undefined {
    let streams = this.streams.get(address);
    if (streams === undefined) {
      streams = [];
      this.streams.set(address, streams);
    }
    let least: RequestStream<Request, Response, Message> | undefined;
    for (const stream of streams) if (least === undefined || stream.inFlight < least.inFlight) least = stream;
    if (
      least !== undefined &&
      (least.inFlight === 0 || streams.length >= CLIENT_LIMITS.inFlightPerBrokerMax)
    ) {
      return least.hasRoom ? least : undefined;
    }
    const opened = new RequestStream(client, this.method);
    streams.push(opened);
    return opened;
  }
}
