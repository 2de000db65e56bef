/**
 * The server side of gRPC authentication (DESIGN §10; protos/tributary/v1/auth.proto): the Auth service's
 * two SCRAM steps over the security core's ScramServer, and the session tokens the call authenticator checks.
 * One AuthSessions per process (broker or controller); credentials come from that process's metadata image
 * (a broker's follower image, a controller's committed image), read at each step, so a credential change is
 * seen as soon as the process has replayed it.
 *
 * Nothing secret is logged: failures are logged with the user name, mechanism, peer and the security core's
 * reason (which never carries a password, key or proof); tokens and messages never are.
 */
import { randomBytes } from 'node:crypto';
import { type Clock, systemClock, TributaryError } from '@tributary/core';
import {
  publicScramError,
  SCRAM_MECHANISMS,
  SCRAM_SUITES,
  type ScramMechanism,
  ScramServer,
  SECURITY_LIMITS,
  scramNonceFromBytes,
} from '@tributary/security';
import type { AuthHandlers } from '../generated/tributary/v1/Auth.js';
import { handleUnary } from '../unary.js';
import { type CredentialLookup, ExpiringMap, type SessionCheck, SessionStore } from './session-store.js';

/** The part of a pino logger used here. */
export interface AuthLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface AuthSessionsOptions {
  /** The credential of a user in the process's current metadata image. */
  readonly credential: CredentialLookup;
  readonly sessionLifetimeMs: number;
  /**
   * What fake challenges for unknown users are derived from (ScramServerOptions.unknownUserSecret): the same
   * on every process of the cluster, so answers do not differ between brokers for users that do not exist.
   */
  readonly unknownUserSecret: Uint8Array;
  readonly clock?: Clock;
  /** Random bytes for nonces, exchange ids and tokens (crypto.randomBytes by default). */
  readonly randomBytes?: (size: number) => Uint8Array;
  readonly logger?: AuthLogger;
}

interface Exchange {
  readonly server: ScramServer;
  readonly mechanism: ScramMechanism;
}

export interface SessionGrant {
  readonly serverFinal: Uint8Array;
  readonly sessionToken: string;
  readonly sessionLifetimeMs: number;
}

const NONCE_BYTES = 24;
const EXCHANGE_ID_BYTES = 16;

function isMechanism(text: string): text is ScramMechanism {
  return (SCRAM_MECHANISMS as readonly string[]).includes(text);
}

function failed(message: string): TributaryError {
  return new TributaryError('SASL_AUTHENTICATION_FAILED', message);
}

