/**
 * Admin with brokers alone (issue 12, DESIGN §7): the real `trib` given only `--bootstrap` creates,
 * describes and deletes topics and lists brokers against 3 controllers + 3 brokers (real processes), the
 * brokers forwarding each call to the active controller — and keeps doing so after that controller is
 * SIGKILLed. TRIB_CONTROLLERS is removed from the environment, so no command can reach a controller itself.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Cluster } from './cluster.js';
import { clusterPerTest } from './cluster-per-test.js';

const TRIB_BIN = fileURLToPath(new URL('../../cli/dist/bin/trib.js', import.meta.url));
/** trib's own deadline: covers a controller election behind the brokers on a loaded 2-core machine. */
const TRIB_TIMEOUT_MS = 15_000;
/** The child is killed after this: trib's deadline plus its start-up. */
const COMMAND_TIMEOUT_MS = TRIB_TIMEOUT_MS + 5_000;

const { withCluster } = clusterPerTest({ brokers: 3 });

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `trib --bootstrap <brokers> --timeout-ms … ARGS` with no controller anywhere in its arguments or env. */
function trib(c: Cluster, args: readonly string[]): Promise<Run> {
  if (!existsSync(TRIB_BIN)) throw new Error(`trib not built at ${TRIB_BIN}: build packages/cli first`);
  const env = { ...process.env };
  delete env.TRIB_CONTROLLERS;
  delete env.TRIB_BOOTSTRAP;
  const argv = ['--bootstrap', c.bootstrap.join(','), '--timeout-ms', String(TRIB_TIMEOUT_MS), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TRIB_BIN, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs trib and parses its one JSON line, failing with trib's stderr when it did not succeed. */
async function tribJson<T>(c: Cluster, args: readonly string[]): Promise<T> {
  const run = await trib(c, ['--json', ...args]);
  expect(run.stderr, `trib ${args.join(' ')}`).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

interface TopicJson {
  readonly name: string;
  readonly id: string;
  readonly partitions: readonly { partition: number; replicas: number[] }[];
}

interface BrokersJson {
  readonly controllerId: number | null;
  readonly brokers: readonly { id: number; fenced: boolean }[];
}

/** create → describe → delete of `name` (3 partitions, RF 3), each with --bootstrap only. */
async function topicRoundTrip(c: Cluster, name: string): Promise<void> {
  const created = await tribJson<TopicJson>(c, [
    'topics',
    'create',
    name,
    '--partitions',
    '3',
    '--replication-factor',
    '3',
  ]);
  expect(created.name).toBe(name);
  const described = await tribJson<TopicJson>(c, ['topics', 'describe', name]);
  expect(described.id).toBe(created.id);
  expect(described.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
  for (const p of described.partitions) expect([...p.replicas].sort()).toEqual([1, 2, 3]);
  const deleted = await tribJson<{ name: string; id: string }>(c, ['topics', 'delete', name]);
  expect(deleted).toEqual({ name, id: created.id });
}

describe('trib with --bootstrap only (3 controllers + 3 brokers, real processes)', () => {
  it('manages topics and lists brokers, also after the active controller is SIGKILLed', async () => {
    await withCluster(async (c) => {
      const before = await tribJson<BrokersJson>(c, ['brokers', 'list']);
      expect(before.brokers.map((b) => b.id)).toEqual([1, 2, 3]);
      await topicRoundTrip(c, 'before-failover');

      const { leaderId, leader } = await c.quorum.waitForLeader({ timeoutMs: 15_000 });
      expect(before.controllerId).toBe(leaderId);
      await leader.kill('SIGKILL');

      // No wait for the election: the brokers' connections find the new active controller within trib's deadline.
      await topicRoundTrip(c, 'after-failover');
      const gone = await trib(c, ['topics', 'describe', 'after-failover']);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toMatch(/^error: UNKNOWN_TOPIC: .*after-failover/);
      expect(gone.stderr.trim().split('\n')).toHaveLength(1);
      const after = await tribJson<BrokersJson>(c, ['brokers', 'list']);
      expect(after.brokers.map((b) => b.id)).toEqual([1, 2, 3]);
      expect(after.controllerId).not.toBeNull();
      expect(after.controllerId).not.toBe(leaderId);
    });
  });
});
