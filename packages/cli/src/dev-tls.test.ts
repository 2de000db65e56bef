import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TributaryClient } from '@tributary/client';
import { ProcessTls, readClientTls } from '@tributary/protocol';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevCluster, startDevCluster } from './dev.js';
import { runTrib } from './testing/run-trib.js';

describe('tributary dev with TLS and client certificates required', () => {
  let dir: string;
  let cluster: DevCluster;
  let certs: string;
  const logged: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trib-dev-tls-'));
    certs = join(dir, 'certs');
    const made = await runTrib(['dev-certs', certs, '--nodes', '1', '--clients', 'admin,alice']);
    expect(made.code).toBe(0);
    expect(made.out[0]).toMatch(/^made a CA: /);
    const tls = ProcessTls.load({
      certFile: join(certs, 'node-1.pem'),
      keyFile: join(certs, 'node-1-key.pem'),
      caFile: join(certs, 'ca.pem'),
      clientAuth: 'required',
    });
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
    cluster = await startDevCluster({
      dataDir: join(dir, 'data'),
      controllerListen: '127.0.0.1:0',
      brokerListen: '127.0.0.1:0',
      kafkaListen: 'off',
      tls,
      logger,
    });
  });
  afterAll(async () => {
    await cluster?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const tlsFlags = (client: string) => [
    '--tls-ca',
    join(certs, 'ca.pem'),
    '--tls-cert',
    join(certs, `client-${client}.pem`),
    '--tls-key',
    join(certs, `client-${client}-key.pem`),
  ];

  it('dev-certs writes keys readable by their owner only', async () => {
    for (const key of ['ca-key.pem', 'node-1-key.pem', 'client-admin-key.pem']) {
      expect((await stat(join(certs, key))).mode & 0o777).toBe(0o600);
    }
    expect((await stat(join(certs, 'ca.pem'))).mode & 0o777).toBe(0o644);
  });

  it('trib with the CA and a client certificate reaches the controller and the broker; without TLS it cannot', async () => {
    const controllers = `127.0.0.1:${cluster.controller.port}`;
    const bootstrap = cluster.broker.advertisedAddress;
    const quorum = await runTrib([
      ...tlsFlags('admin'),
      '--controllers',
      controllers,
      'quorum',
      'describe',
      '--json',
    ]);
    expect(quorum).toMatchObject({ code: 0 });
    // The broker registers over mutual TLS too, so it shows up unfenced.
    let brokers = await runTrib([
      ...tlsFlags('alice'),
      '--bootstrap',
      bootstrap,
      'brokers',
      'list',
      '--json',
    ]);
    for (let attempt = 0; attempt < 50 && !brokers.out.join('').includes('"fenced":false'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      brokers = await runTrib([...tlsFlags('alice'), '--bootstrap', bootstrap, 'brokers', 'list', '--json']);
    }
    expect(brokers.code).toBe(0);
    expect(brokers.out.join('')).toContain('"fenced":false');

    const plain = await runTrib(['--timeout-ms', '1000', '--bootstrap', bootstrap, 'brokers', 'list']);
    expect(plain.code).toBe(1);
    const noCert = await runTrib([
      '--timeout-ms',
      '1000',
      '--tls-ca',
      join(certs, 'ca.pem'),
      '--bootstrap',
      bootstrap,
      'brokers',
      'list',
    ]);
    expect(noCert.code).toBe(1);
  });

  it('reads TRIB_TLS_* and refuses half-given or bad files with one line (exit 2)', async () => {
    const env = {
      TRIB_TLS_CA: join(certs, 'ca.pem'),
      TRIB_TLS_CERT: join(certs, 'client-admin.pem'),
      TRIB_TLS_KEY: join(certs, 'client-admin-key.pem'),
    };
    const viaEnv = await runTrib(
      ['--controllers', `127.0.0.1:${cluster.controller.port}`, 'quorum', 'describe'],
      env,
    );
    expect(viaEnv.code).toBe(0);
    const halfGiven = await runTrib(['--tls-cert', join(certs, 'client-admin.pem'), 'brokers', 'list']);
    expect(halfGiven).toMatchObject({
      code: 2,
      err: ['error: --tls-cert and --tls-key need --tls-ca (servers are verified against it only)'],
    });
    const missing = await runTrib(['--tls-ca', join(certs, 'nope.pem'), 'brokers', 'list']);
    expect(missing).toMatchObject({
      code: 2,
      err: [`error: --tls-ca ${join(certs, 'nope.pem')}: cannot read it (ENOENT)`],
    });
  });

  it('the TypeScript client produces and consumes with tls: { ca, cert, key }', async () => {
    const client = new TributaryClient({
      bootstrap: [cluster.broker.advertisedAddress],
      tls: readClientTls({
        caFile: join(certs, 'ca.pem'),
        certFile: join(certs, 'client-alice.pem'),
        keyFile: join(certs, 'client-alice-key.pem'),
      }),
    });
    try {
      const [ack] = await client.producer().send('tls-topic', [{ value: Buffer.from('over TLS') }]);
      expect(ack?.offset).toBe(0);
      const fetched = await client.consumer().fetch('tls-topic', 0, 0);
      expect(fetched.records.map((record) => record.value?.toString())).toEqual(['over TLS']);
    } finally {
      client.close();
    }
  });

  it('reloads the shared files once for both nodes on SIGHUP', async () => {
    const made = await runTrib(['dev-certs', certs, '--nodes', '1']);
    expect(made.out[0]).toMatch(/^kept the CA: /);
    cluster.reload();
    expect(logged.filter((line) => line.includes('TLS certificates reloaded'))).toHaveLength(1);
  });
});
