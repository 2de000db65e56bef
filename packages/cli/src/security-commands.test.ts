/**
 * `trib users|acls|quotas` end to end against a real `tributary dev` cluster, through the broker (which
 * forwards the calls to the active controller), as an operator runs them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevCluster, startDevCluster } from './dev.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from './program.js';
import { captureIo, jsonDecoders } from './testing/capture.js';

async function* linesOf(lines: readonly string[]): AsyncGenerator<Buffer> {
  for (const line of lines) yield Buffer.from(`${line}\n`, 'utf8');
}

describe('trib users, acls and quotas against tributary dev', () => {
  let dir = '';
  let cluster: DevCluster | undefined;
  let bootstrap = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trib-security-'));
    cluster = await startDevCluster({
      dataDir: join(dir, 'data'),
      controllerListen: '127.0.0.1:0',
      brokerListen: '127.0.0.1:0',
      kafkaListen: 'off',
      logger: pino({ level: 'silent' }),
    });
    bootstrap = cluster.broker.advertisedAddress;
  });
  afterAll(async () => {
    await cluster?.close();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  async function trib(argv: string[], options: { stdin?: string[]; stdinIsTty?: boolean } = {}) {
    const captured = captureIo({});
    const code = await runCli(['--bootstrap', bootstrap, ...argv], captured.io, jsonDecoders, {
      stdin: linesOf(options.stdin ?? []),
      stderrIsTty: false,
      stdinIsTty: options.stdinIsTty ?? false,
    });
    return { code, out: captured.out, err: captured.err };
  }

  /** Retries while the broker is still registering (its first forwarded calls may find no controller). */
  async function tribReady(argv: string[]) {
    let result = await trib(argv);
    for (let attempt = 0; attempt < 50 && result.code !== EXIT_OK; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      result = await trib(argv);
    }
    return result;
  }

  it('users: create (file, flag, stdin), list without secrets, delete; a missing user is RESOURCE_NOT_FOUND', async () => {
    const file = join(dir, 'alice.pw');
    await writeFile(file, 'alice-secret-1\n');
    const created = await tribReady(['users', 'create', 'alice', '--password-file', file]);
    expect(created).toMatchObject({ code: EXIT_OK, err: [] });
    expect(created.out).toEqual([
      'user alice: SCRAM credentials set: SCRAM-SHA-256 (8192 iterations), SCRAM-SHA-512 (8192 iterations)',
    ]);
    const bob = await trib([
      'users',
      'create',
      'bob',
      '--user-password',
      'bob-secret-2',
      '--mechanism',
      'scram-sha-512',
      '--iterations',
      '4096',
    ]);
    expect(bob.code).toBe(EXIT_OK);
    const carol = await trib(['--json', 'users', 'create', 'carol'], { stdin: ['carol-secret-3'] });
    expect(carol.code).toBe(EXIT_OK);
    expect(JSON.parse(carol.out[0] ?? '')).toMatchObject({ user: 'carol' });

    const listed = await trib(['users', 'list']);
    expect(listed.code).toBe(EXIT_OK);
    expect(listed.out).toEqual([
      'USER   MECHANISM      ITERATIONS',
      'alice  SCRAM-SHA-256  8192',
      'alice  SCRAM-SHA-512  8192',
      'bob    SCRAM-SHA-512  4096',
      'carol  SCRAM-SHA-256  8192',
      'carol  SCRAM-SHA-512  8192',
    ]);
    const json = await trib(['--json', 'users', 'list', 'bob']);
    expect(json.out.map((line) => JSON.parse(line))).toEqual([
      { user: 'bob', credentials: [{ mechanism: 'SCRAM-SHA-512', iterations: 4096 }] },
    ]);
    for (const output of [created, bob, carol, listed, json]) {
      const text = [...output.out, ...output.err].join('\n');
      expect(text).not.toMatch(/secret/);
    }

    const deleted = await trib(['users', 'delete', 'alice']);
    expect(deleted).toMatchObject({
      code: EXIT_OK,
      out: ['user alice: SCRAM credentials deleted: SCRAM-SHA-256, SCRAM-SHA-512'],
    });
    const again = await trib(['users', 'delete', 'alice']);
    expect(again.code).toBe(EXIT_FAILURE);
    expect(again.err).toHaveLength(1);
    expect(again.err[0]).toMatch(/^error: RESOURCE_NOT_FOUND: /);
    const oneMechanism = await trib(['users', 'delete', 'bob', '--mechanism', 'SCRAM-SHA-256']);
    expect(oneMechanism.err[0]).toMatch(/^error: RESOURCE_NOT_FOUND: /);
    const missing = await trib(['users', 'list', 'alice', 'carol']);
    expect(missing.code).toBe(EXIT_FAILURE);
    expect(missing.out).toEqual([
      'USER   MECHANISM      ITERATIONS',
      'carol  SCRAM-SHA-256  8192',
      'carol  SCRAM-SHA-512  8192',
    ]);
    expect(missing.err).toEqual([expect.stringMatching(/^error: RESOURCE_NOT_FOUND: user alice: /)]);
  });

  it('acls: create (literal, prefixed, --producer, --consumer), list, delete with and without --force', async () => {
    const literal = await tribReady([
      'acls',
      'create',
      '--allow-principal',
      'User:alice',
      '--operation',
      'read',
      '--operation',
      'Describe',
      '--topic',
      'orders',
    ]);
    expect(literal.code).toBe(EXIT_OK);
    expect(literal.out[0]).toBe('2 ACL(s) in place:');
    const prefixed = await trib([
      'acls',
      'create',
      '--deny-principal',
      'User:mallory',
      '--deny-host',
      '10.0.0.9',
      '--operation',
      'Write',
      '--topic',
      'logs-',
      '--resource-pattern-type',
      'prefixed',
    ]);
    expect(prefixed.code).toBe(EXIT_OK);
    const producer = await trib([
      'acls',
      'create',
      '--allow-principal',
      'User:app',
      '--producer',
      '--idempotent',
      '--topic',
      'events',
    ]);
    expect(producer.out[0]).toBe('4 ACL(s) in place:');
    const consumer = await trib([
      'acls',
      'create',
      '--allow-principal',
      'User:app',
      '--consumer',
      '--topic',
      'events',
      '--group',
      'app-group',
    ]);
    // Describe on events already exists: it is answered with the existing ACL.
    expect(consumer.out[0]).toBe('3 ACL(s) in place:');

    const all = await trib(['--json', 'acls', 'list']);
    expect(all.out).toHaveLength(2 + 1 + 4 + 2);
    const events = await trib(['acls', 'list', '--topic', 'events', '--principal', 'User:app']);
    expect(events.out[0]).toMatch(
      /^RESOURCE TYPE\s+NAME\s+PATTERN\s+PRINCIPAL\s+HOST\s+OPERATION\s+PERMISSION\s+ID$/,
    );
    expect(events.out.slice(1).map((line) => line.split(/\s+/).slice(0, 7).join(' '))).toEqual([
      'Topic events Literal User:app * Create Allow',
      'Topic events Literal User:app * Describe Allow',
      'Topic events Literal User:app * Read Allow',
      'Topic events Literal User:app * Write Allow',
    ]);
    const matching = await trib([
      '--json',
      'acls',
      'list',
      '--topic',
      'logs-app',
      '--resource-pattern-type',
      'match',
    ]);
    expect(matching.out.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        resourceName: 'logs-',
        patternType: 'Prefixed',
        permission: 'Deny',
        host: '10.0.0.9',
      }),
    ]);

    // Not a terminal and no --force: lists what would go, deletes nothing, says to pass --force.
    const refused = await trib(['acls', 'delete', '--topic', 'orders']);
    expect(refused.code).toBe(EXIT_USAGE);
    expect(refused.out[0]).toBe('would delete 2 ACL(s):');
    expect(refused.err).toEqual([expect.stringMatching(/^error: not deleting 2 ACL\(s\): .*pass --force/)]);
    // On a terminal: asks, and "n" keeps them.
    const declined = await trib(['acls', 'delete', '--topic', 'orders'], { stdinIsTty: true, stdin: ['n'] });
    expect(declined.code).toBe(EXIT_OK);
    expect(declined.err).toEqual(['Delete these 2 ACL(s)? [y/N] ', 'nothing deleted']);
    const confirmed = await trib(['acls', 'delete', '--topic', 'orders', '--operation', 'READ'], {
      stdinIsTty: true,
      stdin: ['y'],
    });
    expect(confirmed.code).toBe(EXIT_OK);
    expect(confirmed.out).toContain('deleted 1 ACL(s):');
    const consumerGone = await trib([
      'acls',
      'delete',
      '--force',
      '--allow-principal',
      'User:app',
      '--consumer',
      '--topic',
      'events',
      '--group',
      'app-group',
    ]);
    expect(consumerGone.out[0]).toBe('deleted 3 ACL(s):');
    const forced = await trib([
      '--json',
      'acls',
      'delete',
      '--force',
      '--topic',
      'logs-',
      '--resource-pattern-type',
      'any',
    ]);
    expect(forced.out.map((line) => JSON.parse(line).resourceName)).toEqual(['logs-']);
    const left = await trib(['--json', 'acls', 'list']);
    expect(left.out.map((line) => JSON.parse(line).operation).sort()).toEqual([
      'Create',
      'Describe',
      'IdempotentWrite',
      'Write',
    ]);

    // What can be checked locally is a usage error before anything is sent.
    const badHost = await trib([
      'acls',
      'create',
      '--allow-principal',
      'User:a',
      '--allow-host',
      'example.com',
      '--topic',
      't',
    ]);
    expect(badHost).toMatchObject({
      code: EXIT_USAGE,
      err: [expect.stringMatching(/neither "\*" nor an IP address/)],
    });
  });

  it('quotas: alter (set, validate-only, remove) and describe, strict and by default entity', async () => {
    const set = await tribReady([
      'quotas',
      'alter',
      '--user-name',
      'alice',
      '--add-config',
      'producer_byte_rate=1048576,request_percentage=25',
    ]);
    expect(set).toMatchObject({
      code: EXIT_OK,
      out: ['quotas updated: user alice: producer_byte_rate=1048576, request_percentage=25'],
    });
    const both = await trib([
      'quotas',
      'alter',
      '--user-defaults',
      '--client-id',
      'app',
      '--add-config',
      'consumer_byte_rate=2048',
    ]);
    expect(both.code).toBe(EXIT_OK);
    const dry = await trib([
      'quotas',
      'alter',
      '--client-defaults',
      '--add-config',
      'consumer_byte_rate=1',
      '--validate-only',
    ]);
    expect(dry.out).toEqual(['valid, not applied: client-id <default>: consumer_byte_rate=1']);

    const all = await trib(['quotas', 'describe']);
    expect(all.out).toEqual([
      'USER       CLIENT-ID  QUOTAS',
      'alice      -          producer_byte_rate=1048576,request_percentage=25',
      '<default>  app        consumer_byte_rate=2048',
    ]);
    const strict = await trib(['--json', 'quotas', 'describe', '--user-defaults', '--strict']);
    expect(strict.out).toEqual([]);
    const defaults = await trib(['--json', 'quotas', 'describe', '--user-defaults']);
    expect(defaults.out.map((line) => JSON.parse(line))).toEqual([
      { entity: { user: null, clientId: 'app' }, quotas: { consumer_byte_rate: 2048 } },
    ]);

    const removed = await trib([
      'quotas',
      'alter',
      '--user-name',
      'alice',
      '--delete-config',
      'producer_byte_rate',
    ]);
    expect(removed.out).toEqual(['quotas updated: user alice: producer_byte_rate removed']);
    const alice = await trib(['quotas', 'describe', '--user-name', 'alice']);
    expect(alice.out[1]).toMatch(/^alice\s+-\s+request_percentage=25$/);

    // The controller's own checks come back as one line with their code.
    const long = await trib(['quotas', 'describe', '--user-name', 'x'.repeat(300)]);
    expect(long).toMatchObject({ code: EXIT_FAILURE, out: [] });
    expect(long.err).toEqual([expect.stringMatching(/^error: INVALID_REQUEST: the user is 300 characters/)]);
  });
});
