/**
 * The client side of gRPC authentication (DESIGN §10): a grpc-js interceptor per target address that logs in
 * once with SCRAM (the Auth service's two steps), caches the session token, and sends
 * `authorization: Bearer <token>` on every call. It works on plaintext and TLS channels alike (grpc-js call
 * credentials refuse plaintext channels, so this is an interceptor, not CallCredentials).
 *
 * A session is per process: each broker and controller address gets its own. A session is renewed shortly
 * before it expires; when a call is refused because its session is no longer valid (the server restarted,
 * the session expired early, the password changed), the token is dropped, and a unary call is sent once more
 * with a new session. Login failures end the call with the server's status (UNAUTHENTICATED,
 * SASL_AUTHENTICATION_FAILED) or, for a server that fails SCRAM's own checks, SASL_AUTHENTICATION_FAILED.
 */
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { type Clock, systemClock, TributaryError } from '@tributary/core';
import {
  SCRAM_SUITES,
  ScramClient,
  type ScramMechanism,
  SECURITY_LIMITS,
  scramNonceFromBytes,
} from '@tributary/security';
import { type CallAuthentication, createAuthClient } from '../clients.js';
import { toServiceError } from '../errors.js';
import type { AuthClient } from '../generated/tributary/v1/Auth.js';
import { unary } from '../unary.js';
import { AUTHORIZATION_HEADER, BEARER_PREFIX, SESSION_INVALID, SESSION_TRAILER } from './authenticator.js';

export interface SaslCredentials {
  readonly mechanism: ScramMechanism;
  readonly username: string;
  readonly password: string;
}

export const CLIENT_AUTH_LIMITS = {
  /** One login (both SCRAM steps) at most. */
  loginDeadlineMs: 10_000,
  /** A session is renewed this long before it expires (or at 90 % of its life, if that comes first). */
  renewBeforeExpiryMs: 30_000,
  /** Addresses a client keeps sessions for (brokers and controllers of one cluster fit easily). */
  addressesMax: 1_024,
} as const;

export interface ScramSessionAuthenticationOptions {
  readonly sasl: SaslCredentials;
  /** The channel credentials of the Auth calls: the same TLS (or plaintext) as the calls they authenticate. */
  readonly credentials?: grpc.ChannelCredentials;
  readonly clock?: Clock;
}

interface Session {
  readonly token: string;
  readonly renewAtMs: number;
}

interface AddressState {
  session?: Session | undefined;
  login?: Promise<Session> | undefined;
  client?: AuthClient | undefined;
}

/** A status for a call that never reached the server (the login failed). */
function statusOf(error: unknown): grpc.StatusObject {
  const candidate = error as Partial<grpc.ServiceError>;
  if (typeof candidate.code === 'number' && candidate.metadata instanceof grpc.Metadata) {
    return { code: candidate.code, details: candidate.details ?? '', metadata: candidate.metadata };
  }
  const status = toServiceError(error);
  return { code: status.code, details: status.details, metadata: status.metadata };
}

function sessionInvalid(status: grpc.StatusObject): boolean {
  return (
    status.code === grpc.status.UNAUTHENTICATED && status.metadata.get(SESSION_TRAILER)[0] === SESSION_INVALID
  );
}

/** SCRAM sessions for every address a client talks to; pass it as ClientOptions.auth. */
export class ScramSessionAuthentication implements CallAuthentication {
  readonly #options: ScramSessionAuthenticationOptions;
  readonly #clock: Clock;
  readonly #addresses = new Map<string, AddressState>();

  constructor(options: ScramSessionAuthenticationOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** The session token for `address`: cached, or from a new login (concurrent callers share one). */
  async token(address: string): Promise<string> {
    const state = this.#state(address);
    const session = state.session;
    if (session !== undefined && this.#clock.nowMs() < session.renewAtMs) return session.token;
    state.login ??= this.#login(address, state).finally(() => {
      state.login = undefined;
    });
    return (await state.login).token;
  }

  /** Forgets `token` for `address` (the server no longer knows it); a newer one is kept. */
  invalidate(address: string, token: string): void {
    const state = this.#addresses.get(address);
    if (state?.session?.token === token) state.session = undefined;
  }

