import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@tributary/core/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AclFlags,
  aclBindingsToCreate,
  aclFiltersToDelete,
  aclFiltersToList,
  EMPTY_ACL_FLAGS,
} from './commands/acl-options.js';
import { parseAddConfig, quotaChangesOf, quotaEntityOf, quotaFilterOf } from './commands/quotas.js';
import { parseIterations, parseMechanisms, readPasswordFile } from './commands/users.js';
import { EXIT_USAGE, runCli } from './program.js';
import { captureIo, jsonDecoders } from './testing/capture.js';

async function* noInput(): AsyncGenerator<Buffer> {}

async function trib(argv: string[]) {
  const captured = captureIo({});
  // An address nothing listens on: a usage error must fail before any connection is tried.
  const code = await runCli(
    ['--bootstrap', '127.0.0.1:1', '--timeout-ms', '500', ...argv],
    captured.io,
    jsonDecoders,
    {
      stdin: noInput(),
      stderrIsTty: false,
    },
  );
  return { code, out: captured.out, err: captured.err };
}

const flags = (extra: Partial<AclFlags>): AclFlags => ({ ...EMPTY_ACL_FLAGS, ...extra });

function usageMessage(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}

const short = (b: { resourceType: string; resourceName: string; operation: string; permission: string }) =>
  `${b.permission} ${b.operation} ${b.resourceType}:${b.resourceName}`;

describe('acls create: flags to bindings', () => {
  it('crosses principals, hosts, operations and resources; host * by default; operation All by default', () => {
    const bindings = aclBindingsToCreate(
      flags({
        allowPrincipal: ['User:alice', 'User:bob'],
        denyPrincipal: ['User:mallory'],
        denyHost: ['10.0.0.1'],
        topic: ['orders'],
        group: ['g'],
      }),
    );
    expect(bindings).toHaveLength(6);
    expect(bindings[0]).toEqual({
      resourceType: 'Topic',
      resourceName: 'orders',
      patternType: 'Literal',
      principal: 'User:alice',
      host: '*',
      operation: 'All',
      permission: 'Allow',
    });
    expect(bindings.filter((b) => b.permission === 'Deny').map((b) => b.host)).toEqual([
      '10.0.0.1',
      '10.0.0.1',
    ]);
  });

  it('reads operations in any case and Kafka’s spellings; a prefixed pattern applies to topics, not the cluster', () => {
    const bindings = aclBindingsToCreate(
      flags({
        allowPrincipal: ['User:a'],
        operation: ['read', 'DESCRIBE', 'describe_configs'],
        topic: ['logs-'],
        resourcePatternType: 'PREFIXED',
      }),
    );
    expect(bindings.map((b) => [b.operation, b.patternType])).toEqual([
      ['Read', 'Prefixed'],
      ['Describe', 'Prefixed'],
      ['DescribeConfigs', 'Prefixed'],
    ]);
  });

  it('--producer: Write, Describe, Create on topics; --idempotent adds IdempotentWrite on the cluster', () => {
    const bindings = aclBindingsToCreate(
      flags({
        allowPrincipal: ['User:p'],
        producer: true,
        idempotent: true,
        topic: ['t'],
        transactionalId: ['tx'],
      }),
    );
    expect(bindings.map(short)).toEqual([
      'Allow Write Topic:t',
      'Allow Describe Topic:t',
      'Allow Create Topic:t',
      'Allow Write TransactionalId:tx',
      'Allow Describe TransactionalId:tx',
      'Allow IdempotentWrite Cluster:kafka-cluster',
    ]);
  });

  it('--consumer: Read, Describe on topics and Read on the group; with --producer, the union', () => {
    const consumer = aclBindingsToCreate(
      flags({ allowPrincipal: ['User:c'], consumer: true, topic: ['t'], group: ['g'] }),
    );
    expect(consumer.map(short)).toEqual([
      'Allow Read Topic:t',
      'Allow Describe Topic:t',
      'Allow Read Group:g',
    ]);
    const both = aclBindingsToCreate(
      flags({ allowPrincipal: ['User:c'], consumer: true, producer: true, topic: ['t'], group: ['g'] }),
    );
    // Describe on the topic once, though both expansions grant it.
    expect(both.map(short)).toEqual([
      'Allow Write Topic:t',
      'Allow Describe Topic:t',
      'Allow Create Topic:t',
      'Allow Read Topic:t',
      'Allow Read Group:g',
    ]);
  });

  it('refuses bad combinations with one-line usage errors', () => {
    const cases: [Partial<AclFlags>, RegExp][] = [
      [{ topic: ['t'] }, /--allow-principal or --deny-principal/],
      [{ allowPrincipal: ['User:a'] }, /name a resource/],
      [
        { allowPrincipal: ['User:a'], topic: ['t'], operation: ['fly'] },
        /--operation "fly" is not one of All, Read/,
      ],
      [
        { allowPrincipal: ['User:a'], cluster: true, operation: ['Read'] },
        /Cluster does not support operation Read/,
      ],
      [{ allowPrincipal: ['alice'], topic: ['t'] }, /not Type:name/],
      [{ allowPrincipal: ['User:a'], allowHost: ['nohost'], topic: ['t'] }, /neither "\*" nor an IP address/],
      [
        { denyHost: ['1.2.3.4'], allowPrincipal: ['User:a'], topic: ['t'] },
        /--deny-host needs --deny-principal/,
      ],
      [{ allowPrincipal: ['User:a'], consumer: true, topic: ['t'] }, /--consumer needs --topic and --group/],
      [{ allowPrincipal: ['User:a'], producer: true, group: ['g'] }, /--producer needs --topic/],
      [{ allowPrincipal: ['User:a'], topic: ['t'], idempotent: true }, /--idempotent goes with --producer/],
      [
        { allowPrincipal: ['User:a'], topic: ['t'], producer: true, operation: ['Read'] },
        /--operation does not go/,
      ],
      [
        { allowPrincipal: ['User:a'], topic: ['t'], resourcePatternType: 'match' },
        /is not literal or prefixed/,
      ],
      [
        { allowPrincipal: ['User:a'], topic: ['*'], resourcePatternType: 'prefixed' },
        /prefixed pattern may not be/,
      ],
    ];
    for (const [extra, message] of cases) {
      expect(usageMessage(() => aclBindingsToCreate(flags(extra)))).toMatch(message);
    }
  });
});

