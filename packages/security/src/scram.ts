/**
 * SCRAM's key derivation and credentials (RFC 5802 §3; SHA-256 per RFC 7677, SHA-512 as Kafka offers it):
 *
 *   SaltedPassword = Hi(Normalize(password), salt, i)      Hi is PBKDF2 with HMAC-H and dkLen = |H|
 *   ClientKey      = HMAC(SaltedPassword, "Client Key")    StoredKey = H(ClientKey)
 *   ServerKey      = HMAC(SaltedPassword, "Server Key")
 *
 * The server stores only salt, StoredKey, ServerKey and i. Normalize is UTF-8 without SaslPrep, as in
 * Kafka (ScramFormatter.normalize): SaslPrep would map some passwords differently from Kafka's clients
 * and broker. node:crypto is used for its deterministic functions only; salts and nonces come in as
 * parameters from the shell's random source.
 */
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { SECURITY_LIMITS } from './limits.js';
import type { ScramCredential, ScramMechanism } from './types.js';

export type ScramHash = 'sha1' | 'sha256' | 'sha512';

/** A SCRAM mechanism's name, hash and key length (|H| bytes). */
export interface ScramSuite {
  readonly mechanism: string;
  readonly hash: ScramHash;
  readonly keyBytes: number;
}

export const SCRAM_SUITES: Readonly<Record<ScramMechanism, ScramSuite>> = {
  'SCRAM-SHA-256': { mechanism: 'SCRAM-SHA-256', hash: 'sha256', keyBytes: 32 },
  'SCRAM-SHA-512': { mechanism: 'SCRAM-SHA-512', hash: 'sha512', keyBytes: 64 },
};

/** Only to run RFC 5802's test vector (which is SHA-1); Tributary never offers SCRAM-SHA-1. */
export const SCRAM_SHA_1_FOR_TEST_VECTORS: ScramSuite = {
  mechanism: 'SCRAM-SHA-1',
  hash: 'sha1',
  keyBytes: 20,
};

/** What a server needs to verify a user: ScramCredential without the user and mechanism. */
export interface ScramKeys {
  readonly salt: Uint8Array;
  readonly storedKey: Uint8Array;
  readonly serverKey: Uint8Array;
  readonly iterations: number;
}

export function hmac(suite: ScramSuite, key: Uint8Array, data: Uint8Array | string): Buffer {
  return createHmac(suite.hash, key).update(data).digest();
}

export function hash(suite: ScramSuite, data: Uint8Array): Buffer {
  return createHash(suite.hash).update(data).digest();
}

/** Hi(Normalize(password), salt, i): PBKDF2-HMAC-H with dkLen = |H| (RFC 5802 §2.2). */
export function saltedPassword(
  suite: ScramSuite,
  password: string,
  salt: Uint8Array,
  iterations: number,
): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, suite.keyBytes, suite.hash);
}

export function clientKeyOf(suite: ScramSuite, salted: Uint8Array): Buffer {
  return hmac(suite, salted, 'Client Key');
}

export function serverKeyOf(suite: ScramSuite, salted: Uint8Array): Buffer {
  return hmac(suite, salted, 'Server Key');
}

/** The keys for a password, with no bound checked (the RFC vectors use a 12-byte salt). */
export function deriveScramKeys(
  suite: ScramSuite,
  password: string,
  salt: Uint8Array,
  iterations: number,
): ScramKeys {
  const salted = saltedPassword(suite, password, salt, iterations);
  return {
    salt: Uint8Array.from(salt),
    storedKey: hash(suite, clientKeyOf(suite, salted)),
    serverKey: serverKeyOf(suite, salted),
    iterations,
  };
}

export function xorBytes(a: Uint8Array, b: Uint8Array): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}

