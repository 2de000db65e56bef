/**
 * deploy/local/cluster.sh end to end (issues 5 and 13): `start` brings up 3 controllers + 3 brokers on free
 * ports, secure by default (TLS with certificates it makes with trib dev-certs, authentication required, ACLs,
 * the bootstrap admin's password in a file), and returns once they answer; `status` shows each process; every
 * process answers gRPC health (SERVING) over TLS and refuses plaintext; its own RPCs answer the admin's
 * certificate; the printed client.env lets trib in and kcat.conf lets kcat in; /metrics answers; `reload`
 * (SIGHUP) keeps them serving; `stop` ends them all with SIGTERM alone, leaving no process and no pid file.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { clientCredentials, createBrokerClient, readClientTls, unary } from '@tributary/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './deploy-files.js';
import { kcat, run, TRIB_BIN } from './kafka/tools.js';
import { HARNESS_LIMITS } from './limits.js';
import { freePorts } from './ports.js';
import { NodeConnection } from './rpc.js';
import { makeTempDir, type TempDir } from './temp-dir.js';

const SCRIPT = `${REPO_ROOT}deploy/local/cluster.sh`;
/** The script's port plan: P..P+2, P+10..P+12, P+20..P+25. */
const PORT_SPAN = 33;
const BASE_PORT_ATTEMPTS_MAX = 20;
const READY_TIMEOUT_S = 90;
const STOP_TIMEOUT_S = 30;
/** Bounds of one script run: its own bound plus slack for node start-up on a loaded machine. */
const START_TIMEOUT_MS = (READY_TIMEOUT_S + 30) * 1_000;
const STOP_RUN_TIMEOUT_MS = (STOP_TIMEOUT_S + 30) * 1_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cluster(args: readonly string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile('bash', [SCRIPT, ...args], { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A base port P with P..P+25 all free: start from a free ephemeral port and check the whole span. */
async function freeBasePort(): Promise<number> {
  for (let attempt = 0; attempt < BASE_PORT_ATTEMPTS_MAX; attempt++) {
    const [candidate] = await freePorts(1);
    if (candidate === undefined || candidate + PORT_SPAN > 65_535) continue;
    let allFree = true;
    for (let port = candidate; port < candidate + PORT_SPAN && allFree; port++)
      allFree = await portIsFree(port);
    if (allFree) return candidate;
  }
  throw new Error(`no ${PORT_SPAN} consecutive free ports after ${BASE_PORT_ATTEMPTS_MAX} attempts`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** grpc.health.v1.Health/Check for the whole server: SERVING, NOT_SERVING, ... or UNIMPLEMENTED. */
function healthStatus(address: string, credentials: grpc.ChannelCredentials): Promise<string> {
  const statuses = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];
  const client = new grpc.Client(address, credentials);
  return new Promise<string>((resolve, reject) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      () => Buffer.alloc(0),
      (bytes: Buffer) => (bytes.length >= 2 && bytes[0] === 0x08 ? (bytes[1] ?? 0) : 0),
      {},
      { deadline: Date.now() + HARNESS_LIMITS.rpcDeadlineMs },
      (error, status) => {
        if (error?.code === grpc.status.UNIMPLEMENTED) resolve('UNIMPLEMENTED');
        else if (error) reject(error);
        else resolve(statuses[status ?? 0] ?? 'UNKNOWN');
      },
    );
  }).finally(() => client.close());
}

async function metricsText(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
    signal: AbortSignal.timeout(HARNESS_LIMITS.rpcDeadlineMs),
  });
  expect(response.status, `GET :${port}/metrics`).toBe(200);
  return response.text();
}