  close(): void {
    for (const state of this.#addresses.values()) state.client?.close();
    this.#addresses.clear();
  }

  #state(address: string): AddressState {
    let state = this.#addresses.get(address);
    if (state === undefined) {
      if (this.#addresses.size >= CLIENT_AUTH_LIMITS.addressesMax) this.close();
      state = {};
      this.#addresses.set(address, state);
    }
    return state;
  }

  async #login(address: string, state: AddressState): Promise<Session> {
    const { sasl } = this.#options;
    state.client ??= createAuthClient(
      address,
      this.#options.credentials === undefined ? {} : { credentials: this.#options.credentials },
    );
    const client = state.client;
    const startedMs = this.#clock.nowMs();
    const remainingMs = (): number =>
      Math.max(1, CLIENT_AUTH_LIMITS.loginDeadlineMs - (this.#clock.nowMs() - startedMs));
    const scram = new ScramClient({
      suite: SCRAM_SUITES[sasl.mechanism],
      username: sasl.username,
      password: sasl.password,
      clientNonce: scramNonceFromBytes(randomBytes(24)),
    });
    const started = await unary(
      client,
      'ScramStart',
      { mechanism: sasl.mechanism, clientFirst: Buffer.from(scram.first()) },
      { deadlineMs: remainingMs() },
    );
    const final = scram.receiveServerFirst(started.serverFirst);
    if (!final.ok) throw scramFailure(final.failure.detail);
    const finished = await unary(
      client,
      'ScramFinish',
      { exchangeId: started.exchangeId, clientFinal: Buffer.from(final.message) },
      { deadlineMs: remainingMs() },
    );
    const verified = scram.receiveServerFinal(finished.serverFinal);
    if (!verified.ok) throw scramFailure(verified.failure.detail);
    const token = finished.sessionToken;
    if (token.length === 0 || token.length > SECURITY_LIMITS.sessionTokenLengthMax) {
      throw scramFailure('the server sent no usable session token');
    }
    const lifetimeMs = Math.min(finished.sessionLifetimeMs, SECURITY_LIMITS.sessionLifetimeMsMax);
    const renewInMs = Math.min(
      lifetimeMs * 0.9,
      Math.max(0, lifetimeMs - CLIENT_AUTH_LIMITS.renewBeforeExpiryMs),
    );
    const session = { token, renewAtMs: startedMs + renewInMs };
    state.session = session;
    return session;
  }

  interceptorFor(address: string): grpc.Interceptor {
    return (options, nextCall) => {
      const definition = options.method_definition;
      const retriable = !definition.requestStream && !definition.responseStream;
      let savedMetadata: grpc.Metadata | undefined;
      let savedMessage: { readonly value: unknown } | undefined;
      let retryCall: ReturnType<grpc.NextCall> | undefined;
      let cancelled = false;
      const withToken = (metadata: grpc.Metadata, token: string): grpc.Metadata => {
        metadata.set(AUTHORIZATION_HEADER, `${BEARER_PREFIX}${token}`);
        return metadata;
      };
      const retry = (outer: grpc.InterceptingListener): void => {
        const metadata = savedMetadata;
        const message = savedMessage;
        if (metadata === undefined || message === undefined) return;
        this.token(address).then(
          (token) => {
            if (cancelled) return;
            const call = nextCall(options);
            retryCall = call;
            call.start(withToken(metadata.clone(), token), {
              onReceiveMetadata: (received) => outer.onReceiveMetadata(received),
              onReceiveMessage: (received) => outer.onReceiveMessage(received),
              onReceiveStatus: (status) => {
                if (sessionInvalid(status)) this.invalidate(address, token);
                outer.onReceiveStatus(status);
              },
            });
            call.sendMessage(message.value);
            call.halfClose();
            call.startRead();
          },
          (error: unknown) => outer.onReceiveStatus(statusOf(error)),
        );
      };
      const requester: grpc.Requester = {
        start: (metadata, listener, next) => {
          savedMetadata = metadata.clone();
          this.token(address).then(
            (token) => {
              let receivedMessage = false;
              next(withToken(metadata.clone(), token), {
                onReceiveMessage: (message, forward) => {
                  // grpc-js hands a unary call's listener `null` with the status when no message came.
                  if (message !== null && message !== undefined) receivedMessage = true;
                  forward(message);
                },
                onReceiveStatus: (status, forward) => {
                  if (!sessionInvalid(status)) {
                    forward(status);
                    return;
                  }
                  this.invalidate(address, token);
                  if (retriable && !receivedMessage && !cancelled && savedMessage !== undefined)
                    retry(listener);
                  else forward(status);
                },
              });
            },
            (error: unknown) => listener.onReceiveStatus(statusOf(error)),
          );
        },
        sendMessage: (message, next) => {
          savedMessage = { value: message };
          next(message);
        },
        cancel: (next) => {
          cancelled = true;
          retryCall?.cancelWithStatus(grpc.status.CANCELLED, 'Cancelled on client');
          next();
        },
      };
      return new grpc.InterceptingCall(nextCall(options), requester);
    };
  }
}

function scramFailure(detail: string): TributaryError {
  return new TributaryError('SASL_AUTHENTICATION_FAILED', `Authentication failed: ${detail}`);
}
