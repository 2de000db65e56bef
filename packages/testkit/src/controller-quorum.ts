/**
 * Multi-process controller quorum harness. `startControllerQuorum({ size })` spawns `size` real
 * `tributary-controller` processes (the built bin in packages/controller/dist), each with its own free
 * port on 127.0.0.1 and its own data dir under one temp dir, and waits until each answers DescribeQuorum.
 * Tests then kill (SIGKILL/SIGTERM), restart (same port and data dir) and wipe nodes, wait for a leader
 * that a majority agrees on (`waitForLeader`), and talk to the active controller through `admin()`, a
 * client that follows NOT_CONTROLLER hints. Every wait and retry is bounded in attempts and time; each
 * node's output is kept in a bounded ring buffer and `dump()` prints the tails for a failed test.
 * `stop()` kills every process and removes the temp dir: call it from afterAll/finally. `FakeBrokerFleet`
 * (fake-brokers.ts) registers brokers over the real BrokerLifecycle protocol so topics can be placed.
 */

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import type { LinkNetwork } from './chaos/link-proxy.js';
import { ControllerProcess } from './controller-process.js';
import { LeaderFollowingClient, type LeaderFollowingClientOptions } from './leader-client.js';
import { HARNESS_LIMITS } from './limits.js';
import { freePorts } from './ports.js';
import type { DescribeQuorumResponse } from './rpc.js';
import { makeTempDir, type TempDir } from './temp-dir.js';
import { waitFor } from './wait.js';

export interface ControllerQuorumOptions {
  readonly size: 3 | 5;
  readonly snapshotIntervalEntries?: number;
  readonly extraArgs?: readonly string[];
  readonly logLevel?: string;
  readonly readyTimeoutMs?: number;
  readonly binPath?: string;
  /**
   * Route controller-to-controller links through proxies of this network (`--voters` names the proxies, one
   * per controller, named "controller N"); the caller closes the network. Default: direct links.
   */
  readonly links?: LinkNetwork;
  /** The harness's channel credentials towards a secure quorum (TLS with a super user's certificate). */
  readonly credentials?: grpc.ChannelCredentials;
}

export interface LeaderView {
  readonly leaderId: number;
  readonly term: number;
  readonly leader: ControllerProcess;
  /** What each live node answered (nodes that did not answer are absent). */
  readonly views: ReadonlyMap<number, DescribeQuorumResponse>;
}

export interface WaitForLeaderOptions {
  readonly timeoutMs?: number;
  /** Only a leader elected in a term above this one counts (after killing the old leader). */
  readonly termAbove?: number;
  /** Only a leader other than this node counts. */
  readonly notLeaderId?: number;
}

export class ControllerQuorum {
  private readonly clients: LeaderFollowingClient[] = [];
  private stopped = false;

  constructor(
    readonly nodes: readonly ControllerProcess[],
    private readonly tempDir: TempDir,
    private readonly credentials?: grpc.ChannelCredentials,
  ) {}

  get size(): number {
    return this.nodes.length;
  }

  get majority(): number {
    return Math.floor(this.nodes.length / 2) + 1;
  }

  node(nodeId: number): ControllerProcess {
    const node = this.nodes.find((candidate) => candidate.nodeId === nodeId);
    if (node === undefined) throw new Error(`no controller ${nodeId} in this quorum`);
    return node;
  }

  live(): ControllerProcess[] {
    return this.nodes.filter((node) => node.isRunning);
  }

  /** DescribeQuorum from every live node; nodes that fail to answer are left out. */
  async describeAll(
    deadlineMs: number = HARNESS_LIMITS.rpcDeadlineMs,
  ): Promise<Map<number, DescribeQuorumResponse>> {
    const live = this.live();
    const answers = await Promise.allSettled(live.map((node) => node.describeQuorum(deadlineMs)));
    const views = new Map<number, DescribeQuorumResponse>();
    answers.forEach((answer, index) => {
      const node = live[index];
      if (answer.status === 'fulfilled' && node !== undefined) views.set(node.nodeId, answer.value);
    });
    return views;
  }