describe('deploy/local/cluster.sh', () => {
  let dir: TempDir;
  let basePort: number;
  const pidsSeen = new Set<number>();

  const controllerPorts = () => [0, 1, 2].map((i) => basePort + i);
  const brokerPorts = () => [10, 11, 12].map((i) => basePort + i);
  const metricsPorts = () => [20, 21, 22, 23, 24, 25].map((i) => basePort + i);

  function recordPids(): void {
    const pidDir = `${dir.path}/pids`;
    if (!existsSync(pidDir)) return;
    for (const file of readdirSync(pidDir)) pidsSeen.add(Number(readFileSync(`${pidDir}/${file}`, 'utf8')));
  }

  beforeAll(async () => {
    dir = await makeTempDir('tributary-deploy-local');
    basePort = await freeBasePort();
  });

  afterAll(async () => {
    // Whatever happened above, no process of ours outlives the test: stop, then SIGKILL by the recorded pids.
    recordPids();
    await cluster(['stop', '--dir', dir.path, '--stop-timeout-s', '5'], STOP_RUN_TIMEOUT_MS);
    for (const pid of pidsSeen) if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
    await dir.remove();
  }, STOP_RUN_TIMEOUT_MS + 10_000);

  it('starts 3 + 3, answers health, RPCs and /metrics, and stops cleanly', { timeout: 240_000 }, async () => {
    const start = await cluster(
      [
        'start',
        '--dir',
        dir.path,
        '--base-port',
        String(basePort),
        '--ready-timeout-s',
        String(READY_TIMEOUT_S),
      ],
      START_TIMEOUT_MS,
    );
    recordPids();
    expect(start.code, `start failed:\n${start.stdout}\n${start.stderr}`).toBe(0);
    expect(start.stdout).toContain('cluster.sh: ready');
    expect(start.stdout).toContain(`source ${dir.path}/client.env`);
    expect(pidsSeen.size).toBe(6);
    expect(readFileSync(`${dir.path}/cluster.env`, 'utf8')).toContain('SECURE=on');
    // The admin's password is in its own file (0600), never copied into client.env.
    const password = readFileSync(`${dir.path}/tls/admin-password`, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(statSync(`${dir.path}/tls/admin-password`).mode & 0o077).toBe(0);
    expect(readFileSync(`${dir.path}/client.env`, 'utf8')).not.toContain(password);
    const tls = `${dir.path}/tls`;
    const admin = clientCredentials(
      readClientTls({
        caFile: `${tls}/ca.pem`,
        certFile: `${tls}/client-admin.pem`,
        keyFile: `${tls}/client-admin-key.pem`,
      }),
    );
    for (const name of ['controller-1', 'controller-2', 'controller-3', 'broker-1', 'broker-2', 'broker-3']) {
      expect(existsSync(`${dir.path}/logs/${name}.log`), `${name} log`).toBe(true);
      expect(existsSync(`${dir.path}/${name}`), `${name} data dir`).toBe(true);
    }

    const status = await cluster(['status', '--dir', dir.path], START_TIMEOUT_MS);
    expect(status.code, `status:\n${status.stdout}\n${status.stderr}`).toBe(0);
    const lines = status.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatch(/ pid=\d+ alive=yes .* ready=yes /);

    for (const port of [...controllerPorts(), ...brokerPorts()]) {
      expect(await healthStatus(`127.0.0.1:${port}`, admin), `health of 127.0.0.1:${port}`).toBe('SERVING');
      // TLS only: a plaintext client gets no answer at all.
      await expect(healthStatus(`127.0.0.1:${port}`, grpc.credentials.createInsecure())).rejects.toThrow();
    }
    const leaders = new Set<number>();
    for (const port of controllerPorts()) {
      const connection = new NodeConnection(`127.0.0.1:${port}`, admin);
      try {
        leaders.add((await connection.describeQuorum(HARNESS_LIMITS.rpcDeadlineMs)).leaderId);
      } finally {
        connection.close();
      }
    }
    expect(leaders.size, 'the controllers agree on one leader').toBe(1);
    expect([...leaders][0]).toBeGreaterThan(0);
    for (const port of brokerPorts()) {
      const client = createBrokerClient(`127.0.0.1:${port}`, { credentials: admin });
      try {
        const metadata = await unary(
          client,
          'Metadata',
          { topics: [], allowAutoTopicCreation: false },
          { deadlineMs: HARNESS_LIMITS.rpcDeadlineMs },
        );
        expect(metadata.brokers.map((broker) => broker.address).sort()).toEqual(
          brokerPorts().map((p) => `127.0.0.1:${p}`),
        );
      } finally {
        client.close();
      }
    }
    // Every broker serves Kafka's protocol on P+30.. (DESIGN §9): kcat lists all three from any one.
    const kafkaPorts = [30, 31, 32].map((i) => basePort + i);
    const listed = JSON.parse(
      await kcat(['-F', `${dir.path}/kcat.conf`, '-b', `127.0.0.1:${kafkaPorts[0]}`, '-L', '-J']),
    ) as {
      brokers: { id: number; name: string }[];
    };
    expect(listed.brokers.map((b) => b.name).sort()).toEqual(kafkaPorts.map((p) => `127.0.0.1:${p}`));
    // What start printed: source client.env, and trib is the admin (TLS + SCRAM) on brokers and controllers.
    const viaEnv = await run('bash', [
      '-c',
      `source '${dir.path}/client.env' && node '${TRIB_BIN}' --json brokers list && node '${TRIB_BIN}' quorum describe`,
    ]);
    expect(viaEnv.code, `trib with client.env:\n${viaEnv.stderr}`).toBe(0);
    expect(viaEnv.stdout).toContain(`127.0.0.1:${brokerPorts()[0]}`);
    // Without credentials the brokers refuse (authentication required).
    const anonymous = await run(process.execPath, [
      TRIB_BIN,
      '--bootstrap',
      `127.0.0.1:${brokerPorts()[0]}`,
      '--tls-ca',
      `${tls}/ca.pem`,
      'topics',
      'list',
    ]);
    expect(anonymous.code).not.toBe(0);
    for (const port of metricsPorts()) expect(await metricsText(port)).toMatch(/^# (HELP|TYPE) /m);
    const controllerMetrics = await metricsText(metricsPorts()[0] ?? 0);
    expect(controllerMetrics).toMatch(/^tributary_controller_raft_term\{[^}]*\} [1-9]/m);

    // Certificate rotation: new certificates under the same CA, SIGHUP, and every process still serves.
    const reissue = await run(process.execPath, [
      TRIB_BIN,
      'dev-certs',
      tls,
      '--nodes',
      '6',
      '--clients',
      'admin',
    ]);
    expect(reissue.code, reissue.stderr).toBe(0);
    const reload = await cluster(['reload', '--dir', dir.path], START_TIMEOUT_MS);
    expect(reload.code, `reload:\n${reload.stdout}\n${reload.stderr}`).toBe(0);
    expect(reload.stdout).toContain('sent SIGHUP to 6 processes');
    const afterReload = await cluster(['status', '--dir', dir.path], START_TIMEOUT_MS);
    expect(afterReload.code, `status after reload:\n${afterReload.stdout}\n${afterReload.stderr}`).toBe(0);

    const stop = await cluster(['stop', '--dir', dir.path], STOP_RUN_TIMEOUT_MS);
    expect(stop.code, `stop:\n${stop.stdout}\n${stop.stderr}`).toBe(0);
    expect(stop.stdout.match(/ stopped$/gm)).toHaveLength(6);
    expect(stop.stderr).not.toContain('SIGKILL');
    for (const pid of pidsSeen) expect(isAlive(pid), `pid ${pid} is gone`).toBe(false);
    expect(readdirSync(`${dir.path}/pids`)).toEqual([]);
    const again = await cluster(['status', '--dir', dir.path], START_TIMEOUT_MS);
    expect(again.code).not.toBe(0);
    expect(again.stdout).toMatch(/controller-1 .* alive=no/);
  });

  it('refuses bad usage with exit 2', { timeout: 30_000 }, async () => {
    for (const args of [
      ['restart'],
      ['start', '--base-port', '80'],
      ['status', '--dir'],
      ['start', '--secure', 'maybe'],
    ]) {
      const run = await cluster(args, 20_000);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.length).toBeGreaterThan(0);
    }
  });
});