/** Constant-time equality of two byte strings (lengths are not secret). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface CreateScramCredentialOptions {
  readonly mechanism: ScramMechanism;
  readonly user: string;
  readonly password: string;
  /** Random bytes from the shell: at least 16 (SECURITY_LIMITS.scramSaltBytesMin); 32 is recommended. */
  readonly salt: Uint8Array;
  /** Kafka's bounds: 4096 to 16384. */
  readonly iterations: number;
}

export type ScramCredentialCreation =
  | { readonly ok: true; readonly credential: ScramCredential }
  | { readonly ok: false; readonly error: string };

/** Checks a credential's parameters (Kafka's ScramControlManager.validateUpsertion, plus salt bounds). */
export function validateScramParameters(
  options: Omit<CreateScramCredentialOptions, 'mechanism' | 'password'>,
): string[] {
  const limits = SECURITY_LIMITS;
  const errors: string[] = [];
  if (options.user === '') errors.push('user name must not be empty');
  if (options.user.length > limits.userNameLengthMax) {
    errors.push(`user name is ${options.user.length} characters; the limit is ${limits.userNameLengthMax}`);
  }
  if (!Number.isInteger(options.iterations) || options.iterations < limits.scramIterationsMin) {
    errors.push(`too few iterations: ${options.iterations} (the minimum is ${limits.scramIterationsMin})`);
  } else if (options.iterations > limits.scramIterationsMax) {
    errors.push(`too many iterations: ${options.iterations} (the maximum is ${limits.scramIterationsMax})`);
  }
  if (options.salt.length < limits.scramSaltBytesMin || options.salt.length > limits.scramSaltBytesMax) {
    errors.push(
      `salt is ${options.salt.length} bytes; it must be ${limits.scramSaltBytesMin} to ${limits.scramSaltBytesMax}`,
    );
  }
  return errors;
}

/** A credential for the metadata log: the password itself is not kept. */
export function createScramCredential(options: CreateScramCredentialOptions): ScramCredentialCreation {
  const errors = validateScramParameters(options);
  if (options.password === '') errors.push('password must not be empty');
  if (options.password.length > SECURITY_LIMITS.passwordLengthMax) {
    errors.push(`password is longer than ${SECURITY_LIMITS.passwordLengthMax} characters`);
  }
  if (errors.length > 0) return { ok: false, error: errors.join('; ') };
  const keys = deriveScramKeys(
    SCRAM_SUITES[options.mechanism],
    options.password,
    options.salt,
    options.iterations,
  );
  return { ok: true, credential: { user: options.user, mechanism: options.mechanism, ...keys } };
}

/**
 * Whether `password` is the one the credential was made from (for SASL/PLAIN, which checks a password
 * against the SCRAM credentials instead of keeping a second copy). Costs one key derivation.
 */
export function verifyScramPassword(credential: ScramCredential, password: string): boolean {
  const suite = SCRAM_SUITES[credential.mechanism];
  const keys = deriveScramKeys(suite, password, credential.salt, credential.iterations);
  return bytesEqual(keys.storedKey, credential.storedKey);
}

/** RFC 5802 §5.1: `,` and `=` in a user name are sent as `=2C` and `=3D` (Kafka's ScramFormatter.saslName). */
export function saslNameOf(username: string): string {
  return username.replaceAll('=', '=3D').replaceAll(',', '=2C');
}

/** The user name a saslname stands for, or undefined when a `=` is not followed by `2C` or `3D` (RFC 5802 §5.1). */
export function usernameOfSaslName(saslName: string): string | undefined {
  let out = '';
  for (let i = 0; i < saslName.length; i++) {
    const char = saslName[i];
    if (char !== '=') {
      out += char;
      continue;
    }
    const code = saslName.slice(i + 1, i + 3);
    if (code === '2C') out += ',';
    else if (code === '3D') out += '=';
    else return undefined;
    i += 2;
  }
  return out;
}

/** A nonce from random bytes (base64 is printable and has no `,`): the shell passes it to client or server. */
export function scramNonceFromBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