describe('acls list and delete: flags to filters', () => {
  it('list: every ACL by default, one filter per resource and principal, literal unless told', () => {
    expect(aclFiltersToList(flags({}))).toEqual([{}]);
    expect(aclFiltersToList(flags({ resourcePatternType: 'prefixed' }))).toEqual([
      { patternType: 'Prefixed' },
    ]);
    expect(
      aclFiltersToList(
        flags({ topic: ['t'], principal: ['User:a', 'User:b'], resourcePatternType: 'match' }),
      ),
    ).toEqual([
      { resourceType: 'Topic', resourceName: 't', patternType: 'Match', principal: 'User:a' },
      { resourceType: 'Topic', resourceName: 't', patternType: 'Match', principal: 'User:b' },
    ]);
  });

  it('delete: needs a resource; absent principal, host and operation match anything', () => {
    expect(usageMessage(() => aclFiltersToDelete(flags({ allowPrincipal: ['User:a'] })))).toMatch(
      /name a resource/,
    );
    expect(aclFiltersToDelete(flags({ topic: ['t'] }))).toEqual([
      { resourceType: 'Topic', resourceName: 't', patternType: 'Literal' },
    ]);
    expect(
      aclFiltersToDelete(
        flags({ group: ['g'], denyPrincipal: ['User:m'], operation: ['read'], resourcePatternType: 'any' }),
      ),
    ).toEqual([
      {
        resourceType: 'Group',
        resourceName: 'g',
        patternType: 'Any',
        operation: 'Read',
        principal: 'User:m',
        permission: 'Deny',
      },
    ]);
  });

  it('delete --consumer removes exactly what create --consumer made', () => {
    const consumer = flags({ allowPrincipal: ['User:c'], consumer: true, topic: ['t'], group: ['g'] });
    expect(aclFiltersToDelete(consumer)).toEqual(aclBindingsToCreate(consumer));
  });
});

