import { describe, expect, it } from 'vitest';
import { SECURITY_LIMITS } from './limits.js';
import {
  createScramCredential,
  deriveScramKeys,
  SCRAM_SHA_1_FOR_TEST_VECTORS,
  SCRAM_SUITES,
  type ScramSuite,
  saslNameOf,
  scramNonceFromBytes,
  usernameOfSaslName,
  verifyScramPassword,
} from './scram.js';
import { ScramClient } from './scram-client.js';
import { ScramServer } from './scram-server.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const SECRET = new Uint8Array(32).fill(7);

/**
 * The RFC test vectors, run through both state machines: every message must come out byte for byte.
 * RFC 5802 §5 is SCRAM-SHA-1 (not a mechanism Tributary offers, but the same algorithm); RFC 7677 §3 is
 * SCRAM-SHA-256.
 */
const VECTORS: ReadonlyArray<{
  name: string;
  suite: ScramSuite;
  clientNonce: string;
  serverNonce: string;
  salt: string;
  messages: readonly [string, string, string, string];
}> = [
  {
    name: 'RFC 5802 §5 (SHA-1)',
    suite: SCRAM_SHA_1_FOR_TEST_VECTORS,
    clientNonce: 'fyko+d2lbbFgONRv9qkxdawL',
    serverNonce: '3rfcNHYJY1ZVvWVs7j',
    salt: 'QSXCR+Q6sek8bf92',
    messages: [
      'n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL',
      'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096',
      'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
      'v=rmF9pqV8S7suAoZWja4dJRkFsKQ=',
    ],
  },
  {
    name: 'RFC 7677 §3 (SHA-256)',
    suite: SCRAM_SUITES['SCRAM-SHA-256'],
    clientNonce: 'rOprNGfwEbeRWgbNEkqO',
    serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
    salt: 'W22ZaJ0SNY7soEsUEjb6gQ==',
    messages: [
      'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
      'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
    ],
  },
];

describe('SCRAM test vectors', () => {
  it.each(VECTORS)('$name: client and server produce every message exactly', (vector) => {
    const keys = deriveScramKeys(vector.suite, 'pencil', Buffer.from(vector.salt, 'base64'), 4096);
    const server = new ScramServer({
      suite: vector.suite,
      serverNonce: vector.serverNonce,
      lookup: (user) => (user === 'user' ? keys : undefined),
      unknownUserSecret: SECRET,
    });
    const client = new ScramClient({
      suite: vector.suite,
      username: 'user',
      password: 'pencil',
      clientNonce: vector.clientNonce,
    });
    const [clientFirst, serverFirst, clientFinal, serverFinal] = vector.messages;

    expect(text(client.first())).toBe(clientFirst);
    const challenge = server.receive(bytes(clientFirst));
    expect(challenge.kind === 'challenge' && text(challenge.message)).toBe(serverFirst);
    const answer = client.receiveServerFirst(bytes(serverFirst));
    expect(answer.ok && text(answer.message)).toBe(clientFinal);
    const done = server.receive(bytes(clientFinal));
    expect(done).toEqual({ kind: 'success', message: bytes(serverFinal), username: 'user' });
    expect(client.receiveServerFinal(bytes(serverFinal))).toEqual({ ok: true });
    expect([server.state, client.state, server.username]).toEqual(['complete', 'complete', 'user']);
  });
});

describe('SCRAM credentials', () => {
  const salt = new Uint8Array(32).fill(1);

  it('keep salt, keys and iterations, never the password', () => {
    const created = createScramCredential({
      mechanism: 'SCRAM-SHA-512',
      user: 'alice',
      password: 'pw',
      salt,
      iterations: 4096,
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const credential = created.credential;
    expect(credential.storedKey).toHaveLength(64);
    expect(credential.serverKey).toHaveLength(64);
    expect(JSON.stringify(credential)).not.toContain('pw');
    expect(verifyScramPassword(credential, 'pw')).toBe(true);
    expect(verifyScramPassword(credential, 'pW')).toBe(false);
  });

  it.each([
    [{ iterations: 4095 }, 'too few iterations: 4095 (the minimum is 4096)'],
    [{ iterations: 16_385 }, 'too many iterations: 16385 (the maximum is 16384)'],
    [{ iterations: 5000.5 }, 'too few iterations'],
    [{ salt: new Uint8Array(15) }, 'salt is 15 bytes; it must be 16 to 256'],
    [{ user: '' }, 'user name must not be empty'],
    [{ user: 'u'.repeat(SECURITY_LIMITS.userNameLengthMax + 1) }, 'the limit is 256'],
    [{ password: '' }, 'password must not be empty'],
  ])('refuse %j', (fields, message) => {
    const created = createScramCredential({
      mechanism: 'SCRAM-SHA-256',
      user: 'alice',
      password: 'pw',
      salt,
      iterations: 4096,
      ...fields,
    });
    expect(created.ok).toBe(false);
    if (!created.ok) expect(created.error).toContain(message);
  });

  it('do not apply SaslPrep: the password is UTF-8 as Kafka normalizes it', () => {
    // U+00AD (soft hyphen) is mapped to nothing by SaslPrep; Kafka and Tributary keep it.
    const a = deriveScramKeys(SCRAM_SUITES['SCRAM-SHA-256'], 'pass\u00adword', salt, 4096);
    const b = deriveScramKeys(SCRAM_SUITES['SCRAM-SHA-256'], 'password', salt, 4096);
    expect(Buffer.from(a.storedKey).equals(Buffer.from(b.storedKey))).toBe(false);
  });
});

describe('SCRAM user names', () => {
  it('escape "," and "=" as =2C and =3D (RFC 5802 §5.1)', () => {
    expect(saslNameOf('a,b=c')).toBe('a=2Cb=3Dc');
    expect(usernameOfSaslName('a=2Cb=3Dc')).toBe('a,b=c');
    expect(usernameOfSaslName('=3D2C')).toBe('=2C');
  });

  it.each(['a=b', 'a=', '=2c', '=3', 'x=41'])('refuse a bare "=" in %j', (saslName) => {
    expect(usernameOfSaslName(saslName)).toBeUndefined();
  });

  it('make nonces from random bytes', () => {
    expect(scramNonceFromBytes(new Uint8Array([0xfb, 0xff, 0x00, 1, 2, 3]))).toBe('+/8AAQID');
  });
});
