/**
 * The server side of a SCRAM exchange (RFC 5802 §5) as a small state machine, following Kafka's
 * ScramSaslServer where RFC 5802 leaves room:
 *
 *   awaiting-client-first --client-first--> awaiting-client-final --client-final--> complete
 *                 \______________________ any failure ________________________/--> failed
 *
 * - Channel binding: only the gs2 flag "n" (no binding); "y" and "p=" are refused, as Kafka does.
 * - An authorization id must be empty or the user name itself (Kafka's rule).
 * - Extensions: `tokenauth` (Kafka's delegation tokens, which Tributary does not have) is refused, because
 *   with it n= names a token, not a user; other extensions are ignored (RFC 5802 §5.1, Kafka).
 * - The client-final's c= must be base64 of the client-first's gs2 header (RFC 5802 §5.1; Kafka does
 *   not check it), and its nonce must be exactly the combined nonce, or exactly the client nonce followed
 *   by the combined nonce: librdkafka before 2.x's fix (Debian's 2.0.2, kcat) echoes its own nonce twice,
 *   which Kafka accepted with `endsWith` until it switched to equality. The fresh server part is still the
 *   tail and the proof still covers the whole message, so a recorded client-final fails under a new nonce.
 * - An unknown user gets a challenge like any other, with a salt, keys and iteration count derived from
 *   a server secret and the name, and fails only after the proof, like a wrong password. Kafka fails at
 *   the first message, which tells a prober which users exist; the RFC 5802 §9 concern and Openfire's
 *   fix (OF-3258) take the deterministic-fake route used here. The failure keeps its own reason
 *   ('unknown-user') for the server's logs and metrics.
 */
import { assert } from '@tributary/core';
import { SECURITY_LIMITS } from './limits.js';
import { bytesEqual, hash, hmac, SCRAM_SUITES, type ScramKeys, type ScramSuite, xorBytes } from './scram.js';
import {
  type ClientFirstMessage,
  decodeScramMessage,
  encodeScramMessage,
  formatServerFirst,
  isScramNonce,
  parseClientFinal,
  parseClientFirst,
  type ScramFailure,
  type ScramFailureReason,
} from './scram-messages.js';

export type ScramServerState = 'awaiting-client-first' | 'awaiting-client-final' | 'complete' | 'failed';

export interface ScramServerOptions {
  readonly suite: ScramSuite;
  /** This exchange's half of the nonce, from the shell's random source (scramNonceFromBytes): ≥ 16 characters. */
  readonly serverNonce: string;
  /** The user's keys for this mechanism (the metadata image), or undefined for an unknown user. */
  readonly lookup: (username: string) => ScramKeys | undefined;
  /**
   * A secret the fake challenges for unknown users are derived from. The same on every broker (and
   * stable across restarts), or a prober comparing answers could tell fake users from real ones.
   */
  readonly unknownUserSecret: Uint8Array;
}

export type ScramServerStep =
  /** Send `message` (server-first) and wait for the client-final. */
  | { readonly kind: 'challenge'; readonly message: Uint8Array }
  /** Send `message` (server-final with the ServerSignature): `username` is authenticated. */
  | { readonly kind: 'success'; readonly message: Uint8Array; readonly username: string }
  /** Authentication failed: answer SASL_AUTHENTICATION_FAILED (publicScramError) and log `failure`. */
  | { readonly kind: 'failure'; readonly failure: ScramFailure };

/** The iteration count of fake challenges: Kafka's default for new credentials (kafka-configs.sh). */
export const UNKNOWN_USER_ITERATIONS = SECURITY_LIMITS.scramIterationsMin;

/** Deterministic keys for a user that does not exist (see the file comment); the salt is 32 bytes. */
export function unknownUserKeys(suite: ScramSuite, secret: Uint8Array, username: string): ScramKeys {
  const derive = (label: string): Buffer =>
    hmac(suite, secret, `tributary-scram-unknown-user\u0000${label}\u0000${username}`);
  return {
    salt: Uint8Array.from(
      hmac(SCRAM_SUITES['SCRAM-SHA-256'], secret, `tributary-scram-unknown-user\u0000salt\u0000${username}`),
    ),
    storedKey: derive('stored'),
    serverKey: derive('server'),
    iterations: UNKNOWN_USER_ITERATIONS,
  };
}

/**
 * The message a client may see. Credential failures share one text, so an answer never says whether the
 * user exists (Kafka's generic "invalid credentials" SaslException text).
 */
export function publicScramError(suite: ScramSuite, failure: ScramFailure): string {
  switch (failure.reason) {
    case 'authzid-mismatch':
      return 'Authentication failed: Client requested an authorization id that is different from username';
    case 'unsupported-channel-binding':
    case 'unsupported-extension':
      return `Authentication failed: ${failure.detail}`;
    case 'invalid-state':
      return 'Unexpected SASL message in this state of the exchange';
    default:
      return `Authentication failed during authentication due to invalid credentials with SASL mechanism ${suite.mechanism}`;
  }
}

/** The nonce librdkafka 2.0 sends back: its own nonce, then the combined one (see the file comment). */
function librdkafkaNonce(pending: {
  readonly clientFirst: ClientFirstMessage;
  readonly nonce: string;
}): string {
  return pending.clientFirst.clientNonce + pending.nonce;
}

