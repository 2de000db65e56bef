/**
 * One connection's SASL exchange (KIP-43, KIP-152), as Kafka's SaslServerAuthenticator runs it:
 *
 *   initial --SaslHandshake(mechanism)--> handshaken --SaslAuthenticate--> (SCRAM: challenged --SaslAuthenticate-->)
 *     authenticated | failed
 *
 * Every error ends the exchange and closes the connection once its answer is sent (Kafka does the same):
 * UNSUPPORTED_SASL_MECHANISM (with the enabled mechanisms), ILLEGAL_SASL_STATE for a step out of order (a
 * second handshake, SaslAuthenticate before SaslHandshake or after the exchange), SASL_AUTHENTICATION_FAILED
 * for bad credentials, whose message never says whether the user exists. One exchange per connection:
 * re-authentication (KIP-368) is not offered (the session lifetime answered is 0, so clients do not try).
 * Each message is bounded (SECURITY_LIMITS.saslMessageBytesMax), and so is the exchange's duration.
 */
import { pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { ERROR_CODES } from '@tributary/core';
import {
  bytesEqual,
  clientKeyOf,
  hash,
  parseSaslPlain,
  publicScramError,
  type RequestCaller,
  SCRAM_MECHANISMS,
  SCRAM_SUITES,
  type ScramCredential,
  type ScramMechanism,
  ScramServer,
  SECURITY_LIMITS,
  scramNonceFromBytes,
  USER_PRINCIPAL_TYPE,
  unknownUserKeys,
} from '@tributary/security';
import type { Logger } from 'pino';
import {
  type KafkaAuthenticationOptions,
  NO_SASL_METRICS,
  PRE_AUTHENTICATION_API_KEYS,
} from './authentication.js';

const pbkdf2Async = promisify(pbkdf2);

export type SaslMechanism = ScramMechanism | 'PLAIN';

/** Bytes of randomness in the server's half of a SCRAM nonce (32 base64 characters). */
const SERVER_NONCE_BYTES = 24;

export const SASL_LIMITS = {
  /**
   * A connection that must authenticate has this long from its accept to finish SASL, and any exchange,
   * once its handshake arrived, this long to finish; else the connection is closed. Honest clients need
   * a few round trips.
   */
  authenticationTimeoutMs: 30_000,
} as const;

export interface SaslAnswer {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly authBytes: Uint8Array;
}

type State =
  | { readonly kind: 'initial' }
  | { readonly kind: 'handshaken'; readonly mechanism: SaslMechanism }
  | { readonly kind: 'challenged'; readonly mechanism: ScramMechanism; readonly server: ScramServer }
  | { readonly kind: 'verifying' }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'failed' };

const NO_BYTES = new Uint8Array(0);
const AUTHENTICATION_FAILED = ERROR_CODES.SASL_AUTHENTICATION_FAILED.kafka;

export interface SaslSessionOptions {
  readonly authentication: KafkaAuthenticationOptions;
  /** PLAIN is enabled only on a TLS listener. */
  readonly tls: boolean;
  /** The connection's caller before SASL: its certificate's principal, or anonymous. */
  readonly caller: RequestCaller;
  readonly logger: Logger;
  /** Called when the exchange takes too long (the connection closes). */
  readonly onTimeout: () => void;
}

