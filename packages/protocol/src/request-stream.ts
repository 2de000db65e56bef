/**
 * Streams of requests (issue 15): one long-lived bidirectional call carries many requests of a unary method
 * (ReplicaFetchStream, ProduceStream, FetchStream), each answered on the same stream. A request that fails is
 * answered with its error code and message, as a unary call's status would carry them, and the stream stays
 * open: only a broken transport, the client's cancel or a client that breaks the protocol ends it. Each
 * request's handler gets a signal that aborts when the stream ends before its answer (or, on streams that
 * have them, when a cancel message names it), so a long poll stops waiting for a client that is gone.
 */
import type * as grpc from '@grpc/grpc-js';
import { assert, ERROR_CODES, type ErrorCode, TributaryError } from '@tributary/core';
import { asTributaryError, boundedDetails, toServiceError } from './errors.js';

/** A whole request's failure on a stream: what a unary call's trailers would say. */
export interface StreamAnswerError {
  readonly errorCode: string;
  readonly errorMessage: string;
}

/**
 * The error answer for anything a stream's request handler threw. TributaryErrors keep their code; anything
 * else is a bug (reported through `onUnexpectedError`) answered UNKNOWN with one line, as toServiceError does.
 */
export function streamAnswerError(
  error: unknown,
  onUnexpectedError?: (error: unknown) => void,
): StreamAnswerError {
  if (!(error instanceof TributaryError)) {
    try {
      onUnexpectedError?.(error);
    } catch {
      // A failing logger must not stop the answer.
    }
  }
  const tributary = asTributaryError(error);
  const firstLine = tributary.message.split('\n', 1)[0] ?? '';
  return { errorCode: tributary.code, errorMessage: boundedDetails(firstLine) };
}

/** The TributaryError a stream answer with an error code stands for (an unknown code is UNKNOWN). */
export function fromStreamAnswerError(answer: StreamAnswerError): TributaryError {
  const code: ErrorCode = answer.errorCode in ERROR_CODES ? (answer.errorCode as ErrorCode) : 'UNKNOWN';
  return new TributaryError(code, answer.errorMessage || ERROR_CODES[code].message);
}

export interface ServeRequestStreamOptions<Request, Response> {
  /**
   * Answers one request; what it throws is answered with `failed`. `signal` aborts when the stream ends
   * before the answer (client cancel, broken transport, server shutdown) or a cancel message names the request.
   */
  readonly handle: (request: Request, signal: AbortSignal) => Promise<Response>;
  /** The answer to a request whose handling failed. */
  readonly failed: (request: Request, error: StreamAnswerError) => Response;
  /**
   * One request at a time, answered in order (replica fetch: each request acknowledges the previous answer),
   * or each request as it comes, answered as it completes (produce: acks=all answers complete in high
   * watermark order; fetch: long polls end as data arrives).
   */
  readonly order: 'serial' | 'concurrent';
  /** Requests received and not yet answered; a client sending more breaks the protocol (RESOURCE_EXHAUSTED). */
  readonly pendingRequestsMax: number;
  /**
   * Streams whose messages may cancel a request instead of carrying one (FetchStream): `isCancel` tells
   * them apart, `idOf` names the request (of a cancel message and of a request alike). A cancel message is
   * never answered and does not count as pending; one naming no pending request is ignored. Requests pending
   * together must have distinct ids (a client that reuses one breaks the protocol: INVALID_REQUEST).
   */
  readonly cancellation?: {
    readonly isCancel: (message: Request) => boolean;
    readonly idOf: (message: Request) => number;
  };
  readonly onUnexpectedError?: (error: unknown) => void;
}

/**
 * Serves a bidirectional request stream. Ends the call once the client has half-closed and every request
 * is answered; stops answering when the client cancels or the transport breaks (grpc-js then drops writes),
 * aborting every pending request's signal.
 */
export function serveRequestStream<Request, Response>(
  call: grpc.ServerDuplexStream<Request, Response>,
  options: ServeRequestStreamOptions<Request, Response>,
): void {
  assert(options.pendingRequestsMax > 0, 'a request stream admits at least one pending request');
  const { cancellation } = options;
  /** The abort of every pending request; by id where the stream has cancel messages. */
  const pending = new Set<AbortController>();
  const pendingById = new Map<number, AbortController>();
  let clientDone = false;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();

  const finishIfDone = (): void => {
    if (clientDone && pending.size === 0 && !closed) {
      closed = true;
      call.end();
    }
  };
  /** Ends the stream with `error` because the client broke the protocol. */
  const refuse = (error: TributaryError): void => {
    closed = true;
    for (const abort of pending) abort.abort();
    call.emit('error', toServiceError(error));
  };
  const answer = async (request: Request, abort: AbortController): Promise<void> => {
    let response: Response;
    try {
      response = await options.handle(request, abort.signal);
    } catch (error) {
      response = options.failed(request, streamAnswerError(error, options.onUnexpectedError));
    }
    pending.delete(abort);
    if (cancellation !== undefined) pendingById.delete(cancellation.idOf(request));
    if (!closed && !call.cancelled) call.write(response);
    finishIfDone();
  };
  call.on('data', (request: Request) => {
    if (closed) return;
    if (cancellation?.isCancel(request) === true) {
      pendingById.get(cancellation.idOf(request))?.abort();
      return;
    }
    if (pending.size >= options.pendingRequestsMax) {
      const details = `more than ${options.pendingRequestsMax} requests pending on one stream`;
      refuse(new TributaryError('RESOURCE_EXHAUSTED', details));
      return;
    }
    const abort = new AbortController();
    if (cancellation !== undefined) {
      const id = cancellation.idOf(request);
      if (pendingById.has(id)) {
        refuse(new TributaryError('INVALID_REQUEST', `request id ${id} is already pending on this stream`));
        return;
      }
      pendingById.set(id, abort);
    }
    pending.add(abort);
    const answered =
      options.order === 'serial' ? chain.then(() => answer(request, abort)) : answer(request, abort);
    chain = answered.catch((error: unknown) => options.onUnexpectedError?.(error));
  });
  call.on('end', () => {
    clientDone = true;
    finishIfDone();
  });
  const stop = (): void => {
    closed = true;
    for (const abort of pending) abort.abort();
  };
  call.on('cancelled', stop);
  call.on('error', stop);
}
