import { randomBytes } from 'node:crypto';
import { ManualClock, TributaryError } from '@tributary/core';
import {
  createScramCredential,
  SCRAM_SUITES,
  ScramClient,
  type ScramCredential,
  type ScramMechanism,
  SECURITY_LIMITS,
  scramNonceFromBytes,
} from '@tributary/security';
import { describe, expect, it } from 'vitest';
import { AuthSessions } from './auth-service.js';
import { ExpiringMap, SessionStore } from './session-store.js';

const HOUR_MS = 3_600_000;

function credential(
  user: string,
  password: string,
  mechanism: ScramMechanism = 'SCRAM-SHA-256',
): ScramCredential {
  const made = createScramCredential({ mechanism, user, password, salt: randomBytes(16), iterations: 4096 });
  if (!made.ok) throw new Error(made.error);
  return made.credential;
}

/** A users table standing in for the metadata image; tests change it as the log would. */
class Users {
  readonly byKey = new Map<string, ScramCredential>();
  set(entry: ScramCredential): void {
    this.byKey.set(`${entry.user}/${entry.mechanism}`, entry);
  }
  delete(user: string, mechanism: ScramMechanism): void {
    this.byKey.delete(`${user}/${mechanism}`);
  }
  lookup = (user: string, mechanism: ScramMechanism): ScramCredential | undefined =>
    this.byKey.get(`${user}/${mechanism}`);
}

function setup(lifetimeMs = HOUR_MS) {
  const clock = new ManualClock();
  const users = new Users();
  const warnings: object[] = [];
  const sessions = new AuthSessions({
    credential: users.lookup,
    sessionLifetimeMs: lifetimeMs,
    unknownUserSecret: Buffer.alloc(32, 7),
    clock,
    logger: { info: () => {}, warn: (fields) => warnings.push(fields) },
  });
  return { clock, users, sessions, warnings };
}

function login(
  sessions: AuthSessions,
  user: string,
  password: string,
  mechanism: ScramMechanism = 'SCRAM-SHA-256',
): string {
  const client = new ScramClient({
    suite: SCRAM_SUITES[mechanism],
    username: user,
    password,
    clientNonce: scramNonceFromBytes(randomBytes(18)),
  });
  const started = sessions.start(mechanism, client.first(), 'test');
  const final = client.receiveServerFirst(started.serverFirst);
  if (!final.ok) throw new Error(final.failure.detail);
  const grant = sessions.finish(started.exchangeId, final.message, 'test');
  const verified = client.receiveServerFinal(grant.serverFinal);
  expect(verified.ok).toBe(true);
  return grant.sessionToken;
}

function authenticationError(work: () => unknown): TributaryError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(TributaryError);
    return error as TributaryError;
  }
  throw new Error('expected an authentication failure');
}

describe('ExpiringMap', () => {
  it('expires entries, takes each once, and drops the oldest when full', () => {
    const map = new ExpiringMap<number>(100, 3);
    map.add('a', 1, 0);
    map.add('b', 2, 10);
    expect(map.take('a', 50)).toBe(1);
    expect(map.take('a', 50)).toBeUndefined();
    expect(map.peek('b', 110)).toBeUndefined();
    for (const [i, key] of ['c', 'd', 'e', 'f'].entries()) map.add(key, i, 200);
    expect(map.size).toBe(3);
    expect(map.peek('c', 200)).toBeUndefined();
    expect(map.peek('f', 200)).toBe(3);
    map.sweep(300);
    expect(map.size).toBe(0);
  });
});

describe('SessionStore', () => {
  it('bounds the sessions it keeps, oldest out first', () => {
    const store = new SessionStore({ lifetimeMs: HOUR_MS, sessionsMax: 2 });
    const entry = credential('alice', 'pw');
    const lookup = () => entry;
    for (const token of ['t1', 't2', 't3']) {
      store.create(token, { user: 'alice', mechanism: 'SCRAM-SHA-256', storedKey: entry.storedKey }, 0);
    }
    expect(store.size).toBe(2);
    expect(store.check('t1', 1, lookup)).toEqual({ ok: false, reason: 'unknown' });
    expect(store.check('t3', 1, lookup).ok).toBe(true);
  });

  it('refuses lifetimes out of bounds', () => {
    expect(() => new SessionStore({ lifetimeMs: SECURITY_LIMITS.sessionLifetimeMsMin - 1 })).toThrow();
    expect(() => new SessionStore({ lifetimeMs: SECURITY_LIMITS.sessionLifetimeMsMax + 1 })).toThrow();
  });
});

