import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LogIndex, type NodeId, nodeId, type Term } from '@tributary/core';
import { freePort, waitFor } from '@tributary/core/testing';
import { MetadataImage } from '@tributary/metadata';
import {
  checkHealth,
  createBrokerLifecycleClient,
  createControllerAdminClient,
  listReflectedServices,
  unary,
} from '@tributary/protocol';
import type { ProgressStatus, Status } from '@tributary/raft';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { startController } from '../controller-node.js';
import { ControllerMetrics } from './controller-metrics.js';

const DEADLINE_MS = 5_000;
const logger = pino({ level: process.env.TRIB_TEST_LOG_LEVEL ?? 'silent' });

/**
 * The value of the series `name{labels}` in Prometheus text output (label order ignored; node_id="1"
 * implied), or undefined when absent.
 */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries({ ...labels, node_id: '1' })
    .map(([key, value]) => `${key}="${value}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',').sort().join(',');
    if (have === wanted) return Number(match[3]);
  }
  return undefined;
}

function leaderStatus(lastIndex: number, matches: ReadonlyMap<number, number>): Status {
  const progress = new Map<NodeId, ProgressStatus>();
  for (const [id, match] of matches) {
    progress.set(nodeId(id), {
      match: match as LogIndex,
      next: (match + 1) as LogIndex,
      ticksSinceContact: 0,
    });
  }
  return {
    id: nodeId(1),
    role: 'leader',
    term: 7 as Term,
    leaderId: nodeId(1),
    votedFor: nodeId(1),
    commit: 40 as LogIndex,
    applied: 39 as LogIndex,
    lastIndex: lastIndex as LogIndex,
    snapshotIndex: 0 as LogIndex,
    voters: [...matches.keys()].map((id) => nodeId(id)),
    learners: [],
    addresses: {},
    progress,
    transferee: null,
  };
}

describe('ControllerMetrics', () => {
  it('computes Raft gauges and follower lag at scrape time and counts leader changes and applied entries', async () => {
    let status = leaderStatus(
      42,
      new Map([
        [1, 42],
        [2, 40],
        [3, 12],
      ]),
    );
    const metrics = new ControllerMetrics({
      nodeId: 1,
      status: () => status,
      isActive: () => true,
      committedImage: () => MetadataImage.EMPTY,
    });
    metrics.onLeaderChange({ isLeader: false, leaderId: 2 });
    metrics.onLeaderChange({ isLeader: true, leaderId: 1 });
    metrics.onLeaderChange({ isLeader: true, leaderId: 1 });
    metrics.onApplied(10);
    metrics.onApplied(15);
    metrics.onApplied(15);
    metrics.onCommitLatency(0.8);
    metrics.onCommitLatency(3);
    let text = await metrics.registry.metrics();
    expect(sample(text, 'tributary_controller_raft_commit_latency_seconds_count')).toBe(2);
    expect(sample(text, 'tributary_controller_raft_commit_latency_seconds_bucket', { le: '0.001' })).toBe(1);
    expect(sample(text, 'tributary_controller_raft_commit_latency_seconds_bucket', { le: '0.0025' })).toBe(1);
    expect(sample(text, 'tributary_controller_raft_commit_latency_seconds_bucket', { le: '0.005' })).toBe(2);
    expect(sample(text, 'tributary_controller_raft_term')).toBe(7);
    expect(sample(text, 'tributary_controller_raft_commit_index')).toBe(40);
    expect(sample(text, 'tributary_controller_raft_leader')).toBe(1);
    expect(sample(text, 'tributary_controller_raft_follower_lag_entries', { voter: '2' })).toBe(2);
    expect(sample(text, 'tributary_controller_raft_follower_lag_entries', { voter: '3' })).toBe(30);
    expect(sample(text, 'tributary_controller_raft_leader_changes_total')).toBe(2);
    expect(sample(text, 'tributary_controller_raft_elections_won_total')).toBe(2);
    expect(sample(text, 'tributary_controller_metadata_entries_applied_total')).toBe(5);

    // A controller being added (a learner) has its own series, not a voter's.
    const withObserver = leaderStatus(
      42,
      new Map([
        [1, 42],
        [2, 40],
        [3, 12],
        [4, 5],
      ]),
    );
    status = { ...withObserver, voters: [nodeId(1), nodeId(2), nodeId(3)], learners: [nodeId(4)] };
    text = await metrics.registry.metrics();
    expect(sample(text, 'tributary_controller_raft_observer_lag_entries', { observer: '4' })).toBe(37);
    expect(sample(text, 'tributary_controller_raft_follower_lag_entries', { voter: '4' })).toBeUndefined();
    expect(sample(text, 'tributary_controller_raft_follower_lag_entries', { voter: '3' })).toBe(30);

    // A follower has no progress: the lag series disappear rather than going stale.
    status = { ...status, role: 'follower', leaderId: nodeId(2), progress: null };
    text = await metrics.registry.metrics();
    expect(sample(text, 'tributary_controller_raft_leader')).toBe(0);
    expect(text).not.toContain('tributary_controller_raft_follower_lag_entries{');
    expect(text).not.toContain('tributary_controller_raft_observer_lag_entries{');
  });
});

describe('a controller with metricsListen', () => {
  it('serves /metrics with Raft, broker and RPC series, answers health SERVING and lists services by reflection', {
    timeout: 30_000,
  }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'trib-controller-metrics-'));
    const address = `127.0.0.1:${await freePort()}`;
    const handle = await startController({
      nodeId: 1,
      listen: address,
      dataDir,
      voters: [{ id: 1, address }],
      tickMs: 10,
      logger,
      metricsListen: '127.0.0.1:0',
    });
    const admin = createControllerAdminClient(address);
    const lifecycle = createBrokerLifecycleClient(address);
    try {
      expect(handle.metricsPort).not.toBeNull();
      await waitFor('the active controller', () => handle.isActive());
      const { brokerEpoch } = await unary(
        lifecycle,
        'RegisterBroker',
        { brokerId: 5, incarnationId: 'inc-5', address: '127.0.0.1:1', rack: '' },
        { deadlineMs: DEADLINE_MS },
      );
      await unary(
        lifecycle,
        'BrokerHeartbeat',
        { brokerId: 5, brokerEpoch, metadataOffset: brokerEpoch, wantFence: false, wantShutdown: false },
        { deadlineMs: DEADLINE_MS },
      );
      await unary(
        admin,
        'CreateTopic',
        { name: 'metered', partitions: 3, replicationFactor: 1 },
        {
          deadlineMs: DEADLINE_MS,
        },
      );

      const base = `http://127.0.0.1:${handle.metricsPort}`;
      const text = await waitFor('the topic in the scraped metrics', async () => {
        const body = await (await fetch(`${base}/metrics`)).text();
        return sample(body, 'tributary_controller_partitions', { state: 'total' }) === 3 ? body : null;
      });
      expect(sample(text, 'tributary_controller_raft_term')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'tributary_controller_raft_leader')).toBe(1);
      expect(sample(text, 'tributary_controller_active')).toBe(1);
      expect(sample(text, 'tributary_controller_raft_commit_index')).toBeGreaterThan(0);
      expect(sample(text, 'tributary_controller_metadata_offset')).toBeGreaterThan(0);
      expect(sample(text, 'tributary_controller_brokers', { state: 'unfenced' })).toBe(1);
      expect(sample(text, 'tributary_controller_partitions', { state: 'offline' })).toBe(0);
      expect(sample(text, 'tributary_controller_raft_elections_won_total')).toBeGreaterThanOrEqual(1);
      expect(
        sample(text, 'tributary_rpc_duration_seconds_count', {
          service: 'tributary.v1.ControllerAdmin',
          method: 'CreateTopic',
          code: 'OK',
        }),
      ).toBe(1);
      expect(text).toContain('tributary_process_resident_memory_bytes');
      expect((await fetch(`${base}/nope`)).status).toBe(404);

      expect(await checkHealth(address, '', DEADLINE_MS)).toBe('SERVING');
      expect(await checkHealth(address, 'tributary.v1.ControllerAdmin', DEADLINE_MS)).toBe('SERVING');
      const services = await listReflectedServices(address, DEADLINE_MS);
      expect(services).toEqual(expect.arrayContaining(['tributary.v1.Raft', 'tributary.v1.ControllerAdmin']));
    } finally {
      admin.close();
      lifecycle.close();
      await handle.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