describe('users and quotas flags', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trib-users-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('mechanisms and iterations', () => {
    expect(parseMechanisms('both')).toEqual(['SCRAM-SHA-256', 'SCRAM-SHA-512']);
    expect(parseMechanisms('scram-sha-512')).toEqual(['SCRAM-SHA-512']);
    expect(usageMessage(() => parseMechanisms('SCRAM-SHA-1'))).toMatch(
      /is not SCRAM-SHA-256, SCRAM-SHA-512 or both/,
    );
    expect(parseIterations('4096')).toBe(4096);
    expect(usageMessage(() => parseIterations('100'))).toMatch(/from 4096 to 16384/);
    expect(usageMessage(() => parseIterations('lots'))).toMatch(/from 4096 to 16384/);
  });

  it('a password file: its first line; missing or empty files named, never their content', async () => {
    const file = join(dir, 'pw');
    await writeFile(file, 's3cret\nignored\n');
    expect(readPasswordFile(file)).toBe('s3cret');
    await writeFile(file, '\nsecond');
    expect(usageMessage(() => readPasswordFile(file))).toMatch(/the first line \(the password\) is empty/);
    expect(usageMessage(() => readPasswordFile(join(dir, 'nope')))).toMatch(/cannot be read \(ENOENT\)/);
  });

  it('quota entities, configs and filters', () => {
    expect(quotaEntityOf({ userName: 'alice', clientDefaults: true }, true)).toEqual({
      user: 'alice',
      clientId: null,
    });
    expect(usageMessage(() => quotaEntityOf({}, true))).toMatch(/name the entity/);
    expect(usageMessage(() => quotaEntityOf({ userName: 'a', userDefaults: true }, true))).toMatch(
      /not both/,
    );
    expect(parseAddConfig(['producer_byte_rate=1048576,request_percentage=12.5'])).toEqual([
      { key: 'producer_byte_rate', value: 1_048_576 },
      { key: 'request_percentage', value: 12.5 },
    ]);
    expect(usageMessage(() => parseAddConfig(['fetch_rate=1']))).toMatch(/unknown quota "fetch_rate"/);
    expect(usageMessage(() => parseAddConfig(['producer_byte_rate=fast']))).toMatch(
      /must be a number greater than 0/,
    );
    expect(usageMessage(() => parseAddConfig(['producer_byte_rate=0']))).toMatch(/greater than 0/);
    expect(usageMessage(() => parseAddConfig(['consumer_byte_rate=1.5']))).toMatch(/whole bytes per second/);
    expect(usageMessage(() => quotaChangesOf(['producer_byte_rate=1'], ['producer_byte_rate']))).toMatch(
      /given twice/,
    );
    expect(usageMessage(() => quotaChangesOf([], []))).toMatch(/nothing to change/);
    expect(quotaFilterOf({ user: null, clientId: 'app' })).toEqual([
      { entityType: 'user', match: 'default' },
      { entityType: 'client-id', match: 'exact', name: 'app' },
    ]);
    expect(quotaFilterOf({})).toEqual([]);
  });
});

describe('commander: usage errors are one line and exit 2, before any connection', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'unknown operation',
      ['acls', 'create', '--allow-principal', 'User:a', '--topic', 't', '--operation', 'Fly'],
      /--operation "Fly"/,
    ],
    ['no resource', ['acls', 'create', '--allow-principal', 'User:a'], /name a resource/],
    [
      'consumer without group',
      ['acls', 'create', '--allow-principal', 'User:a', '--consumer', '--topic', 't'],
      /needs --topic and --group/,
    ],
    ['delete without resource', ['acls', 'delete', '--force'], /name a resource/],
    [
      'bad list pattern',
      ['acls', 'list', '--resource-pattern-type', 'fuzzy'],
      /is not literal, prefixed, any or match/,
    ],
    [
      'bad mechanism',
      ['users', 'create', 'u', '--user-password', 'p', '--mechanism', 'md5'],
      /--mechanism "md5"/,
    ],
    [
      'bad iterations',
      ['users', 'create', 'u', '--user-password', 'p', '--iterations', '99999'],
      /--iterations/,
    ],
    ['no password', ['users', 'create', 'u'], /no password/],
    ['two passwords', ['users', 'create', 'u', '--user-password', 'p', '--password-file', '/x'], /not both/],
    [
      'unknown quota',
      ['quotas', 'alter', '--user-name', 'a', '--add-config', 'speed=1'],
      /unknown quota "speed"/,
    ],
    [
      'non-numeric quota',
      ['quotas', 'alter', '--client-id', 'c', '--add-config', 'producer_byte_rate=x'],
      /greater than 0/,
    ],
    ['quota without entity', ['quotas', 'alter', '--add-config', 'producer_byte_rate=1'], /name the entity/],
  ];
  for (const [name, argv, message] of cases) {
    it(name, async () => {
      const { code, out, err } = await trib(argv);
      expect(code).toBe(EXIT_USAGE);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^error: /);
      expect(err[0]).toMatch(message);
    });
  }
});
