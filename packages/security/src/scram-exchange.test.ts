import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECURITY_LIMITS } from './limits.js';
import { deriveScramKeys, SCRAM_SUITES, type ScramKeys, type ScramSuite } from './scram.js';
import { ScramClient } from './scram-client.js';
import type { ScramFailureReason } from './scram-messages.js';
import { publicScramError, ScramServer, type ScramServerStep, unknownUserKeys } from './scram-server.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const SHA256 = SCRAM_SUITES['SCRAM-SHA-256'];
const SECRET = new Uint8Array(32).fill(9);
const SALT = new Uint8Array(32).fill(3);
const SERVER_NONCE = 'server-nonce-0123456789';
const CLIENT_NONCE = 'client-nonce-0123456789';

const keyCache = new Map<string, ScramKeys>();
function keysFor(suite: ScramSuite, password: string): ScramKeys {
  const key = `${suite.mechanism}/${password}`;
  let keys = keyCache.get(key);
  if (keys === undefined) {
    keys = deriveScramKeys(suite, password, SALT, 4096);
    keyCache.set(key, keys);
  }
  return keys;
}

function server(
  options: { suite?: ScramSuite; nonce?: string; users?: Record<string, ScramKeys> } = {},
): ScramServer {
  const users = options.users ?? {
    alice: keysFor(options.suite ?? SHA256, 'secret'),
    'a,b=c': keysFor(SHA256, 'x'),
  };
  return new ScramServer({
    suite: options.suite ?? SHA256,
    serverNonce: options.nonce ?? SERVER_NONCE,
    lookup: (user) => users[user],
    unknownUserSecret: SECRET,
  });
}

function client(
  username = 'alice',
  password = 'secret',
  suite: ScramSuite = SHA256,
  nonce = CLIENT_NONCE,
): ScramClient {
  return new ScramClient({ suite, username, password, clientNonce: nonce });
}

/** Runs the whole exchange; returns the server's last step and the client-final sent. */
function exchange(s: ScramServer, c: ScramClient): { step: ScramServerStep; clientFinal?: Uint8Array } {
  const challenge = s.receive(c.first());
  if (challenge.kind !== 'challenge') return { step: challenge };
  const answer = c.receiveServerFirst(challenge.message);
  if (!answer.ok) throw new Error(`client failed: ${answer.failure.detail}`);
  return { step: s.receive(answer.message), clientFinal: answer.message };
}

function reason(step: ScramServerStep): ScramFailureReason | 'ok' {
  return step.kind === 'failure' ? step.failure.reason : 'ok';
}

describe('SCRAM round trips', () => {
  it.each(Object.values(SCRAM_SUITES))('%s: the client and server agree and both complete', (suite) => {
    const s = server({ suite });
    const c = client('alice', 'secret', suite);
    const { step } = exchange(s, c);
    expect(step.kind).toBe('success');
    if (step.kind !== 'success') return;
    expect(step.username).toBe('alice');
    expect(c.receiveServerFinal(step.message)).toEqual({ ok: true });
    expect(c.state).toBe('complete');
  });

  it('carries user names with "," and "=" escaped', () => {
    const { step } = exchange(server(), client('a,b=c', 'x'));
    expect(step.kind === 'success' && step.username).toBe('a,b=c');
  });

  it('accepts an authorization id equal to the user name, and ignores unknown extensions', () => {
    const s = server();
    const first = s.receive(bytes(`n,a=alice,n=alice,r=${CLIENT_NONCE},x=1`));
    expect(first.kind).toBe('challenge');
  });
});

