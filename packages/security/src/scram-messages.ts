/**
 * SCRAM's four messages (RFC 5802 §7), parsed strictly and formatted exactly:
 *
 *   client-first  = gs2-header [reserved-mext ","] "n=" saslname ",r=" c-nonce ["," extensions]
 *   server-first  = [reserved-mext ","] "r=" c-nonce s-nonce ",s=" salt ",i=" iteration-count ["," extensions]
 *   client-final  = "c=" base64(gs2-header) ",r=" nonce ["," extensions] ",p=" base64(proof)
 *   server-final  = ("e=" error | "v=" base64(ServerSignature)) ["," extensions]
 *
 * Each message is checked for size and UTF-8 before it is parsed. The texts each side signs (the bare
 * client-first, the server-first, the client-final without proof) are kept exactly as received.
 * Extension names are letters (Kafka's `tokenauth` is longer than the RFC's one letter, so any length).
 */
import { SECURITY_LIMITS } from './limits.js';
import { usernameOfSaslName } from './scram.js';

export type ScramFailureReason =
  // The message itself:
  | 'message-too-long'
  | 'invalid-encoding'
  | 'invalid-message'
  | 'unsupported-channel-binding'
  | 'unsupported-extension'
  | 'authzid-mismatch'
  | 'invalid-state'
  // The server's verdict:
  | 'unknown-user'
  | 'invalid-proof'
  | 'invalid-credential'
  | 'nonce-mismatch'
  | 'channel-binding-mismatch'
  // The client's checks of the server:
  | 'invalid-server-nonce'
  | 'iterations-out-of-range'
  | 'invalid-server-signature'
  | 'server-error';

/** A failed exchange. `detail` is safe to log (never a password, key or proof). */
export interface ScramFailure {
  readonly reason: ScramFailureReason;
  readonly detail: string;
}

export type Parsed<T> =
  | { readonly ok: true; readonly message: T }
  | { readonly ok: false; readonly failure: ScramFailure };

