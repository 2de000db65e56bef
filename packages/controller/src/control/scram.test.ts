import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { LIMITS } from '@tributary/core';
import { decodeSnapshot, encodeRecord, encodeSnapshot, MetadataImage } from '@tributary/metadata';
import type { ScramMechanism } from '@tributary/security';
import { describe, expect, it } from 'vitest';
import {
  alterUserScramCredentials,
  bootstrapScramUser,
  describeUserScramCredentials,
  type ScramUpsertion,
} from './scram.js';
import { scramServerKeys } from './scram-keys.js';
import { commit, expectCode } from './testing.js';

const HASH: Record<ScramMechanism, { name: string; bytes: number }> = {
  'SCRAM-SHA-256': { name: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { name: 'sha512', bytes: 64 },
};

/** What a client sends (the salted password, never the password). */
function upsertion(
  user: string,
  mechanism: ScramMechanism,
  fields: Partial<ScramUpsertion> = {},
): ScramUpsertion {
  const salt = new Uint8Array(16).fill(7);
  const { name, bytes } = HASH[mechanism];
  const saltedPassword = new Uint8Array(pbkdf2Sync(`${user}-secret`, salt, 4096, bytes, name));
  return { user, mechanism, iterations: 4096, salt, saltedPassword, ...fields };
}

function withUsers(...upsertions: ScramUpsertion[]): MetadataImage {
  return commit(
    MetadataImage.EMPTY,
    alterUserScramCredentials(MetadataImage.EMPTY, { deletions: [], upsertions }),
  );
}

describe('SCRAM keys (RFC 7677 §3 test vector)', () => {
  it('derive a StoredKey and ServerKey that verify the RFC conversation', () => {
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const salted = pbkdf2Sync('pencil', salt, 4096, 32, 'sha256');
    const { storedKey, serverKey } = scramServerKeys('SCRAM-SHA-256', salted);
    const nonce = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=${nonce}`;
    const serverSignature = createHmac('sha256', serverKey).update(authMessage).digest('base64');
    expect(serverSignature).toBe('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
    // The server's check of the client's proof: H(proof XOR HMAC(StoredKey, AuthMessage)) = StoredKey.
    const proof = Buffer.from('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', 'base64');
    const signature = createHmac('sha256', storedKey).update(authMessage).digest();
    const clientKey = proof.map((byte, i) => byte ^ (signature[i] ?? 0));
    expect(createHash('sha256').update(clientKey).digest()).toEqual(Buffer.from(storedKey));
  });
});

describe('alterUserScramCredentials', () => {
  it('writes salt, StoredKey and ServerKey per mechanism, never the salted password', () => {
    const changes = [upsertion('alice', 'SCRAM-SHA-256'), upsertion('alice', 'SCRAM-SHA-512')];
    const result = alterUserScramCredentials(MetadataImage.EMPTY, { deletions: [], upsertions: changes });
    expect(result.response.results).toEqual([{ user: 'alice', error: null }]);
    expect(
      result.records.map((r) => r.type === 'UserScramCredential' && [r.mechanism, r.storedKey.length]),
    ).toEqual([
      ['SCRAM-SHA-256', 32],
      ['SCRAM-SHA-512', 64],
    ]);
    for (const [i, record] of result.records.entries()) {
      const text = Buffer.from(encodeRecord(record)).toString('utf8');
      expect(text).not.toContain(Buffer.from(changes[i]?.saltedPassword ?? []).toString('base64'));
      expect(text).not.toContain('secret');
    }
    const image = commit(MetadataImage.EMPTY, result);
    expect(image.scram.credential('alice', 'SCRAM-SHA-512')?.iterations).toBe(4096);
  });

  it.each([
    ['an empty user', upsertion('', 'SCRAM-SHA-256'), 'UNACCEPTABLE_CREDENTIAL', 'must not be empty'],
    [
      'a long user name',
      upsertion('u'.repeat(LIMITS.scramUserNameLengthMax + 1), 'SCRAM-SHA-256'),
      'UNACCEPTABLE_CREDENTIAL',
      'the limit is',
    ],
    [
      'too few iterations',
      upsertion('a', 'SCRAM-SHA-256', { iterations: 4095 }),
      'UNACCEPTABLE_CREDENTIAL',
      'too few iterations',
    ],
    [
      'too many iterations',
      upsertion('a', 'SCRAM-SHA-256', { iterations: 16_385 }),
      'UNACCEPTABLE_CREDENTIAL',
      'too many iterations',
    ],
    [
      'a short salt',
      upsertion('a', 'SCRAM-SHA-256', { salt: new Uint8Array(8) }),
      'UNACCEPTABLE_CREDENTIAL',
      'salt is 8 bytes',
    ],
    [
      'a salted password of another hash',
      upsertion('a', 'SCRAM-SHA-512', { saltedPassword: new Uint8Array(32) }),
      'UNACCEPTABLE_CREDENTIAL',
      'is 64 bytes, not 32',
    ],
    [
      'an unknown mechanism',
      { ...upsertion('a', 'SCRAM-SHA-256'), mechanism: 'SCRAM-SHA-1' },
      'UNSUPPORTED_SASL_MECHANISM',
      'SCRAM-SHA-1',
    ],
  ] as const)('refuses %s for that user only', (_what, bad, code, fragment) => {
    const result = alterUserScramCredentials(MetadataImage.EMPTY, {
      deletions: [],
      upsertions: [bad, upsertion('ok', 'SCRAM-SHA-256')],
    });
    expect(result.response.results[0]?.error?.code).toBe(code);
    expect(result.response.results[0]?.error?.message).toContain(fragment);
    expect(result.response.results[1]).toEqual({ user: 'ok', error: null });
    expect(result.records).toHaveLength(1);
  });

  it('refuses deleting an absent credential (RESOURCE_NOT_FOUND) and deletes a present one', () => {
    const image = withUsers(upsertion('alice', 'SCRAM-SHA-256'));
    const absent = alterUserScramCredentials(image, {
      deletions: [{ user: 'alice', mechanism: 'SCRAM-SHA-512' }],
      upsertions: [],
    });
    expect(absent.response.results[0]?.error?.code).toBe('RESOURCE_NOT_FOUND');
    const present = alterUserScramCredentials(image, {
      deletions: [{ user: 'alice', mechanism: 'SCRAM-SHA-256' }],
      upsertions: [],
    });
    expect(present.records).toEqual([
      { type: 'RemoveUserScramCredential', user: 'alice', mechanism: 'SCRAM-SHA-256' },
    ]);
    expect(commit(image, present).scram.users.size).toBe(0);
  });

  it('refuses two changes to one user and mechanism (DUPLICATE_RESOURCE); a bad change fails the whole user', () => {
    const image = withUsers(upsertion('alice', 'SCRAM-SHA-256'));
    const duplicate = alterUserScramCredentials(image, {
      deletions: [{ user: 'alice', mechanism: 'SCRAM-SHA-256' }],
      upsertions: [upsertion('alice', 'SCRAM-SHA-256'), upsertion('bob', 'SCRAM-SHA-256')],
    });
    expect(duplicate.response.results.map((r) => [r.user, r.error?.code ?? null])).toEqual([
      ['alice', 'DUPLICATE_RESOURCE'],
      ['bob', null],
    ]);
    expect(duplicate.records).toHaveLength(1);
    const mixed = alterUserScramCredentials(image, {
      deletions: [],
      upsertions: [
        upsertion('alice', 'SCRAM-SHA-512'),
        upsertion('alice', 'SCRAM-SHA-256', { iterations: 1 }),
      ],
    });
    expect(mixed.response.results[0]?.error?.code).toBe('UNACCEPTABLE_CREDENTIAL');
    expect(mixed.records).toEqual([]);
  });

  it('bounds the changes per request', () => {
    const upsertions = Array.from({ length: LIMITS.scramChangesPerRequestMax + 1 }, (_, i) => ({
      ...upsertion('x', 'SCRAM-SHA-256'),
      user: `u${i}`,
    }));
    expectCode(
      () => alterUserScramCredentials(MetadataImage.EMPTY, { deletions: [], upsertions }),
      'INVALID_REQUEST',
      'credential changes',
    );
  });
});

describe('describeUserScramCredentials', () => {
  const image = withUsers(
    upsertion('bob', 'SCRAM-SHA-512'),
    upsertion('alice', 'SCRAM-SHA-256'),
    upsertion('alice', 'SCRAM-SHA-512', { iterations: 8192 }),
  );

  it('lists every user by name with mechanisms and iterations only', () => {
    expect(describeUserScramCredentials(image, [])).toEqual([
      {
        user: 'alice',
        error: null,
        credentials: [
          { mechanism: 'SCRAM-SHA-256', iterations: 4096 },
          { mechanism: 'SCRAM-SHA-512', iterations: 8192 },
        ],
      },
      { user: 'bob', error: null, credentials: [{ mechanism: 'SCRAM-SHA-512', iterations: 4096 }] },
    ]);
  });

  it('answers unknown users RESOURCE_NOT_FOUND and repeated ones DUPLICATE_RESOURCE', () => {
    const described = describeUserScramCredentials(image, ['bob', 'carol', 'alice', 'alice']);
    expect(described.map((d) => [d.user, d.error?.code ?? null])).toEqual([
      ['bob', null],
      ['carol', 'RESOURCE_NOT_FOUND'],
      ['alice', 'DUPLICATE_RESOURCE'],
    ]);
  });
});

describe('bootstrapScramUser', () => {
  const both = [upsertion('admin', 'SCRAM-SHA-256'), upsertion('admin', 'SCRAM-SHA-512')];

  it('writes the credentials when the user has none, and nothing once it has any', () => {
    const first = bootstrapScramUser(MetadataImage.EMPTY, both);
    expect(first.response.created).toBe(true);
    expect(first.records).toHaveLength(2);
    const image = commit(MetadataImage.EMPTY, first);
    // Another controller (or a restart) deciding against the committed image: nothing to do.
    expect(bootstrapScramUser(image, both)).toEqual({ records: [], response: { created: false } });
    // An operator removed one mechanism on purpose: the bootstrap does not bring it back.
    const one = commit(
      image,
      alterUserScramCredentials(image, {
        deletions: [{ user: 'admin', mechanism: 'SCRAM-SHA-512' }],
        upsertions: [],
      }),
    );
    expect(bootstrapScramUser(one, both).records).toEqual([]);
  });

  it('fails loudly on a credential the controller would refuse', () => {
    expectCode(
      () =>
        bootstrapScramUser(MetadataImage.EMPTY, [upsertion('admin', 'SCRAM-SHA-256', { iterations: 10 })]),
      'UNACCEPTABLE_CREDENTIAL',
      'bootstrap user admin',
    );
  });

  it('leaves a snapshot that round-trips', () => {
    const image = commit(MetadataImage.EMPTY, bootstrapScramUser(MetadataImage.EMPTY, both));
    expect(decodeSnapshot(encodeSnapshot(image))).toEqual(image);
  });
});
