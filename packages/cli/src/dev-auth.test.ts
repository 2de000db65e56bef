import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TributaryClient } from '@tributary/client';
import { ProcessTls, readClientTls } from '@tributary/protocol';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevCluster, startDevCluster } from './dev.js';
import { parseDevArgs } from './dev-config.js';
import { runTrib } from './testing/run-trib.js';

describe('tributary dev with mutual TLS, required authentication and a bootstrap SCRAM user', () => {
  let dir: string;
  let certs: string;
  let cluster: DevCluster;
  const logged: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trib-dev-auth-'));
    certs = join(dir, 'certs');
    expect((await runTrib(['dev-certs', certs, '--nodes', '1', '--clients', 'alice'])).code).toBe(0);
    await writeFile(join(dir, 'admin-password'), 'right\n', { mode: 0o600 });
    const flags = parseDevArgs([
      '--data-dir',
      join(dir, 'data'),
      '--controller-listen',
      '127.0.0.1:0',
      '--broker-listen',
      '127.0.0.1:0',
      '--kafka-listen',
      'off',
      '--tls-cert',
      join(certs, 'node-1.pem'),
      '--tls-key',
      join(certs, 'node-1-key.pem'),
      '--tls-ca',
      join(certs, 'ca.pem'),
      '--tls-client-auth',
      'required',
      '--require-authentication',
      '--super-users',
      'User:node;User:admin',
      '--bootstrap-scram-user',
      'admin',
      '--bootstrap-scram-password-file',
      join(dir, 'admin-password'),
    ]);
    if (flags === null) throw new Error('no flags');
    expect(flags.security.requireAuthentication).toBe(true);
    expect([...flags.security.authorizer.superUsers]).toEqual(['User:node', 'User:admin']);
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
    cluster = await startDevCluster({ ...flags, logger });
    // The broker reaches the controller with its node certificate (User:node) and registers.
    for (let attempt = 0; attempt < 100 && !cluster.broker.lifecycle.snapshot().caughtUp; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The bootstrap user is created by the active controller once it leads.
    for (let attempt = 0; attempt < 100; attempt++) {
      if (cluster.broker.follower.currentImage().scram.credential('admin', 'SCRAM-SHA-512') !== undefined)
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => {
    await cluster?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const tlsFlags = () => [
    '--tls-ca',
    join(certs, 'ca.pem'),
    '--tls-cert',
    join(certs, 'client-alice.pem'),
    '--tls-key',
    join(certs, 'client-alice-key.pem'),
  ];
  const bootstrap = () => ['--bootstrap', cluster.broker.advertisedAddress];
  const controllers = () => ['--controllers', `127.0.0.1:${cluster.controller.port}`];

  it('refuses --require-authentication without TLS, and a password without a user', async () => {
    expect(() => parseDevArgs(['--require-authentication'])).toThrow(/--require-authentication needs TLS/);
    expect(() => parseDevArgs(['--tls-principal-mapping-rules', 'RULE:broken'])).toThrow(
      /--tls-principal-mapping-rules/,
    );
    const noUser = await runTrib([...tlsFlags(), '--password', 'x', 'topics', 'list']);
    expect(noUser).toMatchObject({
      code: 2,
      err: ['error: --password (or TRIB_PASSWORD) needs --user (or TRIB_USER)'],
    });
  });

  it('trib --user admin --password right works through the broker and against the controller', async () => {
    const created = await runTrib([
      ...tlsFlags(),
      ...bootstrap(),
      '--user',
      'admin',
      '--password',
      'right',
      'topics',
      'create',
      'secured',
      '--partitions',
      '1',
      '--replication-factor',
      '1',
    ]);
    expect(created.err).toEqual([]);
    expect(created.code).toBe(0);
    const listed = await runTrib([
      ...tlsFlags(),
      ...bootstrap(),
      '--user',
      'admin',
      '--password',
      'right',
      'topics',
      'list',
    ]);
    expect(listed.code).toBe(0);
    expect(listed.out.join('\n')).toContain('secured');
    const env = { TRIB_USER: 'admin', TRIB_PASSWORD: 'right' };
    const quorum = await runTrib(
      [...tlsFlags(), ...controllers(), '--sasl-mechanism', 'SCRAM-SHA-256', 'quorum', 'describe'],
      env,
    );
    expect(quorum.code).toBe(0);
    expect(logged.some((line) => line.includes('right'))).toBe(false);
  });

  it('a wrong password and an unknown user fail with an authentication error', async () => {
    const wrong = await runTrib([
      ...tlsFlags(),
      ...bootstrap(),
      '--user',
      'admin',
      '--password',
      'wrong',
      'topics',
      'list',
    ]);
    const unknown = await runTrib([
      ...tlsFlags(),
      ...bootstrap(),
      '--user',
      'nobody',
      '--password',
      'right',
      'topics',
      'list',
    ]);
    for (const result of [wrong, unknown]) {
      expect(result.code).toBe(1);
      expect(result.err.join('\n')).toMatch(/SASL_AUTHENTICATION_FAILED: .*invalid credentials/);
    }
    expect(wrong.err).toEqual(unknown.err);
  });

  it('the TypeScript client produces and consumes with sasl over TLS', async () => {
    const client = new TributaryClient({
      bootstrap: [cluster.broker.advertisedAddress],
      tls: readClientTls({
        caFile: join(certs, 'ca.pem'),
        certFile: join(certs, 'client-alice.pem'),
        keyFile: join(certs, 'client-alice-key.pem'),
      }),
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'admin', password: 'right' },
    });
    try {
      const [ack] = await client.producer().send('scram-topic', [{ value: Buffer.from('with a session') }]);
      expect(ack?.offset).toBe(0);
      const fetched = await client.consumer().fetch('scram-topic', 0, 0);
      expect(fetched.records.map((record) => record.value?.toString())).toEqual(['with a session']);
    } finally {
      client.close();
    }
  });

  it('a client that is not authenticated is refused', async () => {
    // Without a certificate the TLS handshake already fails; with the node-less CA only, nothing connects.
    const noCert = await runTrib([
      '--timeout-ms',
      '1000',
      '--tls-ca',
      join(certs, 'ca.pem'),
      ...bootstrap(),
      'topics',
      'list',
    ]);
    expect(noCert.code).toBe(1);
    const tls = ProcessTls.load({
      certFile: join(certs, 'node-1.pem'),
      keyFile: join(certs, 'node-1-key.pem'),
      caFile: join(certs, 'ca.pem'),
      clientAuth: 'required',
    });
    expect(tls.summary()).toBeDefined();
  });
});
