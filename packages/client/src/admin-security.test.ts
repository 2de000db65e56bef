import { pbkdf2Sync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ControllerHandle, startController } from '@tributary/controller';
import { TributaryError } from '@tributary/core';
import { freePort, waitFor } from '@tributary/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from './admin.js';
import { aclFilterToWire, itemError, SCRAM_CLIENT_DEFAULTS, scramUpsertion } from './admin-security.js';

async function expectError(promise: Promise<unknown>): Promise<TributaryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TributaryError);
    return error as TributaryError;
  }
  throw new Error('expected the call to fail');
}

describe('pure pieces', () => {
  it('salts with 32 random bytes and sends Hi(password, salt, i) only', async () => {
    const upsertion = await scramUpsertion({ user: 'alice', mechanism: 'SCRAM-SHA-512', password: 'pw' });
    expect(upsertion.iterations).toBe(SCRAM_CLIENT_DEFAULTS.iterations);
    expect(upsertion.iterations).toBe(8192);
    const salt = upsertion.salt as Buffer;
    expect(salt).toHaveLength(32);
    expect(upsertion.saltedPassword).toEqual(pbkdf2Sync('pw', salt, 8192, 64, 'sha512'));
    expect(JSON.stringify(upsertion)).not.toContain('"pw"');
    const again = await scramUpsertion({ user: 'alice', mechanism: 'SCRAM-SHA-512', password: 'pw' });
    expect(again.salt).not.toEqual(salt);
  });

  it('refuses bad credentials before deriving anything', async () => {
    const cases = [
      [{ user: '', mechanism: 'SCRAM-SHA-256', password: 'pw' }, 'UNACCEPTABLE_CREDENTIAL'],
      [{ user: 'u', mechanism: 'SCRAM-SHA-256', password: '' }, 'UNACCEPTABLE_CREDENTIAL'],
      [{ user: 'u', mechanism: 'SCRAM-SHA-256', password: 'p', iterations: 4095 }, 'UNACCEPTABLE_CREDENTIAL'],
      [
        { user: 'u', mechanism: 'SCRAM-SHA-256', password: 'p', iterations: 16385 },
        'UNACCEPTABLE_CREDENTIAL',
      ],
      [{ user: 'u', mechanism: 'SCRAM-SHA-1', password: 'p' }, 'UNSUPPORTED_SASL_MECHANISM'],
    ] as const;
    for (const [spec, code] of cases) {
      // The SCRAM-SHA-1 case is a caller outside TypeScript's checks.
      const error = await expectError(scramUpsertion(spec as Parameters<typeof scramUpsertion>[0]));
      expect(error.code).toBe(code);
    }
  });

  it('maps filters to the wire with empty meaning any', () => {
    expect(aclFilterToWire({})).toEqual({
      resourceType: '',
      resourceName: '',
      patternType: '',
      principal: '',
      host: '',
      operation: '',
      permission: '',
    });
    expect(aclFilterToWire({ resourceType: 'Topic', patternType: 'Match', operation: 'Any' })).toMatchObject({
      resourceType: 'Topic',
      patternType: 'Match',
      operation: '',
    });
  });

  it('turns wire error codes into TributaryErrors, unknown ones into UNKNOWN', () => {
    expect(itemError('', '')).toBeNull();
    expect(itemError('RESOURCE_NOT_FOUND', 'gone')).toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
      message: 'gone',
    });
    expect(itemError('MARTIAN', 'x')).toMatchObject({ code: 'UNKNOWN', message: 'MARTIAN: x' });
  });
});