describe('SCRAM server failures', () => {
  const clientFirst = `n,,n=alice,r=${CLIENT_NONCE}`;

  it.each([
    ['x'.repeat(SECURITY_LIMITS.saslMessageBytesMax + 1), 'message-too-long'],
    ['n,,n=alice,r=\u0000abc', 'invalid-encoding'],
    ['garbage', 'invalid-message'],
    ['n,,', 'invalid-message'],
    ['n,,n=alice', 'invalid-message'],
    ['n,,r=abc,n=alice', 'invalid-message'],
    ['n,,n=a=b,r=abc', 'invalid-message'],
    ['n,,n=,r=abc', 'invalid-message'],
    ['n,,n=alice,r=', 'invalid-message'],
    ['n,,n=alice,r=ab c', 'invalid-message'],
    ['n,,n=alice,r=abc,x=1,x=2', 'invalid-message'],
    ['n,,n=alice,r=abc,=1', 'invalid-message'],
    [`n,,n=${'u'.repeat(SECURITY_LIMITS.userNameLengthMax + 1)},r=abc`, 'invalid-message'],
    [`n,,n=alice,r=${'r'.repeat(SECURITY_LIMITS.scramNonceLengthMax)}`, 'invalid-message'],
    ['y,,n=alice,r=abc', 'unsupported-channel-binding'],
    ['p=tls-unique,,n=alice,r=abc', 'unsupported-channel-binding'],
    ['n,,m=ext,n=alice,r=abc', 'unsupported-extension'],
    ['n,,n=alice,r=abc,tokenauth=true', 'unsupported-extension'],
    ['n,a=admin,n=alice,r=abc', 'authzid-mismatch'],
  ] as const)('client-first %j fails with %s', (message, expected) => {
    const s = server();
    expect(reason(s.receive(bytes(message)))).toBe(expected);
    expect(s.state).toBe('failed');
    expect(reason(s.receive(bytes(clientFirst)))).toBe('invalid-state');
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(reason(server().receive(new Uint8Array([0x6e, 0x2c, 0x2c, 0xff])))).toBe('invalid-encoding');
  });

  it('refuses a stored credential outside the iteration bounds (as Kafka refuses one below 4096)', () => {
    const weak = deriveScramKeys(SHA256, 'secret', SALT, 1000);
    expect(reason(server({ users: { alice: weak } }).receive(bytes(clientFirst)))).toBe('invalid-credential');
  });

  function finalFails(rewrite: (clientFinal: string) => string): ScramFailureReason | 'ok' {
    const s = server();
    const c = client();
    const challenge = s.receive(c.first());
    if (challenge.kind !== 'challenge') throw new Error('no challenge');
    const answer = c.receiveServerFirst(challenge.message);
    if (!answer.ok) throw new Error('client failed');
    return reason(s.receive(bytes(rewrite(text(answer.message)))));
  }

  it.each([
    ['unchanged', (m: string) => m, 'ok'],
    ['another nonce', (m: string) => m.replace(SERVER_NONCE, `${SERVER_NONCE}x`), 'nonce-mismatch'],
    ['the client nonce only', (m: string) => m.replace(SERVER_NONCE, ''), 'nonce-mismatch'],
    ['c= for flag y', (m: string) => m.replace('c=biws', 'c=eSws'), 'channel-binding-mismatch'],
    [
      'a flipped proof',
      (m: string) => m.replace(/p=(.)/, (_, ch: string) => `p=${ch === 'A' ? 'B' : 'A'}`),
      'invalid-proof',
    ],
    ['a short proof', (m: string) => m.replace(/p=.*$/, 'p=AAAA'), 'invalid-proof'],
    ['no proof', (m: string) => m.replace(/,p=.*$/, ''), 'invalid-message'],
    ['a proof that is not base64', (m: string) => m.replace(/p=.*$/, 'p=!!!!'), 'invalid-message'],
    ['garbage', () => 'hello', 'invalid-message'],
  ])('client-final with %s: %s', (_, rewrite, expected) => {
    expect(finalFails(rewrite)).toBe(expected);
  });

  it('fails a wrong password only after the proof, with the credentials text', () => {
    const { step } = exchange(server(), client('alice', 'guess'));
    expect(reason(step)).toBe('invalid-proof');
    if (step.kind === 'failure') {
      expect(publicScramError(SHA256, step.failure)).toBe(
        'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256',
      );
    }
  });

  it('answers an unknown user like a known one and fails it after the proof, with the same public text', () => {
    const s1 = server();
    const challenge = s1.receive(bytes(`n,,n=mallory,r=${CLIENT_NONCE}`));
    expect(challenge.kind).toBe('challenge');
    const again = server().receive(bytes(`n,,n=mallory,r=${CLIENT_NONCE}`));
    // Stable across exchanges (and brokers sharing the secret): a prober cannot tell it from a real salt.
    expect(again).toEqual(challenge);
    if (challenge.kind === 'challenge')
      expect(text(challenge.message)).toMatch(/^r=[^,]+,s=[A-Za-z0-9+/]{43}=,i=4096$/);
    const { step } = exchange(server(), client('mallory', 'secret'));
    expect(reason(step)).toBe('unknown-user');
    const wrongPassword = exchange(server(), client('alice', 'guess')).step;
    if (step.kind === 'failure' && wrongPassword.kind === 'failure') {
      expect(publicScramError(SHA256, step.failure)).toBe(publicScramError(SHA256, wrongPassword.failure));
    }
  });

  it('derives fake keys per user and per secret', () => {
    const a = unknownUserKeys(SHA256, SECRET, 'a');
    expect(unknownUserKeys(SHA256, SECRET, 'a')).toEqual(a);
    expect(unknownUserKeys(SHA256, SECRET, 'b').salt).not.toEqual(a.salt);
    expect(unknownUserKeys(SHA256, new Uint8Array(32), 'a').salt).not.toEqual(a.salt);
    expect(unknownUserKeys(SCRAM_SUITES['SCRAM-SHA-512'], SECRET, 'a').storedKey).toHaveLength(64);
  });

  it('refuses any message after success', () => {
    const s = server();
    expect(exchange(s, client()).step.kind).toBe('success');
    expect(reason(s.receive(bytes('n,,n=alice,r=abc')))).toBe('invalid-state');
  });

  it('refuses a nonce it did not make long enough, as a bug in the shell', () => {
    expect(() => server({ nonce: 'short' })).toThrow(/long enough/);
    expect(() => server({ nonce: 'has,a,comma-in-it-0123' })).toThrow(/printable/);
  });
});

