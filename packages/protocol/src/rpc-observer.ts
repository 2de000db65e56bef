/**
 * Per-call bookkeeping for a grpc-js server: a request id for every call (the client's `x-request-id`
 * if it sent one), the duration and status of every unary call reported to an observer (latency
 * histograms), and failed calls logged with their request id. Installed by wrapping the server's
 * addService, so services register as usual and stay unaware of it.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';

/** The metadata key carrying a request id, as HTTP proxies and tracing tools spell it. */
export const REQUEST_ID_HEADER = 'x-request-id';
/** A longer id sent by a client is cut: it is a log field, not a payload. */
export const REQUEST_ID_LENGTH_MAX = 128;

export interface RpcCallEnd {
  /** Full service name, e.g. 'tributary.v1.Broker'. */
  readonly service: string;
  /** Method name as in the proto, e.g. 'Produce'. */
  readonly method: string;
  readonly code: grpc.status;
  readonly durationSeconds: number;
}

/** The part of a pino logger this module uses. */
export interface RpcLogger {
  error(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

export interface RpcObserverOptions {
  /** Called once per finished unary call. Must be cheap and must not throw. */
  readonly onCallEnd?: (event: RpcCallEnd) => void;
  /** Failed calls: INTERNAL/UNKNOWN at error level, other statuses at debug. */
  readonly logger?: RpcLogger;
}

/** The request id of a call handled on a server set up with instrumentServer (undefined otherwise). */
export function requestIdOf(call: { readonly metadata: grpc.Metadata }): string | undefined {
  const value = call.metadata.get(REQUEST_ID_HEADER)[0];
  return typeof value === 'string' ? value : undefined;
}

/** Request ids this process makes: a random per-process prefix and a counter (cheap, unique enough for logs). */
class RequestIds {
  readonly #prefix = randomBytes(4).toString('hex');
  #next = 0;

  assign(metadata: grpc.Metadata): string {
    const sent = metadata.get(REQUEST_ID_HEADER)[0];
    if (typeof sent === 'string' && sent.length > 0) {
      if (sent.length <= REQUEST_ID_LENGTH_MAX) return sent;
      const cut = sent.slice(0, REQUEST_ID_LENGTH_MAX);
      metadata.set(REQUEST_ID_HEADER, cut);
      return cut;
    }
    this.#next += 1;
    const id = `${this.#prefix}-${this.#next.toString(36)}`;
    metadata.set(REQUEST_ID_HEADER, id);
    return id;
  }
}

type AnyHandler = grpc.UntypedHandleCall;

/**
 * Makes every service added to `server` from now on report to `options`. Call before adding services.
 * Streaming calls get a request id but no duration (a long poll's length says nothing about latency).
 */
export function instrumentServer(server: grpc.Server, options: RpcObserverOptions): void {
  const ids = new RequestIds();
  const addService = server.addService.bind(server);
  server.addService = (service, implementation) => {
    addService(service, instrumentImplementation(service, implementation, ids, options));
  };
}

function instrumentImplementation(
  service: grpc.ServiceDefinition,
  implementation: grpc.UntypedServiceImplementation,
  ids: RequestIds,
  options: RpcObserverOptions,
): grpc.UntypedServiceImplementation {
  const wrapped: grpc.UntypedServiceImplementation = {};
  for (const [key, definition] of Object.entries(service)) {
    // grpc-js looks a handler up by the method name, then by its original (camelCase) name.
    const handlerKey = key in implementation ? key : definition.originalName;
    const handler = handlerKey === undefined ? undefined : implementation[handlerKey];
    if (handlerKey === undefined || handler === undefined) continue;
    const slash = definition.path.lastIndexOf('/');
    const names = { service: definition.path.slice(1, slash), method: definition.path.slice(slash + 1) };
    wrapped[handlerKey] =
      !definition.requestStream && !definition.responseStream
        ? wrapUnary(handler as grpc.handleUnaryCall<unknown, unknown>, names, ids, options)
        : wrapStreaming(handler, ids);
  }
  return { ...implementation, ...wrapped };
}

function wrapUnary(
  handler: grpc.handleUnaryCall<unknown, unknown>,
  names: { readonly service: string; readonly method: string },
  ids: RequestIds,
  options: RpcObserverOptions,
): grpc.handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    const startedMs = performance.now();
    const requestId = ids.assign(call.metadata);
    handler(call, (error, value, trailer, flags) => {
      const code = error === null ? grpc.status.OK : (error.code ?? grpc.status.UNKNOWN);
      try {
        options.onCallEnd?.({ ...names, code, durationSeconds: (performance.now() - startedMs) / 1_000 });
        if (error !== null) logFailure(options.logger, { ...names, requestId, code, details: error.details });
      } catch {
        // Bookkeeping must never stop the response.
      }
      callback(error, value, trailer, flags);
    });
  };
}

function wrapStreaming(handler: AnyHandler, ids: RequestIds): AnyHandler {
  // The handler's own type is kept: only the metadata is touched before it runs.
  const wrapped = (call: { readonly metadata: grpc.Metadata }, ...rest: unknown[]): void => {
    ids.assign(call.metadata);
    (handler as (call: unknown, ...rest: unknown[]) => void)(call, ...rest);
  };
  return wrapped as AnyHandler;
}

function logFailure(
  logger: RpcLogger | undefined,
  fields: { service: string; method: string; requestId: string; code: grpc.status; details: unknown },
): void {
  if (logger === undefined) return;
  const entry = { ...fields, code: grpc.status[fields.code] ?? fields.code };
  if (fields.code === grpc.status.INTERNAL || fields.code === grpc.status.UNKNOWN) {
    logger.error(entry, 'request failed');
  } else {
    logger.debug(entry, 'request answered with an error status');
  }
}