describe('Admin security calls against a single-voter controller', () => {
  let dataDir = '';
  let handle: ControllerHandle | undefined;
  let admin: Admin | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trib-client-admin-security-'));
    const address = `127.0.0.1:${await freePort()}`;
    const started = await startController({
      nodeId: 1,
      listen: address,
      dataDir,
      voters: [{ id: 1, address }],
      tickMs: 10,
      logLevel: 'silent',
      onFatal: (error) => {
        throw error;
      },
    });
    handle = started;
    await waitFor('activation', () => started.isActive());
    admin = new Admin({ controllers: [address], deadlineMs: 5_000 });
  });

  afterAll(async () => {
    admin?.close();
    await handle?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const the = (): Admin => {
    if (admin === undefined) throw new Error('no admin');
    return admin;
  };

  it('creates, describes and deletes ACLs, with per-item errors', async () => {
    const read = {
      resourceType: 'Topic',
      resourceName: 'orders',
      patternType: 'Literal',
      principal: 'User:alice',
      host: '*',
      operation: 'Read',
      permission: 'Allow',
    } as const;
    const prefixed = { ...read, resourceName: 'logs-', patternType: 'Prefixed', operation: 'Write' } as const;
    const bad = { ...read, principal: 'alice' };
    const created = await the().createAcls([read, prefixed, bad]);
    expect(created.map((c) => c.error?.code ?? null)).toEqual([null, null, 'INVALID_REQUEST']);
    expect(created[0]?.id).toMatch(/./);
    expect(created[2]?.id).toBeNull();

    // Creating an identical ACL answers the existing id.
    const [again] = await the().createAcls([read]);
    expect(again?.id).toBe(created[0]?.id);

    expect(await the().describeAcls()).toHaveLength(2);
    const matching = await the().describeAcls({
      resourceType: 'Topic',
      resourceName: 'logs-app',
      patternType: 'Match',
    });
    expect(matching).toEqual([{ ...prefixed, id: created[1]?.id }]);
    expect(await the().describeAcls({ principal: 'User:bob' })).toEqual([]);

    const deleted = await the().deleteAcls([{ operation: 'Write' }, { principal: 'User:nobody' }]);
    expect(deleted.map((d) => d.deleted.map((acl) => acl.resourceName))).toEqual([['logs-'], []]);
    expect(deleted.every((d) => d.error === null)).toBe(true);
    expect(await the().describeAcls()).toEqual([{ ...read, id: created[0]?.id }]);
    await the().deleteAcls([{}]);
    expect(await the().describeAcls()).toEqual([]);
  });

  it('upserts, describes and deletes SCRAM credentials', async () => {
    await the().upsertScramCredential({ user: 'alice', mechanism: 'SCRAM-SHA-256', password: 'secret' });
    await the().upsertScramCredential({
      user: 'alice',
      mechanism: 'SCRAM-SHA-512',
      password: 'secret',
      iterations: 4096,
    });
    const [alice] = await the().describeScramCredentials(['alice']);
    expect(alice).toEqual({
      user: 'alice',
      error: null,
      credentials: expect.arrayContaining([
        { mechanism: 'SCRAM-SHA-256', iterations: 8192 },
        { mechanism: 'SCRAM-SHA-512', iterations: 4096 },
      ]),
    });
    const [unknown] = await the().describeScramCredentials(['nobody']);
    expect(unknown?.error?.code).toBe('RESOURCE_NOT_FOUND');

    await the().deleteScramCredential({ user: 'alice', mechanism: 'SCRAM-SHA-256' });
    expect((await the().describeScramCredentials()).map((u) => u.credentials)).toEqual([
      [{ mechanism: 'SCRAM-SHA-512', iterations: 4096 }],
    ]);
    const missing = await expectError(
      the().deleteScramCredential({ user: 'alice', mechanism: 'SCRAM-SHA-256' }),
    );
    expect(missing.code).toBe('RESOURCE_NOT_FOUND');

    // Both mechanisms of a user in one request apply together.
    const outcomes = await the().alterScramCredentials({
      deletions: [{ user: 'alice', mechanism: 'SCRAM-SHA-512' }],
      upsertions: [{ user: 'bob', mechanism: 'SCRAM-SHA-256', password: 'b' }],
    });
    expect(outcomes).toEqual([
      { user: 'alice', error: null },
      { user: 'bob', error: null },
    ]);
    expect((await the().describeScramCredentials()).map((u) => u.user)).toEqual(['bob']);
  });

  it('alters and describes client quotas, validate-only changing nothing', async () => {
    const user = { user: 'alice' };
    const dry = await the().alterClientQuotas(
      [{ entity: user, changes: [{ key: 'producer_byte_rate', value: 1_024 }] }],
      { validateOnly: true },
    );
    expect(dry).toEqual([{ entity: user, error: null }]);
    expect(await the().describeClientQuotas()).toEqual([]);

    const outcomes = await the().alterClientQuotas([
      {
        entity: user,
        changes: [
          { key: 'producer_byte_rate', value: 1_048_576 },
          { key: 'request_percentage', value: 12.5 },
        ],
      },
      { entity: { user: null, clientId: 'app' }, changes: [{ key: 'consumer_byte_rate', value: 2_048 }] },
      { entity: {}, changes: [{ key: 'consumer_byte_rate', value: 1 }] },
      { entity: { clientId: 'x' }, changes: [{ key: 'consumer_byte_rate', value: -1 }] },
    ]);
    expect(outcomes.map((o) => o.error?.code ?? null)).toEqual([
      null,
      null,
      'INVALID_REQUEST',
      'INVALID_REQUEST',
    ]);

    expect(await the().describeClientQuotas([{ entityType: 'user', match: 'exact', name: 'alice' }])).toEqual(
      [{ entity: user, values: { producer_byte_rate: 1_048_576, request_percentage: 12.5 } }],
    );
    expect(await the().describeClientQuotas([{ entityType: 'user', match: 'default' }])).toEqual([
      { entity: { user: null, clientId: 'app' }, values: { consumer_byte_rate: 2_048 } },
    ]);
    // strict: only entities with no part besides the user.
    expect(
      await the().describeClientQuotas([{ entityType: 'user', match: 'any' }], { strict: true }),
    ).toEqual([{ entity: user, values: { producer_byte_rate: 1_048_576, request_percentage: 12.5 } }]);

    await the().alterClientQuotas([
      {
        entity: user,
        changes: [
          { key: 'producer_byte_rate', value: null },
          { key: 'request_percentage', value: null },
        ],
      },
    ]);
    expect(await the().describeClientQuotas([{ entityType: 'user', match: 'exact', name: 'alice' }])).toEqual(
      [],
    );
  });
});
