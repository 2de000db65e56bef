import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECURITY_LIMITS } from './limits.js';
import { formatSaslPlain, parseSaslPlain } from './sasl-plain.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('SASL/PLAIN', () => {
  it('reads [authzid] NUL authcid NUL passwd', () => {
    const ok = { ok: true, credentials: { username: 'alice', password: 'pw' } };
    expect(parseSaslPlain(bytes('\u0000alice\u0000pw'))).toEqual(ok);
    expect(parseSaslPlain(bytes('alice\u0000alice\u0000pw'))).toEqual(ok);
    expect(parseSaslPlain(bytes('\u0000ünïcode\u0000p w'))).toEqual({
      ok: true,
      credentials: { username: 'ünïcode', password: 'p w' },
    });
  });

  it.each([
    ['alice', 'expected 3 tokens, got 1'],
    ['\u0000alice', 'expected 3 tokens, got 2'],
    ['\u0000alice\u0000pw\u0000', 'expected 3 tokens, got 4'],
    ['\u0000a\u0000b\u0000c\u0000d', 'expected 3 tokens, got 4'],
    ['\u0000\u0000pw', 'username not specified'],
    ['\u0000alice\u0000', 'password not specified'],
    ['admin\u0000alice\u0000pw', 'authorization id that is different from username'],
    [`\u0000${'u'.repeat(SECURITY_LIMITS.userNameLengthMax + 1)}\u0000pw`, 'user name is longer'],
    [`\u0000alice\u0000${'p'.repeat(SECURITY_LIMITS.passwordLengthMax + 1)}`, 'password is longer'],
    ['\u0000alice\u0000'.padEnd(SECURITY_LIMITS.saslMessageBytesMax + 1, 'p'), 'the limit is 4096'],
  ])('refuses %j (%s)', (message, error) => {
    const parsed = parseSaslPlain(bytes(message));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(error);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(parseSaslPlain(new Uint8Array([0, 0x61, 0, 0xff]))).toEqual({
      ok: false,
      error: 'Invalid SASL/PLAIN response: not valid UTF-8',
    });
  });

  it('round-trips and never puts the password in an error', () => {
    const field = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('\u0000'));
    fc.assert(
      fc.property(field, field, (username, password) => {
        expect(parseSaslPlain(formatSaslPlain({ username, password }))).toEqual({
          ok: true,
          credentials: { username, password },
        });
      }),
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 8 }),
        field,
        fc.string({ maxLength: 8 }),
        (authzid, username, extra) => {
          const password = 'S3cr3t-Passw0rd';
          const parsed = parseSaslPlain(bytes(`${authzid}\u0000${username}\u0000${password}${extra}`));
          if (!parsed.ok) expect(parsed.error).not.toContain(password);
        },
      ),
    );
  });
});