interface Pending {
  readonly clientFirst: ClientFirstMessage;
  readonly serverFirst: string;
  readonly nonce: string;
  readonly keys: ScramKeys;
  readonly knownUser: boolean;
}

export class ScramServer {
  private current: ScramServerState = 'awaiting-client-first';
  private pending: Pending | undefined;
  private authenticated: string | undefined;

  constructor(private readonly options: ScramServerOptions) {
    assert(isScramNonce(options.serverNonce), 'the server nonce is printable ASCII without ","');
    assert(
      options.serverNonce.length >= SECURITY_LIMITS.scramOwnNonceLengthMin,
      'the server nonce is long enough',
    );
    assert(options.unknownUserSecret.length >= 16, 'the unknown-user secret has at least 128 bits');
  }

  get state(): ScramServerState {
    return this.current;
  }

  /** The authenticated user name, once complete. */
  get username(): string | undefined {
    return this.authenticated;
  }

  receive(bytes: Uint8Array): ScramServerStep {
    switch (this.current) {
      case 'awaiting-client-first':
        return this.receiveClientFirst(bytes);
      case 'awaiting-client-final':
        return this.receiveClientFinal(bytes);
      case 'complete':
      case 'failed':
        return this.fail('invalid-state', `a message arrived after the exchange was ${this.current}`);
    }
  }

  private fail(reason: ScramFailureReason, detail: string): ScramServerStep {
    this.current = 'failed';
    this.pending = undefined;
    return { kind: 'failure', failure: { reason, detail } };
  }

  private receiveClientFirst(bytes: Uint8Array): ScramServerStep {
    const text = decodeScramMessage(bytes);
    if (!text.ok) return this.fail(text.failure.reason, text.failure.detail);
    const parsed = parseClientFirst(text.message);
    if (!parsed.ok) return this.fail(parsed.failure.reason, parsed.failure.detail);
    const clientFirst = parsed.message;
    if (clientFirst.extensions.has('tokenauth')) {
      return this.fail(
        'unsupported-extension',
        'delegation token authentication (tokenauth) is not supported',
      );
    }
    if (clientFirst.authzid !== '' && clientFirst.authzid !== clientFirst.username) {
      return this.fail('authzid-mismatch', 'the authorization id differs from the user name');
    }
    const nonce = clientFirst.clientNonce + this.options.serverNonce;
    if (nonce.length > SECURITY_LIMITS.scramNonceLengthMax)
      return this.fail('invalid-message', 'the client nonce is too long');
    const found = this.options.lookup(clientFirst.username);
    const keys =
      found ?? unknownUserKeys(this.options.suite, this.options.unknownUserSecret, clientFirst.username);
    if (
      keys.iterations < SECURITY_LIMITS.scramIterationsMin ||
      keys.iterations > SECURITY_LIMITS.scramIterationsMax
    ) {
      // Kafka's ScramSaslServer refuses a stored credential below the minimum in the same place.
      return this.fail('invalid-credential', `the stored credential has ${keys.iterations} iterations`);
    }
    assert(keys.storedKey.length === this.options.suite.keyBytes, 'the stored key fits the mechanism');
    const serverFirst = formatServerFirst(nonce, keys.salt, keys.iterations);
    this.pending = { clientFirst, serverFirst, nonce, keys, knownUser: found !== undefined };
    this.current = 'awaiting-client-final';
    return { kind: 'challenge', message: encodeScramMessage(serverFirst) };
  }

  private receiveClientFinal(bytes: Uint8Array): ScramServerStep {
    const pending = this.pending;
    assert(pending !== undefined, 'a client-final is awaited only after a challenge');
    const text = decodeScramMessage(bytes);
    if (!text.ok) return this.fail(text.failure.reason, text.failure.detail);
    const parsed = parseClientFinal(text.message);
    if (!parsed.ok) return this.fail(parsed.failure.reason, parsed.failure.detail);
    const clientFinal = parsed.message;
    if (clientFinal.channelBinding !== Buffer.from(pending.clientFirst.gs2Header).toString('base64')) {
      return this.fail('channel-binding-mismatch', 'c= is not the client-first gs2 header');
    }
    if (clientFinal.nonce !== pending.nonce && clientFinal.nonce !== librdkafkaNonce(pending))
      return this.fail('nonce-mismatch', 'the nonce is not the one of this exchange');
    // RFC 5802 §3: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); the proof holds if H(ClientKey) = StoredKey.
    const suite = this.options.suite;
    const authMessage = `${pending.clientFirst.bare},${pending.serverFirst},${clientFinal.withoutProof}`;
    const clientSignature = hmac(suite, pending.keys.storedKey, authMessage);
    const proofValid =
      clientFinal.proof.length === suite.keyBytes &&
      bytesEqual(hash(suite, xorBytes(clientFinal.proof, clientSignature)), pending.keys.storedKey);
    if (!pending.knownUser)
      return this.fail('unknown-user', 'no SCRAM credential for this user and mechanism');
    if (!proofValid) return this.fail('invalid-proof', 'the client proof does not match the stored key');
    const serverSignature = hmac(suite, pending.keys.serverKey, authMessage);
    this.authenticated = pending.clientFirst.username;
    this.pending = undefined;
    this.current = 'complete';
    return {
      kind: 'success',
      message: encodeScramMessage(`v=${serverSignature.toString('base64')}`),
      username: this.authenticated,
    };
  }
}
