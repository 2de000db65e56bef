/**
 * Streams of requests (issue 15): one long-lived bidirectional call carries many requests of a unary method
 * (ReplicaFetchStream, ProduceStream), each answered on the same stream. A request that fails is answered
 * with its error code and message, as a unary call's status would carry them, and the stream stays open: only
 * a broken transport, the client's cancel or a client that breaks the protocol ends it.
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
  /** Answers one request; what it throws is answered with `failed`. */
  readonly handle: (request: Request) => Promise<Response>;
  /** The answer to a request whose handling failed. */
  readonly failed: (request: Request, error: StreamAnswerError) => Response;
  /**
   * One request at a time, answered in order (replica fetch: each request acknowledges the previous answer),
   * or each request as it comes, answered as it completes (produce: acks=all answers complete in high
   * watermark order).
   */
  readonly order: 'serial' | 'concurrent';
  /** Requests received and not yet answered; a client sending more breaks the protocol (RESOURCE_EXHAUSTED). */
  readonly pendingRequestsMax: number;
  readonly onUnexpectedError?: (error: unknown) => void;
}

/**
 * Serves a bidirectional request stream. Ends the call once the client has half-closed and every request
 * is answered; stops answering when the client cancels or the transport breaks (grpc-js then drops writes).
 */
export function serveRequestStream<Request, Response>(
  call: grpc.ServerDuplexStream<Request, Response>,
  options: ServeRequestStreamOptions<Request, Response>,
): void {
  assert(options.pendingRequestsMax > 0, 'a request stream admits at least one pending request');
  let pending = 0;
  let clientDone = false;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();

  const finishIfDone = (): void => {
    if (clientDone && pending === 0 && !closed) {
      closed = true;
      call.end();
    }
  };
  const answer = async (request: Request): Promise<void> => {
    let response: Response;
    try {
      response = await options.handle(request);
    } catch (error) {
      response = options.failed(request, streamAnswerError(error, options.onUnexpectedError));
    }
    pending -= 1;
    if (!closed && !call.cancelled) call.write(response);
    finishIfDone();
  };
  call.on('data', (request: Request) => {
    if (closed) return;
    if (pending >= options.pendingRequestsMax) {
      closed = true;
      const details = `more than ${options.pendingRequestsMax} requests pending on one stream`;
      call.emit('error', toServiceError(new TributaryError('RESOURCE_EXHAUSTED', details)));
      return;
    }
    pending += 1;
    const answered = options.order === 'serial' ? chain.then(() => answer(request)) : answer(request);
    chain = answered.catch((error: unknown) => options.onUnexpectedError?.(error));
  });
  call.on('end', () => {
    clientDone = true;
    finishIfDone();
  });
  const stop = (): void => {
    closed = true;
  };
  call.on('cancelled', stop);
  call.on('error', stop);
}
