/**
 * grpc-js client interceptors for fault injection in tests (TributaryClientOptions.interceptors). They
 * act on the client side of a real call, so they work against real broker processes as well as fakes.
 */
import * as grpc from '@grpc/grpc-js';

export interface LostResponses {
  /** Pass to TributaryClientOptions.interceptors. */
  readonly interceptor: grpc.Interceptor;
  /** Responses thrown away so far. */
  readonly lost: () => number;
  /** Arms the interceptor to lose the next `count` responses of the method. */
  readonly lose: (count: number) => void;
}

/**
 * Loses responses of one unary method (e.g. 'Produce') after the server handled the call: the response
 * message is dropped and the call ends with UNAVAILABLE, the ambiguous failure a client must retry
 * without knowing whether the request took effect. The method's stream (`${method}Stream`, e.g.
 * ProduceStream) loses answers too: the answer is dropped (handed on as naming request id 0, which no request
 * has) and the stream is cancelled UNAVAILABLE, as a connection lost after the broker handled the request
 * (every request in flight on it fails).
 */
export function loseResponses(method: string): LostResponses {
  let armed = 0;
  let lost = 0;
  const interceptor: grpc.Interceptor = (options, nextCall) => {
    const path = options.method_definition.path;
    if (path.endsWith(`/${method}Stream`)) return loseOnStream(options, nextCall);
    if (!path.endsWith(`/${method}`)) return new grpc.InterceptingCall(nextCall(options));
    let dropping = false;
    const listener = new grpc.ListenerBuilder()
      .withOnReceiveMessage((message: unknown, next: (message: unknown) => void) => {
        if (armed > 0) {
          armed--;
          lost++;
          dropping = true;
        }
        // Passed on even when dropping: grpc-js holds the status back until the message is handled, and a
        // non-OK status makes the unary call fail whatever message came before it.
        next(message);
      })
      .withOnReceiveStatus((status: grpc.StatusObject, next: (status: grpc.StatusObject) => void) => {
        if (!dropping) {
          next(status);
          return;
        }
        next({ ...status, code: grpc.status.UNAVAILABLE, details: 'response lost (test interceptor)' });
      })
      .build();
    const requester = new grpc.RequesterBuilder()
      .withStart((metadata, _listener, next) => next(metadata, listener))
      .build();
    return new grpc.InterceptingCall(nextCall(options), requester);
  };
  const loseOnStream = (
    options: grpc.InterceptorOptions,
    nextCall: Parameters<grpc.Interceptor>[1],
  ): grpc.InterceptingCall => {
    let intercepting: grpc.InterceptingCall | undefined;
    let broken = false;
    const listener = new grpc.ListenerBuilder()
      .withOnReceiveMessage((message: unknown, next: (message: unknown) => void) => {
        if (broken) return;
        if (armed === 0) {
          next(message);
          return;
        }
        armed--;
        lost++;
        broken = true;
        intercepting?.cancelWithStatus(grpc.status.UNAVAILABLE, 'response lost (test interceptor)');
        // grpc-js delivers the status only once the message is handled: hand on one that names no request.
        next(typeof message === 'object' && message !== null ? { ...message, requestId: 0 } : message);
      })
      .build();
    const requester = new grpc.RequesterBuilder()
      .withStart((metadata, _listener, next) => next(metadata, listener))
      .build();
    intercepting = new grpc.InterceptingCall(nextCall(options), requester);
    return intercepting;
  };
  return {
    interceptor,
    lost: () => lost,
    lose: (count) => {
      armed += count;
    },
  };
}
