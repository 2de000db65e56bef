/**
 * Authorization of every gRPC call (DESIGN §10) by GRPC_METHOD_ACCESS: wraps `server.addService` as
 * instrumentServer and authenticateServer do, so no handler runs unchecked. Install it after
 * authenticateServer (the caller is established first). A service with a method the table does not name is
 * refused when added: a new method cannot be served until someone decides what it needs.
 */
import type * as grpc from '@grpc/grpc-js';
import { assert } from '@tributary/core';
import type { AccessControl, RequestCaller } from '@tributary/security';
import { callerOf } from '../auth/authenticator.js';
import { toServiceError } from '../errors.js';
import { GRPC_METHOD_ACCESS, type GuardContext, type MethodAccess } from './grpc-access.js';

export interface GuardServerOptions {
  readonly access: AccessControl;
  readonly topicNameOfId: (topicId: string) => string | undefined;
  /** The table; tests may pass their own. */
  readonly methods?: Readonly<Record<string, MethodAccess>>;
}

type AnyHandler = (call: grpc.ServerUnaryCall<unknown, unknown>, ...rest: unknown[]) => void;

export function guardServer(server: grpc.Server, options: GuardServerOptions): void {
  const addService = server.addService.bind(server);
  server.addService = (service, implementation) => {
    addService(service, guardImplementation(service, implementation, options));
  };
}

function guardImplementation(
  service: grpc.ServiceDefinition,
  implementation: grpc.UntypedServiceImplementation,
  options: GuardServerOptions,
): grpc.UntypedServiceImplementation {
  const table = options.methods ?? GRPC_METHOD_ACCESS;
  const wrapped: grpc.UntypedServiceImplementation = {};
  for (const [key, definition] of Object.entries(service)) {
    const rule = table[definition.path];
    assert(rule !== undefined, `${definition.path} has no entry in GRPC_METHOD_ACCESS: decide what it needs`);
    const handlerKey = key in implementation ? key : definition.originalName;
    const handler = handlerKey === undefined ? undefined : implementation[handlerKey];
    if (handlerKey === undefined || handler === undefined || rule.kind === 'public') continue;
    const unary = !definition.requestStream && !definition.responseStream;
    assert(unary || rule.kind !== 'request', `${definition.path} streams: only a cluster rule can guard it`);
    wrapped[handlerKey] = (
      unary
        ? guardUnary(handler as grpc.handleUnaryCall<unknown, unknown>, rule, options)
        : guardStreaming(handler as unknown as AnyHandler, rule, options, !definition.responseStream)
    ) as grpc.UntypedHandleCall;
  }
  return { ...implementation, ...wrapped };
}

function contextOf(call: { getPeer(): string }, options: GuardServerOptions): GuardContext {
  return { access: options.access, caller: callerOf(call), topicNameOfId: options.topicNameOfId };
}

function checkCluster(rule: MethodAccess, access: AccessControl, caller: RequestCaller): void {
  if (rule.kind === 'cluster') access.requireCluster(caller, rule.operation);
}

function guardUnary(
  handler: grpc.handleUnaryCall<unknown, unknown>,
  rule: MethodAccess,
  options: GuardServerOptions,
): grpc.handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    if (!options.access.enabled) {
      handler(call, callback);
      return;
    }
    const context = contextOf(call, options);
    let finish: ((response: unknown) => unknown) | undefined;
    try {
      checkCluster(rule, options.access, context.caller);
      if (rule.kind === 'request') {
        const outcome = rule.guard(call.request, context);
        if ('answer' in outcome) {
          callback(null, outcome.answer);
          return;
        }
        // The handler reads call.request; hand it the narrowed request.
        (call as { request: unknown }).request = outcome.request;
        finish = outcome.finish;
      }
    } catch (error) {
      callback(toServiceError(error));
      return;
    }
    if (finish === undefined) {
      handler(call, callback);
      return;
    }
    const finishing = finish;
    handler(call, (error, value, trailer, flags) => {
      if (error !== null && error !== undefined) {
        callback(error, value, trailer, flags);
        return;
      }
      callback(null, finishing(value), trailer, flags);
    });
  };
}

function guardStreaming(
  handler: AnyHandler,
  rule: MethodAccess,
  options: GuardServerOptions,
  /** A client stream (one response) answers through its callback; the others emit the error. */
  answersByCallback: boolean,
): AnyHandler {
  return (call, ...rest) => {
    if (options.access.enabled) {
      try {
        checkCluster(rule, options.access, callerOf(call));
      } catch (error) {
        const status = toServiceError(error);
        if (answersByCallback) {
          (rest[0] as grpc.sendUnaryData<unknown>)(status);
        } else {
          (call as unknown as { emit(event: 'error', error: unknown): void }).emit('error', status);
        }
        return;
      }
    }
    handler(call, ...rest);
  };
}
