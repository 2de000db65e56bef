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
import {
  GRPC_METHOD_ACCESS,
  type GuardContext,
  type GuardOutcome,
  type MethodAccess,
} from './grpc-access.js';

/**
 * The per-message checks of the streams being served, by call: a stream of requests (ProduceStream,
 * ReplicaFetchStream) is checked when it opens and each message again with the rule of the unary method it
 * carries, as if it came alone (an ACL removed while the stream is open takes effect on the next message).
 */
const messageGuards = new WeakMap<object, (request: unknown) => GuardOutcome>();

/**
 * Applies the per-message rule of a guarded stream to one of its requests: the request to hand the handler
 * (narrowed to what is allowed) and a finisher for its answer, or the answer itself (everything refused);
 * throws the denial of the whole request. A stream on a server without a guard (access off) passes as is.
 */
export function guardStreamMessage<Req, Res>(
  call: object,
  request: Req,
): { readonly request: Req; readonly finish?: (response: Res) => Res } | { readonly answer: Res } {
  const guard = messageGuards.get(call);
  if (guard === undefined) return { request };
  return guard(request) as { request: Req; finish?: (response: Res) => Res } | { answer: Res };
}

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
    assert(!unary || rule.kind !== 'stream', `${definition.path} is unary: a stream rule cannot guard it`);
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

/** The check of one message of a stream opened under `rule` (a cluster rule is checked again per message). */
function messageGuardOf(
  rule: MethodAccess,
  context: GuardContext,
): ((request: unknown) => GuardOutcome) | undefined {
  const perMessage = rule.kind === 'stream' ? rule.perMessage : rule;
  switch (perMessage.kind) {
    case 'cluster':
      return (request) => {
        context.access.requireCluster(context.caller, perMessage.operation);
        return { request };
      };
    case 'request':
      return (request) => perMessage.guard(request, context);
    case 'public':
    case 'authenticated':
    case 'stream':
      return undefined;
  }
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
        const context = contextOf(call, options);
        checkCluster(rule, options.access, context.caller);
        const messageGuard = messageGuardOf(rule, context);
        if (messageGuard !== undefined) messageGuards.set(call, messageGuard);
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