describe('SCRAM client failures', () => {
  function answer(serverFirst: string): ScramFailureReason | 'ok' {
    const c = client();
    c.first();
    const result = c.receiveServerFirst(bytes(serverFirst));
    return result.ok ? 'ok' : result.failure.reason;
  }

  it.each([
    [`r=${CLIENT_NONCE}xyz,s=c2FsdA==,i=4096`, 'ok'],
    [`r=other${CLIENT_NONCE},s=c2FsdA==,i=4096`, 'invalid-server-nonce'],
    [`r=${CLIENT_NONCE},s=c2FsdA==,i=4096`, 'invalid-server-nonce'],
    [`r=${CLIENT_NONCE}xyz,s=c2FsdA==,i=4095`, 'iterations-out-of-range'],
    [`r=${CLIENT_NONCE}xyz,s=c2FsdA==,i=16385`, 'iterations-out-of-range'],
    [`r=${CLIENT_NONCE}xyz,s=c2FsdA==,i=0`, 'invalid-message'],
    [`r=${CLIENT_NONCE}xyz,s=,i=4096`, 'invalid-message'],
    [`r=${CLIENT_NONCE}xyz,s=c2FsdA,i=4096`, 'invalid-message'],
    [`m=x,r=${CLIENT_NONCE}xyz,s=c2FsdA==,i=4096`, 'unsupported-extension'],
    ['e=other-error', 'invalid-message'],
  ] as const)('server-first %j: %s', (serverFirst, expected) => {
    expect(answer(serverFirst)).toBe(expected);
  });

  it('refuses a server that does not know the key, or that reports an error', () => {
    for (const [serverFinal, expected] of [
      ['v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'invalid-server-signature'],
      ['e=invalid-proof', 'server-error'],
      ['v=', 'invalid-message'],
      ['x=1', 'invalid-message'],
    ] as const) {
      const s = server();
      const c = client();
      const { step } = exchange(s, c);
      expect(step.kind).toBe('success');
      const result = c.receiveServerFinal(bytes(serverFinal));
      expect(result.ok ? 'ok' : result.failure.reason).toBe(expected);
      expect(c.state).toBe('failed');
    }
  });

  it('refuses messages out of order', () => {
    const c = client();
    const early = c.receiveServerFirst(bytes(`r=${CLIENT_NONCE}x,s=c2FsdA==,i=4096`));
    expect(early.ok ? 'ok' : early.failure.reason).toBe('invalid-state');
    const late = client();
    late.first();
    const final = late.receiveServerFinal(bytes('v=AAAA'));
    expect(final.ok ? 'ok' : final.failure.reason).toBe('invalid-state');
  });
});

describe('SCRAM properties', () => {
  const password = fc.string({ minLength: 1, maxLength: 20 });

  it('a wrong password never authenticates', () => {
    fc.assert(
      fc.property(
        password,
        password,
        fc.constantFrom(...Object.values(SCRAM_SUITES)),
        (right, wrong, suite) => {
          fc.pre(right !== wrong);
          const s = server({ suite, users: { alice: keysFor(suite, right) } });
          expect(reason(exchange(s, client('alice', wrong, suite)).step)).toBe('invalid-proof');
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a transcript replayed against another server nonce fails, rewritten or not', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9+/]{16,40}$/), (otherNonce) => {
        fc.pre(otherNonce !== SERVER_NONCE);
        const recorded = exchange(server(), client()).clientFinal;
        if (recorded === undefined) throw new Error('no client-final');
        const replayed = server({ nonce: otherNonce });
        expect(replayed.receive(bytes(`n,,n=alice,r=${CLIENT_NONCE}`)).kind).toBe('challenge');
        expect(reason(replayed.receive(recorded))).toBe('nonce-mismatch');
        // With the nonce rewritten to the new one, the proof no longer fits the AuthMessage.
        const rewritten = server({ nonce: otherNonce });
        rewritten.receive(bytes(`n,,n=alice,r=${CLIENT_NONCE}`));
        const forged = text(recorded).replace(SERVER_NONCE, otherNonce);
        expect(reason(rewritten.receive(bytes(forged)))).toBe('invalid-proof');
      }),
      { numRuns: 25 },
    );
  });

  it('garbage, truncated and replayed messages never crash the server and never authenticate', () => {
    const valid = exchange(server(), client()).clientFinal ?? new Uint8Array();
    const message = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.string({ maxLength: 200 }).map(bytes),
      fc.nat(valid.length).map((n) => valid.slice(0, n)),
      fc.constant(valid),
      fc.constant(bytes(`n,,n=alice,r=${CLIENT_NONCE}`)),
    );
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 4 }), (messages) => {
        // A fresh server nonce per exchange (as the shell makes one): the recorded final is a replay.
        const s = server({ nonce: 'fuzzed-exchange-nonce-1' });
        for (const m of messages) expect(s.receive(m).kind).not.toBe('success');
      }),
      { numRuns: 300 },
    );
  });
});
