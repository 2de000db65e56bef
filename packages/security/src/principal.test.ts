import { describe, expect, it } from 'vitest';
import { SECURITY_LIMITS } from './limits.js';
import { parsePrincipal, parseSuperUsers, userPrincipal } from './principal.js';
import { principalToString } from './types.js';

describe('principals', () => {
  it('parse at the first colon, so names may contain colons (SecurityUtils.parseKafkaPrincipal)', () => {
    expect(parsePrincipal('User:alice')).toEqual({ ok: true, principal: { type: 'User', name: 'alice' } });
    expect(parsePrincipal('User:CN=a:b,O=c')).toEqual({
      ok: true,
      principal: { type: 'User', name: 'CN=a:b,O=c' },
    });
    expect(parsePrincipal('User:*')).toEqual({ ok: true, principal: { type: 'User', name: '*' } });
  });

  it.each([
    ['alice', 'no colon'],
    [':alice', 'empty type'],
    ['User:', 'empty name'],
    [`User:${'x'.repeat(SECURITY_LIMITS.principalLengthMax)}`, 'the limit is 1024'],
  ])('refuse %j (%s)', (text, message) => {
    const parsed = parsePrincipal(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });

  it('format and parse are inverse', () => {
    for (const text of ['User:alice', 'User:CN=x,OU=y', 'Group:ops']) {
      const parsed = parsePrincipal(text);
      expect(parsed.ok && principalToString(parsed.principal)).toBe(text);
    }
    expect(principalToString(userPrincipal('bob'))).toBe('User:bob');
  });
});

describe('super.users', () => {
  it('splits on semicolons (DNs contain commas), trims, skips empty entries', () => {
    const parsed = parseSuperUsers(' User:admin ; User:CN=node-1,O=Tributary;;');
    expect(parsed).toEqual({ ok: true, superUsers: new Set(['User:admin', 'User:CN=node-1,O=Tributary']) });
    expect(parseSuperUsers('')).toEqual({ ok: true, superUsers: new Set() });
  });

  it('names a malformed entry', () => {
    expect(parseSuperUsers('User:admin;admin')).toEqual({
      ok: false,
      error: 'super.users: principal "admin" is not Type:name (no colon between type and name)',
    });
  });

  it('is bounded', () => {
    const many = Array.from({ length: SECURITY_LIMITS.superUsersMax + 1 }, (_, i) => `User:u${i}`).join(';');
    expect(parseSuperUsers(many).ok).toBe(false);
  });
});