export class SaslSession {
  readonly #options: SaslSessionOptions;
  readonly #mechanisms: readonly SaslMechanism[];
  #state: State = { kind: 'initial' };
  #caller: RequestCaller;
  #closeRequested = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: SaslSessionOptions) {
    this.#options = options;
    this.#caller = options.caller;
    this.#mechanisms = options.tls ? [...SCRAM_MECHANISMS, 'PLAIN'] : [...SCRAM_MECHANISMS];
    if (this.mustAuthenticate) this.#armTimer();
  }

  /** Who the connection's requests are made by, now. */
  get caller(): RequestCaller {
    return this.#caller;
  }

  /** The mechanisms SaslHandshake offers. */
  get mechanisms(): readonly SaslMechanism[] {
    return this.#mechanisms;
  }

  /** True once an answer was given after which the connection must close. */
  get closeRequested(): boolean {
    return this.#closeRequested;
  }

  /** Authentication is required and the connection has neither SASL nor a verified certificate yet. */
  get mustAuthenticate(): boolean {
    return this.#options.authentication.required && this.#caller.authenticatedBy === 'none';
  }

  /** Whether a request of this API may be served now (before authentication: ApiVersions and SASL only). */
  permits(apiKey: number): boolean {
    return !this.mustAuthenticate || PRE_AUTHENTICATION_API_KEYS.has(apiKey);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  handshake(mechanism: string): { errorCode: number; mechanisms: string[] } {
    const mechanisms = [...this.#mechanisms];
    if (this.#state.kind !== 'initial') {
      this.#fail('illegal-state', mechanism, `SaslHandshake in state ${this.#state.kind}`);
      return { errorCode: ERROR_CODES.ILLEGAL_SASL_STATE.kafka, mechanisms };
    }
    const enabled = this.#mechanisms.find((m) => m === mechanism);
    if (enabled === undefined) {
      this.#fail(
        'unsupported-mechanism',
        'none',
        `mechanism ${JSON.stringify(mechanism.slice(0, 64))} is not enabled`,
      );
      return { errorCode: ERROR_CODES.UNSUPPORTED_SASL_MECHANISM.kafka, mechanisms };
    }
    this.#state = { kind: 'handshaken', mechanism: enabled };
    this.#armTimer();
    return { errorCode: 0, mechanisms };
  }

  async authenticate(authBytes: Uint8Array): Promise<SaslAnswer> {
    const state = this.#state;
    if (
      state.kind === 'initial' ||
      state.kind === 'verifying' ||
      state.kind === 'authenticated' ||
      state.kind === 'failed'
    ) {
      this.#fail('illegal-state', 'none', `SaslAuthenticate in state ${state.kind}`);
      return {
        errorCode: ERROR_CODES.ILLEGAL_SASL_STATE.kafka,
        errorMessage: `Unexpected SaslAuthenticate request (${state.kind === 'initial' ? 'no SaslHandshake first' : 'the exchange is over'})`,
        authBytes: NO_BYTES,
      };
    }
    const mechanism = state.mechanism;
    if (authBytes.length > SECURITY_LIMITS.saslMessageBytesMax) {
      return this.#refuse(mechanism, 'invalid-message', `a ${authBytes.length}-byte SASL message`);
    }
    if (mechanism === 'PLAIN') return this.#plain(authBytes);
    const server = state.kind === 'challenged' ? state.server : this.#scramServer(mechanism);
    const step = server.receive(authBytes);
    switch (step.kind) {
      case 'challenge':
        this.#state = { kind: 'challenged', mechanism, server };
        return { errorCode: 0, errorMessage: null, authBytes: step.message };
      case 'success':
        this.#succeed(mechanism, step.username, 'scram');
        return { errorCode: 0, errorMessage: null, authBytes: step.message };
      case 'failure': {
        const message = publicScramError(SCRAM_SUITES[mechanism], step.failure);
        this.#fail(step.failure.reason, mechanism, step.failure.detail);
        return { errorCode: AUTHENTICATION_FAILED, errorMessage: message, authBytes: NO_BYTES };
      }
    }
  }

  #scramServer(mechanism: ScramMechanism): ScramServer {
    const auth = this.#options.authentication;
    return new ScramServer({
      suite: SCRAM_SUITES[mechanism],
      serverNonce: scramNonceFromBytes(randomBytes(SERVER_NONCE_BYTES)),
      lookup: (user) => auth.credential(user, mechanism),
      unknownUserSecret: auth.unknownUserSecret,
    });
  }

  /** PLAIN: the password is checked against the user's SCRAM credential (the strongest one it has). */
  async #plain(authBytes: Uint8Array): Promise<SaslAnswer> {
    this.#state = { kind: 'verifying' };
    const parsed = parseSaslPlain(authBytes);
    if (!parsed.ok) return this.#refuse('PLAIN', 'invalid-message', parsed.error, parsed.error);
    const { username, password } = parsed.credentials;
    const auth = this.#options.authentication;
    const credential: ScramCredential | undefined =
      auth.credential(username, 'SCRAM-SHA-512') ?? auth.credential(username, 'SCRAM-SHA-256');
    // An unknown user costs the same key derivation, so timing does not tell who exists.
    const suite = SCRAM_SUITES[credential?.mechanism ?? 'SCRAM-SHA-512'];
    const keys = credential ?? unknownUserKeys(suite, auth.unknownUserSecret, username);
    const salted = await pbkdf2Async(
      Buffer.from(password, 'utf8'),
      keys.salt,
      keys.iterations,
      suite.keyBytes,
      suite.hash,
    );
    const valid = bytesEqual(hash(suite, clientKeyOf(suite, salted)), keys.storedKey);
    if (credential === undefined)
      return this.#refuse('PLAIN', 'unknown-user', 'no SCRAM credential for this user');
    if (!valid)
      return this.#refuse('PLAIN', 'invalid-password', 'the password does not match the credential');
    this.#succeed('PLAIN', username, 'plain');
    return { errorCode: 0, errorMessage: null, authBytes: NO_BYTES };
  }

  #refuse(mechanism: SaslMechanism, reason: string, detail: string, publicMessage?: string): SaslAnswer {
    this.#fail(reason, mechanism, detail);
    return {
      errorCode: AUTHENTICATION_FAILED,
      errorMessage:
        publicMessage ??
        `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`,
      authBytes: NO_BYTES,
    };
  }

  #succeed(mechanism: SaslMechanism, username: string, by: 'scram' | 'plain'): void {
    this.#state = { kind: 'authenticated' };
    this.dispose();
    this.#caller = {
      principal: { type: USER_PRINCIPAL_TYPE, name: username },
      host: this.#caller.host,
      authenticatedBy: by,
    };
    (this.#options.authentication.metrics ?? NO_SASL_METRICS).authenticated(mechanism);
    this.#options.logger.info(
      { mechanism, principal: `${USER_PRINCIPAL_TYPE}:${username}` },
      'SASL authentication succeeded',
    );
  }

  /** Ends the exchange: one log line (never a secret), one count, and the connection closes after the answer. */
  #fail(reason: string, mechanism: string, detail: string): void {
    this.#state = { kind: 'failed' };
    this.#closeRequested = true;
    this.dispose();
    (this.#options.authentication.metrics ?? NO_SASL_METRICS).failed(mechanism, reason);
    this.#options.logger.warn(
      { mechanism, reason, detail },
      'SASL authentication failed; closing the connection',
    );
  }

  #armTimer(): void {
    if (this.#timer !== undefined) return;
    const timeoutMs =
      this.#options.authentication.authenticationTimeoutMs ?? SASL_LIMITS.authenticationTimeoutMs;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#state.kind === 'authenticated' || this.#state.kind === 'failed') return;
      this.#fail('timeout', 'none', `no authentication within ${timeoutMs} ms`);
      this.#options.onTimeout();
    }, timeoutMs);
    this.#timer.unref();
  }
}
