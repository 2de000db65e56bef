/**
 * Promise shells around grpc-js callbacks: every client call has a deadline and rejects with a
 * TributaryError; every server handler maps thrown errors to statuses and never leaks a rejection.
 */
import * as grpc from '@grpc/grpc-js';
import { assert, TributaryError } from '@tributary/core';
import { asTributaryError, toServiceError } from './errors.js';

/** The methods of a generated client that are unary: their last overload is (request, callback). */
export type UnaryMethodName<Client> = {
  [K in keyof Client]: Client[K] extends (
    request: infer _Request,
    callback: grpc.requestCallback<infer _Response>,
  ) => grpc.ClientUnaryCall
    ? K
    : never;
}[keyof Client] &
  string;

export type UnaryRequest<Client, M extends UnaryMethodName<Client>> = Client[M] extends (
  request: infer Request,
  callback: grpc.requestCallback<infer _Response>,
) => grpc.ClientUnaryCall
  ? Request
  : never;

export type UnaryResponse<Client, M extends UnaryMethodName<Client>> = Client[M] extends (
  request: infer _Request,
  callback: grpc.requestCallback<infer Response>,
) => grpc.ClientUnaryCall
  ? Response
  : never;

export interface UnaryOptions {
  /** Mandatory: how long the call may take, in milliseconds from now. */
  readonly deadlineMs: number;
  /** Cancels the call; it then rejects with a TributaryError (code UNKNOWN, gRPC CANCELLED as cause). */
  readonly signal?: AbortSignal;
  readonly metadata?: grpc.Metadata;
}

type UnaryInvoker<Request, Response> = (
  request: Request,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<Response>,
) => grpc.ClientUnaryCall;

/**
 * Calls a unary method with a deadline. Resolves with the response; rejects with a TributaryError
 * (server errors decoded from the trailers, transport failures classified as retriable codes).
 */
export function unary<Client extends grpc.Client, M extends UnaryMethodName<Client>>(
  client: Client,
  method: M,
  request: UnaryRequest<Client, M>,
  options: UnaryOptions,
): Promise<UnaryResponse<Client, M>> {
  const { signal } = options;
  return new Promise((resolve, reject) => {
    // Inside the executor, a failed assertion rejects the promise instead of throwing from unary().
    assert(
      Number.isFinite(options.deadlineMs) && options.deadlineMs > 0,
      () => `unary ${method}: deadlineMs must be positive, got ${options.deadlineMs}`,
    );
    const invoke = client[method] as unknown as UnaryInvoker<
      UnaryRequest<Client, M>,
      UnaryResponse<Client, M>
    >;
    assert(typeof invoke === 'function', () => `unary: ${method} is not a method of the client`);
    if (signal?.aborted === true) {
      reject(asTributaryError(signal.reason));
      return;
    }
    const deadline = Date.now() + options.deadlineMs;
    const call = invoke.call(
      client,
      request,
      options.metadata ?? new grpc.Metadata(),
      { deadline },
      (error, response) => {
        signal?.removeEventListener('abort', onAbort);
        if (error !== null) reject(asTributaryError(error));
        else if (response === undefined) reject(asTributaryError(new Error(`${method}: empty response`)));
        else resolve(response);
      },
    );
    function onAbort(): void {
      call.cancel();
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface HandleOptions {
  /**
   * Called with errors that are not TributaryErrors (bugs, assertion failures) before they are sent
   * as INTERNAL: the place to log them with their stack.
   */
  readonly onUnexpectedError?: (error: unknown) => void;
}

function reportUnexpected(error: unknown, options: HandleOptions): void {
  if (error instanceof TributaryError) return;
  try {
    options.onUnexpectedError?.(error);
  } catch {
    // A failing logger must not stop the response from being sent.
  }
}

/**
 * Implements a grpc-js unary handler with an async function: its result is the response, anything it
 * throws or rejects with becomes a status via toServiceError. The returned handler never lets a
 * promise float or reject unhandled.
 */
export function handleUnary<Request, Response>(
  handler: (request: Request, call: grpc.ServerUnaryCall<Request, Response>) => Promise<Response>,
  options: HandleOptions = {},
): grpc.handleUnaryCall<Request, Response> {
  return (call, callback) => {
    // Promise.resolve().then(...) also catches a handler that throws synchronously.
    Promise.resolve()
      .then(() => handler(call.request, call))
      .then(
        (response) => callback(null, response),
        (error: unknown) => {
          reportUnexpected(error, options);
          callback(toServiceError(error));
        },
      )
      .catch((error: unknown) => reportUnexpected(error, options));
  };
}

/**
 * Wraps every handler of a service whose methods are all unary: while `refusal()` returns an error, calls
 * are answered with it and the handlers are not run (a broker still catching up with the metadata log after
 * a restart must not answer from the older image it started from).
 */
export function gateUnaryService<Handlers extends grpc.UntypedServiceImplementation>(
  handlers: Handlers,
  refusal: () => Error | undefined,
  /**
   * Stream handlers of the service, passed through ungated: they apply `refusal` to each request they carry
   * (a stream opened before the broker is ready is answered per request, not refused whole).
   */
  streams: readonly (keyof Handlers & string)[] = [],
): Handlers {
  const gated: grpc.UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(handlers)) {
    if (streams.includes(name)) {
      gated[name] = handler;
      continue;
    }
    const unaryHandler = handler as grpc.handleUnaryCall<unknown, unknown>;
    gated[name] = ((call, callback) => {
      const refused = refusal();
      if (refused === undefined) unaryHandler(call, callback);
      else callback(toServiceError(refused));
    }) satisfies grpc.handleUnaryCall<unknown, unknown>;
  }
  return gated as Handlers;
}

/** Ends a server stream with the status for `error` (grpc-js turns an 'error' event into the status). */
export function failStream(call: grpc.ServerWritableStream<unknown, unknown>, error: unknown): void {
  call.emit('error', toServiceError(error));
}

/**
 * Implements a server-streaming handler with an async function that writes to the call; when it
 * returns the stream ends, when it throws the stream ends with the mapped status.
 */
export function handleServerStream<Request, Response>(
  handler: (request: Request, call: grpc.ServerWritableStream<Request, Response>) => Promise<void>,
  options: HandleOptions = {},
): grpc.handleServerStreamingCall<Request, Response> {
  return (call) => {
    Promise.resolve()
      .then(() => handler(call.request, call))
      .then(
        () => {
          if (!call.writableEnded) call.end();
        },
        (error: unknown) => {
          reportUnexpected(error, options);
          if (!call.writableEnded) failStream(call as grpc.ServerWritableStream<unknown, unknown>, error);
        },
      )
      .catch((error: unknown) => reportUnexpected(error, options));
  };
}
