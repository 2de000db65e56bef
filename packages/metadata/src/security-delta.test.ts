import { AssertionError, type Random, SeededRandom } from '@tributary/core';
import type { QuotaEntity, ScramMechanism } from '@tributary/security';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from './codec.js';
import { MetadataDelta, replayAll } from './delta.js';
import { MetadataImage } from './image.js';
import type { AccessControlEntryRecord, MetadataRecord, UserScramCredentialRecord } from './records.js';
import { SCRAM_KEY_BYTES } from './security-delta.js';
import { quotaEntityKey } from './security-image.js';
import { decodeSnapshot, encodeSnapshot, imageToRecords } from './snapshot.js';

function replay(image: MetadataImage, records: readonly MetadataRecord[]): MetadataImage {
  return replayAll(
    image,
    records.map((record) => ({ record, offset: image.offset + 1 })),
  );
}

function acl(id: string, fields: Partial<AccessControlEntryRecord> = {}): AccessControlEntryRecord {
  return {
    type: 'AccessControlEntry',
    id,
    resourceType: 'Topic',
    resourceName: 'orders',
    patternType: 'Literal',
    principal: 'User:alice',
    host: '*',
    operation: 'Read',
    permission: 'Allow',
    ...fields,
  };
}

function credential(user: string, mechanism: ScramMechanism, iterations = 4096): UserScramCredentialRecord {
  const size = SCRAM_KEY_BYTES[mechanism];
  return {
    type: 'UserScramCredential',
    user,
    mechanism,
    salt: new Uint8Array(16).fill(iterations & 0xff),
    storedKey: new Uint8Array(size).fill(1),
    serverKey: new Uint8Array(size).fill(2),
    iterations,
  };
}

function quota(entity: QuotaEntity, value: number | null): MetadataRecord {
  return { type: 'ClientQuota', entity, key: 'producer_byte_rate', value };
}

describe('ACL records', () => {
  it('adds entries by id and removes them; a removed id is gone from the image', () => {
    const image = replay(MetadataImage.EMPTY, [acl('a'), acl('b', { permission: 'Deny' })]);
    expect([...image.acls.byId.keys()]).toEqual(['a', 'b']);
    expect(image.acls.acl('b')?.permission).toBe('Deny');
    expect(image.acls.acl('a')).not.toHaveProperty('type');
    const next = replay(image, [{ type: 'RemoveAccessControlEntry', id: 'a' }]);
    expect([...next.acls.byId.keys()]).toEqual(['b']);
    expect(image.acls.size).toBe(2);
  });

  it('asserts on a reused id and on removing an unknown id (controller bugs)', () => {
    const image = replay(MetadataImage.EMPTY, [acl('a')]);
    expect(() => replay(image, [acl('a')])).toThrow(AssertionError);
    expect(() => replay(image, [{ type: 'RemoveAccessControlEntry', id: 'zz' }])).toThrow(
      /unknown ACL id zz/,
    );
    // Created and removed within one delta: never in the next image.
    expect(replay(image, [acl('c'), { type: 'RemoveAccessControlEntry', id: 'c' }]).acls.size).toBe(1);
    expect(() => replay(image, [{ type: 'RemoveAccessControlEntry', id: 'a' }, acl('a')])).toThrow(/reused/);
  });
});

describe('SCRAM credential records', () => {
  it('keeps one credential per (user, mechanism); an upsert replaces; removing the last drops the user', () => {
    let image = replay(MetadataImage.EMPTY, [
      credential('alice', 'SCRAM-SHA-256'),
      credential('alice', 'SCRAM-SHA-512'),
      credential('bob', 'SCRAM-SHA-256'),
    ]);
    expect(image.scram.users.get('alice')?.size).toBe(2);
    image = replay(image, [credential('alice', 'SCRAM-SHA-256', 8192)]);
    expect(image.scram.credential('alice', 'SCRAM-SHA-256')?.iterations).toBe(8192);
    image = replay(image, [{ type: 'RemoveUserScramCredential', user: 'bob', mechanism: 'SCRAM-SHA-256' }]);
    expect(image.scram.users.has('bob')).toBe(false);
    expect(() =>
      replay(image, [{ type: 'RemoveUserScramCredential', user: 'bob', mechanism: 'SCRAM-SHA-256' }]),
    ).toThrow(/bob has no SCRAM-SHA-256 credential/);
  });

  it("asserts keys have the mechanism's hash length", () => {
    const short = { ...credential('alice', 'SCRAM-SHA-512'), storedKey: new Uint8Array(32) };
    expect(() => replay(MetadataImage.EMPTY, [short])).toThrow(/keys must be 64 bytes/);
  });
});