function fail(reason: ScramFailureReason, detail: string): { ok: false; failure: ScramFailure } {
  return { ok: false, failure: { reason, detail } };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const ENCODER = new TextEncoder();

export function encodeScramMessage(text: string): Uint8Array {
  return ENCODER.encode(text);
}

/** The message's text, if it is within the size bound and valid UTF-8 without NUL. */
export function decodeScramMessage(bytes: Uint8Array): Parsed<string> {
  if (bytes.length > SECURITY_LIMITS.saslMessageBytesMax) {
    return fail(
      'message-too-long',
      `${bytes.length} bytes; the limit is ${SECURITY_LIMITS.saslMessageBytesMax}`,
    );
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return fail('invalid-encoding', 'the message is not valid UTF-8');
  }
  if (text.includes('\u0000')) return fail('invalid-encoding', 'the message contains NUL');
  return { ok: true, message: text };
}

// RFC 5802 §7: printable = %x21-2B / %x2D-7E; value-safe-char excludes NUL (checked above), "=" and ",".
const NONCE = /^[\x21-\x2b\x2d-\x7e]+$/;
const SASLNAME = /^(?:[^=,]|=2C|=3D)+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const EXTENSION = /^([A-Za-z]+)=([^,]+)$/;

export function isScramNonce(text: string): boolean {
  return text.length <= SECURITY_LIMITS.scramNonceLengthMax && NONCE.test(text);
}

function base64Bytes(text: string): Uint8Array | undefined {
  return BASE64.test(text) ? Uint8Array.from(Buffer.from(text, 'base64')) : undefined;
}

/** `attr=value` pairs after the fixed attributes; undefined if one is malformed or a name repeats. */
function parseExtensions(parts: readonly string[]): Map<string, string> | undefined {
  const extensions = new Map<string, string>();
  for (const part of parts) {
    const match = EXTENSION.exec(part);
    if (match === null || extensions.has(match[1] ?? '')) return undefined;
    extensions.set(match[1] ?? '', match[2] ?? '');
  }
  return extensions;
}

/** The value of `name=` at the start of `part`, or undefined. */
function attribute(part: string | undefined, name: string): string | undefined {
  return part?.startsWith(`${name}=`) ? part.slice(name.length + 1) : undefined;
}

export interface ClientFirstMessage {
  /** `n,,` or `n,a=NAME,`, exactly as sent (the client-final's c= must carry it). */
  readonly gs2Header: string;
  /** The authorization id the client asks for, decoded; '' when none. */
  readonly authzid: string;
  readonly username: string;
  readonly clientNonce: string;
  readonly extensions: ReadonlyMap<string, string>;
  /** client-first-message-bare, as sent: the first part of AuthMessage. */
  readonly bare: string;
}

export function parseClientFirst(text: string): Parsed<ClientFirstMessage> {
  const parts = text.split(',');
  const [flag, authzPart, ...bareParts] = parts;
  if (flag === 'y' || flag?.startsWith('p=')) {
    return fail(
      'unsupported-channel-binding',
      `channel binding flag ${JSON.stringify(flag)}: only "n" is supported`,
    );
  }
  if (flag !== 'n' || authzPart === undefined)
    return fail('invalid-message', 'client-first: the gs2 header is not "n,[a=...],"');
  let authzid = '';
  if (authzPart !== '') {
    const raw = attribute(authzPart, 'a');
    const decoded = raw !== undefined && SASLNAME.test(raw) ? usernameOfSaslName(raw) : undefined;
    if (decoded === undefined)
      return fail('invalid-message', 'client-first: the authorization id is malformed');
    authzid = decoded;
  }
  if (bareParts[0]?.startsWith('m=')) {
    return fail(
      'unsupported-extension',
      'client-first: the reserved m= attribute must fail authentication (RFC 5802 §5.1)',
    );
  }
  const [namePart, noncePart, ...extensionParts] = bareParts;
  const saslName = attribute(namePart, 'n');
  const username =
    saslName !== undefined && SASLNAME.test(saslName) ? usernameOfSaslName(saslName) : undefined;
  if (username === undefined)
    return fail('invalid-message', 'client-first: the user name (n=) is missing or malformed');
  if (username.length > SECURITY_LIMITS.userNameLengthMax) {
    return fail(
      'invalid-message',
      `client-first: the user name is longer than ${SECURITY_LIMITS.userNameLengthMax} characters`,
    );
  }
  const clientNonce = attribute(noncePart, 'r');
  if (clientNonce === undefined || !isScramNonce(clientNonce)) {
    return fail('invalid-message', 'client-first: the nonce (r=) is missing or malformed');
  }
  const extensions = parseExtensions(extensionParts);
  if (extensions === undefined) return fail('invalid-message', 'client-first: an extension is malformed');
  const gs2Header = `${flag},${authzPart},`;
  return {
    ok: true,
    message: { gs2Header, authzid, username, clientNonce, extensions, bare: bareParts.join(',') },
  };
}

export interface ServerFirstMessage {
  /** The combined nonce: the client's, then the server's. */
  readonly nonce: string;
  readonly salt: Uint8Array;
  readonly iterations: number;
  /** The message as sent: the second part of AuthMessage. */
  readonly text: string;
}

export function formatServerFirst(nonce: string, salt: Uint8Array, iterations: number): string {
  return `r=${nonce},s=${Buffer.from(salt).toString('base64')},i=${iterations}`;
}

export function parseServerFirst(text: string): Parsed<ServerFirstMessage> {
  const parts = text.split(',');
  if (parts[0]?.startsWith('m='))
    return fail('unsupported-extension', 'server-first: the reserved m= attribute');
  const [noncePart, saltPart, iterationsPart, ...extensionParts] = parts;
  const nonce = attribute(noncePart, 'r');
  const saltText = attribute(saltPart, 's');
  const salt = saltText === undefined || saltText === '' ? undefined : base64Bytes(saltText);
  const iterationsText = attribute(iterationsPart, 'i');
  const valid =
    nonce !== undefined &&
    isScramNonce(nonce) &&
    salt !== undefined &&
    iterationsText !== undefined &&
    /^[1-9][0-9]{0,9}$/.test(iterationsText) &&
    parseExtensions(extensionParts) !== undefined;
  if (!valid) return fail('invalid-message', 'server-first: expected r=NONCE,s=SALT,i=ITERATIONS');
  return { ok: true, message: { nonce, salt, iterations: Number(iterationsText), text } };
}

export interface ClientFinalMessage {
  /** The c= value as sent: base64 of the gs2 header (no channel binding data with flag "n"). */
  readonly channelBinding: string;
  readonly nonce: string;
  readonly proof: Uint8Array;
  /** client-final-message-without-proof, as sent: the last part of AuthMessage. */
  readonly withoutProof: string;
}

export function parseClientFinal(text: string): Parsed<ClientFinalMessage> {
  const proofAt = text.lastIndexOf(',p=');
  const withoutProof = proofAt < 0 ? text : text.slice(0, proofAt);
  const proof = proofAt < 0 ? undefined : base64Bytes(text.slice(proofAt + 3));
  const [channelPart, noncePart, ...extensionParts] = withoutProof.split(',');
  const channelBinding = attribute(channelPart, 'c');
  const nonce = attribute(noncePart, 'r');
  const valid =
    proof !== undefined &&
    channelBinding !== undefined &&
    BASE64.test(channelBinding) &&
    nonce !== undefined &&
    isScramNonce(nonce) &&
    parseExtensions(extensionParts) !== undefined;
  if (!valid) return fail('invalid-message', 'client-final: expected c=BINDING,r=NONCE,p=PROOF');
  return { ok: true, message: { channelBinding, nonce, proof, withoutProof } };
}

export type ServerFinalMessage =
  | { readonly kind: 'verifier'; readonly serverSignature: Uint8Array }
  | { readonly kind: 'error'; readonly error: string };

export function parseServerFinal(text: string): Parsed<ServerFinalMessage> {
  const [first, ...extensionParts] = text.split(',');
  if (parseExtensions(extensionParts) === undefined)
    return fail('invalid-message', 'server-final: an extension is malformed');
  const error = attribute(first, 'e');
  if (error !== undefined && error !== '' && !error.includes('='))
    return { ok: true, message: { kind: 'error', error } };
  const signature = attribute(first, 'v');
  const bytes = signature === undefined || signature === '' ? undefined : base64Bytes(signature);
  if (bytes === undefined) return fail('invalid-message', 'server-final: expected v=SIGNATURE or e=ERROR');
  return { ok: true, message: { kind: 'verifier', serverSignature: bytes } };
}