export class AuthSessions {
  readonly #options: AuthSessionsOptions;
  readonly #clock: Clock;
  readonly #random: (size: number) => Uint8Array;
  readonly #exchanges = new ExpiringMap<Exchange>(
    SECURITY_LIMITS.authExchangeTimeoutMs,
    SECURITY_LIMITS.authExchangesPendingMax,
  );
  readonly #sessions: SessionStore;

  constructor(options: AuthSessionsOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.randomBytes ?? ((size) => randomBytes(size));
    this.#sessions = new SessionStore({ lifetimeMs: options.sessionLifetimeMs });
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  get pendingExchangeCount(): number {
    return this.#exchanges.size;
  }

  #token(size: number): string {
    return Buffer.from(this.#random(size)).toString('base64url');
  }

  /** SCRAM step one: client-first in, server-first and the exchange id out. */
  start(
    mechanism: string,
    clientFirst: Uint8Array,
    peer: string,
  ): { exchangeId: string; serverFirst: Uint8Array } {
    if (!isMechanism(mechanism)) {
      throw new TributaryError(
        'UNSUPPORTED_SASL_MECHANISM',
        `SASL mechanism ${JSON.stringify(mechanism.slice(0, 32))} is not supported; use ${SCRAM_MECHANISMS.join(' or ')}`,
      );
    }
    const suite = SCRAM_SUITES[mechanism];
    const server = new ScramServer({
      suite,
      serverNonce: scramNonceFromBytes(this.#random(NONCE_BYTES)),
      lookup: (user) => this.#options.credential(user, mechanism),
      unknownUserSecret: this.#options.unknownUserSecret,
    });
    const step = server.receive(clientFirst);
    if (step.kind !== 'challenge') {
      const failure =
        step.kind === 'failure' ? step.failure : { reason: 'invalid-state' as const, detail: '' };
      this.#options.logger?.warn({ mechanism, peer, reason: failure.reason }, 'SCRAM authentication failed');
      throw failed(publicScramError(suite, failure));
    }
    const exchangeId = this.#token(EXCHANGE_ID_BYTES);
    this.#exchanges.add(exchangeId, { server, mechanism }, this.#clock.nowMs());
    return { exchangeId, serverFirst: step.message };
  }

  /** SCRAM step two: client-final in, server-final and a new session out. An exchange is used once. */
  finish(exchangeId: string, clientFinal: Uint8Array, peer: string): SessionGrant {
    const nowMs = this.#clock.nowMs();
    const exchange =
      exchangeId.length > SECURITY_LIMITS.sessionTokenLengthMax
        ? undefined
        : this.#exchanges.take(exchangeId, nowMs);
    if (exchange === undefined) {
      throw new TributaryError(
        'SASL_AUTHENTICATION_FAILED',
        'Authentication failed: the SCRAM exchange is unknown or timed out; start again',
      );
    }
    const suite = SCRAM_SUITES[exchange.mechanism];
    const step = exchange.server.receive(clientFinal);
    if (step.kind !== 'success') {
      const failure =
        step.kind === 'failure' ? step.failure : { reason: 'invalid-state' as const, detail: '' };
      this.#options.logger?.warn(
        { mechanism: exchange.mechanism, peer, reason: failure.reason },
        'SCRAM authentication failed',
      );
      throw failed(publicScramError(suite, failure));
    }
    // The credential the proof was checked against: the session lives only while it is unchanged.
    const credential = this.#options.credential(step.username, exchange.mechanism);
    if (credential === undefined)
      throw failed(publicScramError(suite, { reason: 'unknown-user', detail: '' }));
    const sessionToken = this.#token(SECURITY_LIMITS.sessionTokenBytes);
    this.#sessions.create(
      sessionToken,
      { user: step.username, mechanism: exchange.mechanism, storedKey: credential.storedKey },
      nowMs,
    );
    this.#options.logger?.info(
      { user: step.username, mechanism: exchange.mechanism, peer },
      'SCRAM authentication succeeded; session opened',
    );
    return { serverFinal: step.message, sessionToken, sessionLifetimeMs: this.#options.sessionLifetimeMs };
  }

  /** Whether a bearer token names a live session (see SessionStore.check). */
  check(token: string): SessionCheck {
    if (token.length === 0 || token.length > SECURITY_LIMITS.sessionTokenLengthMax) {
      return { ok: false, reason: 'unknown' };
    }
    return this.#sessions.check(token, this.#clock.nowMs(), this.#options.credential);
  }
}

/** The Auth service over one process's sessions. */
export function createAuthHandlers(
  sessions: AuthSessions,
  logger?: { error(fields: object, message: string): void },
): AuthHandlers {
  const options = {
    onUnexpectedError: (error: unknown) => logger?.error({ err: error }, 'an Auth call failed unexpectedly'),
  };
  return {
    ScramStart: handleUnary(async (request, call) => {
      const started = sessions.start(request.mechanism, request.clientFirst, call.getPeer());
      return { exchangeId: started.exchangeId, serverFirst: Buffer.from(started.serverFirst) };
    }, options),
    ScramFinish: handleUnary(async (request, call) => {
      const grant = sessions.finish(request.exchangeId, request.clientFinal, call.getPeer());
      return {
        serverFinal: Buffer.from(grant.serverFinal),
        sessionToken: grant.sessionToken,
        sessionLifetimeMs: grant.sessionLifetimeMs,
      };
    }, options),
  };
}