describe('client quota records', () => {
  it('keys entities by their parts: absent, default (null) and named are three entities', () => {
    const image = replay(MetadataImage.EMPTY, [
      quota({ user: 'alice' }, 100),
      quota({ user: null }, 200),
      quota({ user: 'alice', clientId: null }, 300),
      quota({ clientId: 'app' }, 400),
    ]);
    expect(image.clientQuotas.byEntity.size).toBe(4);
    expect(image.clientQuotas.quotasOf({ user: null })?.get('producer_byte_rate')).toBe(200);
    expect(image.clientQuotas.quotasOf({ user: 'alice', clientId: null })?.get('producer_byte_rate')).toBe(
      300,
    );
    expect(image.clientQuotas.quotasOf({ clientId: null })).toBeUndefined();
    expect(quotaEntityKey({ user: 'alice' })).not.toBe(quotaEntityKey({ user: 'alice', clientId: null }));
  });

  it('removes a key with value null and the entity with its last key; refuses non-positive values', () => {
    const image = replay(MetadataImage.EMPTY, [quota({ user: 'alice' }, 100)]);
    const next = replay(image, [quota({ user: 'alice' }, null)]);
    expect(next.clientQuotas.byEntity.size).toBe(0);
    expect(() => replay(image, [quota({ user: 'alice' }, 0)])).toThrow(/not a positive number/);
  });
});

describe('security sub-images', () => {
  it('stay the same objects when no security record is replayed', () => {
    const image = replay(MetadataImage.EMPTY, [acl('a'), credential('u', 'SCRAM-SHA-256')]);
    const next = replay(image, [{ type: 'Topic', name: 'orders', topicId: 't' }]);
    expect(next.acls).toBe(image.acls);
    expect(next.scram).toBe(image.scram);
    expect(next.clientQuotas).toBe(image.clientQuotas);
    const quotaOnly = replay(image, [quota({ user: 'u' }, 5)]);
    expect(quotaOnly.acls).toBe(image.acls);
    expect(quotaOnly.clientQuotas).not.toBe(image.clientQuotas);
  });

  it('make a non-empty image', () => {
    expect(replay(MetadataImage.EMPTY, [quota({ clientId: 'x' }, 1)]).isEmpty()).toBe(false);
  });
});

const USERS = ['alice', 'bob', 'carol'];
const MECHANISMS: readonly ScramMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];
const ENTITIES: readonly QuotaEntity[] = [
  { user: 'alice' },
  { user: null },
  { clientId: 'app' },
  { user: 'bob', clientId: null },
];

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[random.int(0, items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** One random security command's records, valid against `image`. */
function randomSecurityCommand(image: MetadataImage, random: Random, step: number): MetadataRecord[] {
  switch (random.int(0, 5)) {
    case 0:
      return [
        acl(`acl-${step}`, {
          resourceName: `t${random.int(0, 5)}`,
          operation: pick(random, ['Read', 'All']),
        }),
      ];
    case 1: {
      const ids = [...image.acls.byId.keys()];
      return ids.length === 0 ? [] : [{ type: 'RemoveAccessControlEntry', id: pick(random, ids) }];
    }
    case 2:
      return [credential(pick(random, USERS), pick(random, MECHANISMS), 4096 + random.int(0, 100))];
    case 3: {
      const user = pick(random, USERS);
      const mechanisms = [...(image.scram.users.get(user)?.keys() ?? [])];
      return mechanisms.length === 0
        ? []
        : [{ type: 'RemoveUserScramCredential', user, mechanism: pick(random, mechanisms) }];
    }
    default: {
      const value = random.next() < 0.3 ? null : 1 + random.int(0, 1_000_000);
      const key = pick(random, ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage'] as const);
      return [{ type: 'ClientQuota', entity: pick(random, ENTITIES), key, value }];
    }
  }
}

function randomSecurityImage(seed: number, steps: number): MetadataImage {
  const random = new SeededRandom(seed);
  let image = MetadataImage.EMPTY;
  for (let step = 0; step < steps; step++) {
    const delta = new MetadataDelta(image);
    const offset = image.offset + 1;
    delta.advanceTo(offset);
    for (const record of randomSecurityCommand(image, random, step)) delta.replay(record, offset);
    image = delta.apply();
  }
  return image;
}

describe('snapshots of security metadata', () => {
  it('image -> records -> replay gives an equal image, and so does encode/decode', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 120 }), (seed, steps) => {
        const image = randomSecurityImage(seed, steps);
        const delta = new MetadataDelta(MetadataImage.EMPTY);
        delta.advanceTo(image.offset);
        for (const record of imageToRecords(image))
          delta.replay(decodeRecord(encodeRecord(record)), image.offset);
        expect(delta.apply()).toEqual(image);
        expect(decodeSnapshot(encodeSnapshot(image))).toEqual(image);
      }),
      { numRuns: 100 },
    );
  });

  it('holds no secret beyond salt and keys: no record field names a password', () => {
    const image = randomSecurityImage(3, 60);
    expect(image.scram.users.size).toBeGreaterThan(0);
    const text = Buffer.from(encodeSnapshot(image)).toString('latin1');
    expect(text).not.toMatch(/password/i);
  });
});
