/**
 * The client side of a SCRAM exchange (RFC 5802 §5), for Tributary's client and for tests:
 *
 *   start --first()--> awaiting-server-first --receiveServerFirst--> awaiting-server-final
 *         --receiveServerFinal--> complete            (any failure --> failed)
 *
 * The client checks what a hostile or broken server could abuse (Kafka's ScramSaslClient checks the
 * first two): the combined nonce must extend the client's own; the iteration count must be within
 * Kafka's bounds (below 4096 would let a fake server collect a cheaply crackable proof, above 16384 would
 * make the client burn CPU); and the server's signature must prove it knows the ServerKey.
 */
import { assert } from '@tributary/core';
import { SECURITY_LIMITS } from './limits.js';
import {
  bytesEqual,
  clientKeyOf,
  hash,
  hmac,
  type ScramSuite,
  saltedPassword,
  saslNameOf,
  serverKeyOf,
  xorBytes,
} from './scram.js';
import {
  decodeScramMessage,
  encodeScramMessage,
  isScramNonce,
  parseServerFinal,
  parseServerFirst,
  type ScramFailure,
  type ScramFailureReason,
} from './scram-messages.js';

export type ScramClientState =
  | 'start'
  | 'awaiting-server-first'
  | 'awaiting-server-final'
  | 'complete'
  | 'failed';

export interface ScramClientOptions {
  readonly suite: ScramSuite;
  readonly username: string;
  readonly password: string;
  /** This exchange's nonce, from the caller's random source (scramNonceFromBytes): ≥ 16 characters. */
  readonly clientNonce: string;
}

export type ScramClientStep =
  | { readonly ok: true; readonly message: Uint8Array }
  | { readonly ok: false; readonly failure: ScramFailure };

export class ScramClient {
  private current: ScramClientState = 'start';
  private clientFirstBare = '';
  private expectedServerSignature: Buffer | undefined;

  constructor(private readonly options: ScramClientOptions) {
    assert(isScramNonce(options.clientNonce), 'the client nonce is printable ASCII without ","');
    assert(
      options.clientNonce.length >= SECURITY_LIMITS.scramOwnNonceLengthMin,
      'the client nonce is long enough',
    );
  }

  get state(): ScramClientState {
    return this.current;
  }

  /** The client-first message: no channel binding, no authorization id (`n,,`). */
  first(): Uint8Array {
    assert(this.current === 'start', () => `first() in state ${this.current}`);
    this.clientFirstBare = `n=${saslNameOf(this.options.username)},r=${this.options.clientNonce}`;
    this.current = 'awaiting-server-first';
    return encodeScramMessage(`n,,${this.clientFirstBare}`);
  }

  /** Answers the server-first with the client-final (carrying the proof). */
  receiveServerFirst(bytes: Uint8Array): ScramClientStep {
    if (this.current !== 'awaiting-server-first')
      return this.fail('invalid-state', `server-first in state ${this.current}`);
    const text = decodeScramMessage(bytes);
    if (!text.ok) return this.fail(text.failure.reason, text.failure.detail);
    const parsed = parseServerFirst(text.message);
    if (!parsed.ok) return this.fail(parsed.failure.reason, parsed.failure.detail);
    const serverFirst = parsed.message;
    const clientNonce = this.options.clientNonce;
    if (!serverFirst.nonce.startsWith(clientNonce) || serverFirst.nonce.length === clientNonce.length) {
      return this.fail('invalid-server-nonce', 'the server nonce does not extend the client nonce');
    }
    const { scramIterationsMin, scramIterationsMax } = SECURITY_LIMITS;
    if (serverFirst.iterations < scramIterationsMin || serverFirst.iterations > scramIterationsMax) {
      return this.fail(
        'iterations-out-of-range',
        `the server asks for ${serverFirst.iterations} iterations; accepted: ${scramIterationsMin} to ${scramIterationsMax}`,
      );
    }
    const suite = this.options.suite;
    const salted = saltedPassword(suite, this.options.password, serverFirst.salt, serverFirst.iterations);
    const withoutProof = `c=${Buffer.from('n,,').toString('base64')},r=${serverFirst.nonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirst.text},${withoutProof}`;
    const clientKey = clientKeyOf(suite, salted);
    const proof = xorBytes(clientKey, hmac(suite, hash(suite, clientKey), authMessage));
    this.expectedServerSignature = hmac(suite, serverKeyOf(suite, salted), authMessage);
    this.current = 'awaiting-server-final';
    return { ok: true, message: encodeScramMessage(`${withoutProof},p=${proof.toString('base64')}`) };
  }

  /** Checks the server-final: the exchange is complete only if the server proved it knows the ServerKey. */
  receiveServerFinal(
    bytes: Uint8Array,
  ): { readonly ok: true } | { readonly ok: false; readonly failure: ScramFailure } {
    const expected = this.expectedServerSignature;
    if (this.current !== 'awaiting-server-final' || expected === undefined) {
      return this.fail('invalid-state', `server-final in state ${this.current}`);
    }
    const text = decodeScramMessage(bytes);
    if (!text.ok) return this.fail(text.failure.reason, text.failure.detail);
    const parsed = parseServerFinal(text.message);
    if (!parsed.ok) return this.fail(parsed.failure.reason, parsed.failure.detail);
    if (parsed.message.kind === 'error')
      return this.fail('server-error', `the server answered e=${parsed.message.error}`);
    if (!bytesEqual(parsed.message.serverSignature, expected)) {
      return this.fail(
        'invalid-server-signature',
        'the server signature does not match: the server does not know the key',
      );
    }
    this.current = 'complete';
    this.expectedServerSignature = undefined;
    return { ok: true };
  }

  private fail(
    reason: ScramFailureReason,
    detail: string,
  ): { readonly ok: false; readonly failure: ScramFailure } {
    this.current = 'failed';
    this.expectedServerSignature = undefined;
    return { ok: false, failure: { reason, detail } };
  }
}