  /**
   * Polls DescribeQuorum on all live nodes until a majority of the whole quorum names the same leader in
   * the same term and that leader itself reports role "leader" in that term.
   */
  async waitForLeader(options: WaitForLeaderOptions = {}): Promise<LeaderView> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    let lastSeen = '';
    try {
      return await waitFor(
        'a leader agreed by a majority',
        async () => {
          const views = await this.describeAll(Math.min(1_000, timeoutMs));
          lastSeen = [...views.values()]
            .map((view) => `${view.nodeId}:${view.role}/leader=${view.leaderId}/term=${view.term}`)
            .join(' ');
          return this.agreedLeader(views, options);
        },
        { timeoutMs, intervalMs: 25 },
      );
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; views: ${lastSeen}`);
    }
  }

  private agreedLeader(
    views: ReadonlyMap<number, DescribeQuorumResponse>,
    options: WaitForLeaderOptions,
  ): LeaderView | undefined {
    const votes = new Map<string, number>();
    for (const view of views.values()) {
      if (view.leaderId < 0) continue;
      const key = `${view.leaderId}@${view.term}`;
      votes.set(key, (votes.get(key) ?? 0) + 1);
    }
    for (const [key, count] of votes) {
      if (count < this.majority) continue;
      const [leaderText, termText] = key.split('@');
      const leaderId = Number(leaderText);
      const term = Number(termText);
      if (options.termAbove !== undefined && term <= options.termAbove) continue;
      if (options.notLeaderId !== undefined && leaderId === options.notLeaderId) continue;
      const self = views.get(leaderId);
      if (self === undefined || self.role !== 'leader' || self.term !== term) continue;
      return { leaderId, term, leader: this.node(leaderId), views };
    }
    return undefined;
  }

  /** A client that finds and follows the active controller; closed by stop(). */
  admin(options: Omit<LeaderFollowingClientOptions, 'addresses'> = {}): LeaderFollowingClient {
    const client = new LeaderFollowingClient({
      ...(this.credentials === undefined ? {} : { credentials: this.credentials }),
      ...options,
      addresses: this.nodes.map((node) => node.address),
    });
    this.clients.push(client);
    return client;
  }

  /** Output tails of every node, for a failed test's message. */
  dump(linesPerNode = 60): string {
    return this.nodes.map((node) => node.dump(linesPerNode)).join('\n');
  }

  /** Kills every process, closes clients, removes the temp dir. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const client of this.clients) client.close();
    try {
      await Promise.allSettled(this.nodes.map((node) => node.dispose()));
    } finally {
      await this.tempDir.remove();
    }
  }
}

function votersFlag(nodeIds: readonly number[], ports: readonly number[]): string {
  return nodeIds.map((id, index) => `${id}@127.0.0.1:${ports[index]}`).join(',');
}

function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

/** Spawns a quorum and waits until every node answers DescribeQuorum; on failure, cleans up and throws. */
export async function startControllerQuorum(options: ControllerQuorumOptions): Promise<ControllerQuorum> {
  if (options.size !== 3 && options.size !== 5)
    throw new RangeError(`quorum size must be 3 or 5, got ${options.size}`);
  const ports = await freePorts(options.size);
  const nodeIds = ports.map((_, index) => index + 1);
  const links = options.links;
  const voterPorts: number[] = [];
  for (const [index, nodeId] of nodeIds.entries()) {
    const port = ports[index] ?? 0;
    if (links === undefined) voterPorts.push(port);
    else voterPorts.push(portOf(await links.addProxy(`controller ${nodeId}`, `127.0.0.1:${port}`)));
  }
  const voters = votersFlag(nodeIds, voterPorts);
  const tempDir = await makeTempDir('tributary-quorum');
  const nodes: ControllerProcess[] = [];
  for (const [index, nodeId] of nodeIds.entries()) {
    const dataDir = join(tempDir.path, `controller-${nodeId}`);
    await mkdir(dataDir, { recursive: true });
    nodes.push(
      new ControllerProcess({
        nodeId,
        port: ports[index] ?? 0,
        dataDir,
        voters,
        ...(options.snapshotIntervalEntries === undefined
          ? {}
          : { snapshotIntervalEntries: options.snapshotIntervalEntries }),
        ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
        ...(options.extraArgs === undefined ? {} : { extraArgs: options.extraArgs }),
        ...(options.binPath === undefined ? {} : { binPath: options.binPath }),
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      }),
    );
  }
  for (const node of nodes) links?.registerProcess(`controller ${node.nodeId}`, () => node.pid);
  const quorum = new ControllerQuorum(nodes, tempDir, options.credentials);
  try {
    for (const node of nodes) node.start();
    await Promise.all(nodes.map((node) => node.waitReady(options.readyTimeoutMs)));
    return quorum;
  } catch (error) {
    // The failing node's output tail is already in the message (ControllerProcess.waitReady).
    await quorum.stop();
    throw new Error(
      `startControllerQuorum failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