describe('AuthSessions', () => {
  it('opens a session for the right password, with both mechanisms', () => {
    const { users, sessions } = setup();
    users.set(credential('alice', 'secret', 'SCRAM-SHA-256'));
    users.set(credential('alice', 'secret', 'SCRAM-SHA-512'));
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
      const token = login(sessions, 'alice', 'secret', mechanism);
      expect(token.length).toBeGreaterThanOrEqual(40);
      const checked = sessions.check(token);
      expect(checked.ok && checked.session.user).toBe('alice');
    }
    expect(sessions.sessionCount).toBe(2);
  });

  it('answers a wrong password and an unknown user with the same error', () => {
    const { users, sessions, warnings } = setup();
    users.set(credential('alice', 'secret'));
    const wrong = authenticationError(() => login(sessions, 'alice', 'wrong'));
    const unknown = authenticationError(() => login(sessions, 'mallory', 'secret'));
    expect(wrong.code).toBe('SASL_AUTHENTICATION_FAILED');
    expect(unknown.code).toBe('SASL_AUTHENTICATION_FAILED');
    expect(wrong.message).toBe(unknown.message);
    expect(warnings).toEqual([
      { mechanism: 'SCRAM-SHA-256', peer: 'test', reason: 'invalid-proof' },
      { mechanism: 'SCRAM-SHA-256', peer: 'test', reason: 'unknown-user' },
    ]);
    expect(sessions.sessionCount).toBe(0);
    expect(sessions.pendingExchangeCount).toBe(0);
  });

  it('expires sessions and exchanges', () => {
    const { clock, users, sessions } = setup(60_000);
    users.set(credential('alice', 'secret'));
    const token = login(sessions, 'alice', 'secret');
    clock.advance(59_999);
    expect(sessions.check(token).ok).toBe(true);
    clock.advance(1);
    expect(sessions.check(token)).toEqual({ ok: false, reason: 'unknown' });

    const client = new ScramClient({
      suite: SCRAM_SUITES['SCRAM-SHA-256'],
      username: 'alice',
      password: 'secret',
      clientNonce: scramNonceFromBytes(randomBytes(18)),
    });
    const started = sessions.start('SCRAM-SHA-256', client.first(), 'test');
    clock.advance(SECURITY_LIMITS.authExchangeTimeoutMs);
    const final = client.receiveServerFirst(started.serverFirst);
    expect(final.ok).toBe(true);
    if (final.ok) {
      expect(
        authenticationError(() => sessions.finish(started.exchangeId, final.message, 'test')).message,
      ).toMatch(/unknown or timed out/);
    }
  });

  it('ends sessions when the user is deleted or its password changes', () => {
    const { users, sessions } = setup();
    users.set(credential('alice', 'secret'));
    users.set(credential('bob', 'secret'));
    const alice = login(sessions, 'alice', 'secret');
    const bob = login(sessions, 'bob', 'secret');
    users.delete('alice', 'SCRAM-SHA-256');
    expect(sessions.check(alice)).toEqual({ ok: false, reason: 'revoked' });
    users.set(credential('bob', 'new password'));
    expect(sessions.check(bob)).toEqual({ ok: false, reason: 'revoked' });
    // Re-creating the user does not bring the old session back (it was dropped).
    users.set(credential('alice', 'secret'));
    expect(sessions.check(alice).ok).toBe(false);
  });

  it('bounds pending exchanges: the oldest is dropped', () => {
    const { sessions } = setup();
    const first = sessions.start('SCRAM-SHA-256', Buffer.from('n,,n=a,r=abcdefghijklmnopqrstuvwxyz'), 'x');
    for (let i = 0; i < SECURITY_LIMITS.authExchangesPendingMax; i++) {
      sessions.start('SCRAM-SHA-256', Buffer.from(`n,,n=u${i},r=abcdefghijklmnopqrstuvwxyz`), 'x');
    }
    expect(sessions.pendingExchangeCount).toBe(SECURITY_LIMITS.authExchangesPendingMax);
    expect(() => sessions.finish(first.exchangeId, Buffer.from('c=biws,r=x,p=AAAA'), 'x')).toThrow(
      /unknown or timed out/,
    );
  });

  it('refuses unsupported mechanisms and malformed tokens', () => {
    const { sessions } = setup();
    expect(authenticationError(() => sessions.start('PLAIN', Buffer.from('x'), 'x')).code).toBe(
      'UNSUPPORTED_SASL_MECHANISM',
    );
    expect(sessions.check('')).toEqual({ ok: false, reason: 'unknown' });
    expect(sessions.check('x'.repeat(10_000))).toEqual({ ok: false, reason: 'unknown' });
  });

  it('never crashes and never opens a session on garbage, truncated or replayed messages', () => {
    const { users, sessions } = setup();
    users.set(credential('alice', 'secret'));
    const client = new ScramClient({
      suite: SCRAM_SUITES['SCRAM-SHA-256'],
      username: 'alice',
      password: 'secret',
      clientNonce: scramNonceFromBytes(randomBytes(18)),
    });
    const clientFirst = Buffer.from(client.first());
    const started = sessions.start('SCRAM-SHA-256', clientFirst, 'x');
    const final = client.receiveServerFirst(started.serverFirst);
    if (!final.ok) throw new Error(final.failure.detail);
    const clientFinal = Buffer.from(final.message);

    const random = (seed: number) => {
      let state = seed;
      return () => {
        state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
        return state;
      };
    };
    const next = random(42);
    const inputs: Buffer[] = [Buffer.alloc(0), Buffer.alloc(SECURITY_LIMITS.saslMessageBytesMax + 1, 0x61)];
    for (let length = 0; length < clientFirst.length; length++) inputs.push(clientFirst.subarray(0, length));
    for (let length = 0; length < clientFinal.length; length++) inputs.push(clientFinal.subarray(0, length));
    for (let i = 0; i < 300; i++) {
      const bytes = Buffer.from(i % 2 === 0 ? clientFirst : clientFinal);
      for (let flips = 0; flips < 1 + (i % 4); flips++) bytes[next() % bytes.length] = next() % 256;
      inputs.push(bytes);
      inputs.push(Buffer.from(Array.from({ length: next() % 200 }, () => next() % 256)));
    }
    for (const input of inputs) {
      for (const step of ['start', 'finish'] as const) {
        try {
          if (step === 'start') {
            const again = sessions.start('SCRAM-SHA-256', input, 'x');
            sessions.finish(again.exchangeId, input, 'x');
          } else {
            sessions.finish(started.exchangeId, input, 'x');
          }
          throw new Error(`a garbage message opened a session: ${input.toString('hex')}`);
        } catch (error) {
          expect(error).toBeInstanceOf(TributaryError);
        }
      }
    }
    // The genuine client-final after its exchange was used (by a failed attempt above) is refused: no replay.
    expect(() => sessions.finish(started.exchangeId, clientFinal, 'x')).toThrow(TributaryError);
    expect(sessions.sessionCount).toBe(0);

    // A complete, successful exchange replayed under a new exchange: the server's new nonce defeats it.
    const honest = new ScramClient({
      suite: SCRAM_SUITES['SCRAM-SHA-256'],
      username: 'alice',
      password: 'secret',
      clientNonce: scramNonceFromBytes(randomBytes(18)),
    });
    const honestFirst = Buffer.from(honest.first());
    const first = sessions.start('SCRAM-SHA-256', honestFirst, 'x');
    const honestFinal = honest.receiveServerFirst(first.serverFirst);
    if (!honestFinal.ok) throw new Error(honestFinal.failure.detail);
    sessions.finish(first.exchangeId, honestFinal.message, 'x');
    expect(sessions.sessionCount).toBe(1);
    const replay = sessions.start('SCRAM-SHA-256', honestFirst, 'x');
    expect(() => sessions.finish(replay.exchangeId, honestFinal.message, 'x')).toThrow(TributaryError);
    expect(() => sessions.finish(first.exchangeId, honestFinal.message, 'x')).toThrow(TributaryError);
    expect(sessions.sessionCount).toBe(1);
  });
});
