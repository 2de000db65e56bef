/**
 * SASL/PLAIN (RFC 4616): `[authzid] NUL authcid NUL passwd`, as Kafka's PlainSaslServer reads it. Exactly
 * three fields (two NULs); the user name and the password must not be empty; the authorization id must
 * be empty or the user name itself (Kafka refuses acting as another user). The password is then checked
 * by the caller against the user's SCRAM credential (verifyScramPassword), so PLAIN needs no second copy
 * of any secret. PLAIN sends the password itself: listeners offer it over TLS only.
 */
import { SECURITY_LIMITS } from './limits.js';

export interface SaslPlainCredentials {
  readonly username: string;
  readonly password: string;
}

export type SaslPlainParse =
  | { readonly ok: true; readonly credentials: SaslPlainCredentials }
  | { readonly ok: false; readonly error: string };

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function refuse(error: string): SaslPlainParse {
  return { ok: false, error };
}

/** Parses a client's PLAIN message. The errors are Kafka's texts and never contain the password. */
export function parseSaslPlain(bytes: Uint8Array): SaslPlainParse {
  if (bytes.length > SECURITY_LIMITS.saslMessageBytesMax) {
    return refuse(
      `Invalid SASL/PLAIN response: ${bytes.length} bytes; the limit is ${SECURITY_LIMITS.saslMessageBytesMax}`,
    );
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return refuse('Invalid SASL/PLAIN response: not valid UTF-8');
  }
  const tokens = text.split('\u0000');
  if (tokens.length !== 3) {
    return refuse(`Invalid SASL/PLAIN response: expected 3 tokens, got ${Math.min(tokens.length, 4)}`);
  }
  const [authzid = '', username = '', password = ''] = tokens;
  if (username === '') return refuse('Authentication failed: username not specified');
  if (password === '') return refuse('Authentication failed: password not specified');
  if (username.length > SECURITY_LIMITS.userNameLengthMax) {
    return refuse(
      `Authentication failed: the user name is longer than ${SECURITY_LIMITS.userNameLengthMax} characters`,
    );
  }
  if (password.length > SECURITY_LIMITS.passwordLengthMax) {
    return refuse(
      `Authentication failed: the password is longer than ${SECURITY_LIMITS.passwordLengthMax} characters`,
    );
  }
  if (authzid !== '' && authzid !== username) {
    return refuse(
      'Authentication failed: Client requested an authorization id that is different from username',
    );
  }
  return { ok: true, credentials: { username, password } };
}

/** A client's PLAIN message (no authorization id, as Kafka's PlainSaslClient sends). */
export function formatSaslPlain(credentials: SaslPlainCredentials): Uint8Array {
  return new TextEncoder().encode(`\u0000${credentials.username}\u0000${credentials.password}`);
}
