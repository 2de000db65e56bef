#!/usr/bin/env node
/**
 * Metadata at scale (issue 15 item 4, DESIGN §8: 100,000 partitions visible on every broker in < 30 s).
 *
 * Starts 3 real controllers + 3 real brokers on 127.0.0.1 and
 *   1. creates --topics topics of --partitions partitions each (RF --rf), --create-concurrency CreateTopic
 *      calls at a time, and measures from the first call until (a) the controller answered every call and
 *      (b) every partition is led: the brokers' DescribeReplicas (each lists the partitions its replica manager
 *      leads, so this counts leaderships applied on the brokers, not just metadata) add up to every partition,
 *      with leaders on every broker, and every broker's Metadata lists every partition with a leader;
 *   2. reports the memory this costs: each broker's and controller's RSS before and after, per partition,
 *      and the size of a broker's persisted metadata image (metadata.snapshot) per partition;
 *   3. with --restart, SIGKILLs broker 1 and starts it again, and measures from spawn until it serves again:
 *      it answers Metadata and is back in the ISR of every partition it hosts.
 * Speed is this bench's business only (no test times anything). Usage:
 *   node dist/partitions-bench.js [--topics N] [--partitions P] [--rf R] [--create-concurrency C]
 *     [--session-timeout-ms MS (default 9000, Kafka's broker.session.timeout.ms)] [--restart] [--json]
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TributaryError } from '@tributary/core';
import { unary } from '@tributary/protocol';
import { type Cluster, startCluster } from '@tributary/testkit';
import { errorMessage, runBenchMain, sleep } from './cluster-helpers.js';
import { cpuSince, processCpu, snapshotFigures } from './partitions/metadata-footprint.js';
import { round } from './stats.js';

/**
 * The controllers' election timeout in 10 ms ticks: [1, 2) s, KRaft's controller.quorum.election.timeout.ms.
 * Tributary's default [250, 500) ms is tuned for sub-second controller failover; on this shared 2-core
 * machine (load 10-25 from other tenants) a controller busy or descheduled that long is routine, and each
 * needless election costs the bench a second of standstill (measured: 30,000 partitions, 14 elections with
 * the default, none with this).
 */
const CONTROLLER_ELECTION_TICKS = 100;

interface Options {
  readonly topics: number;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly createConcurrency: number;
  readonly restart: boolean;
  readonly json: boolean;
  /** The controllers' --session-timeout-ms (Kafka's broker.session.timeout.ms: 9 s; Tributary's default is 3 s). */
  readonly sessionTimeoutMs: number;
}

/** Bounds of this bench's own loops. */
const LIMITS = {
  /** How long all partitions may take to be led before the bench gives up. */
  ledTimeoutMs: 600_000,
  /** How long a restarted broker may take to serve again. */
  restartTimeoutMs: 600_000,
  /** Between two looks at the brokers. */
  pollIntervalMs: 250,
  /** Deadline of one DescribeReplicas / Metadata call (large answers at 100,000 partitions). */
  rpcDeadlineMs: 60_000,
  topicsMax: 10_000,
  partitionsPerTopicMax: 10_000,
} as const;

const USAGE =
  'usage: partitions-bench [--topics N] [--partitions P] [--rf R] [--create-concurrency C] [--session-timeout-ms MS] [--restart] [--json]';

function parseOptions(argv: readonly string[]): Options | string {
  const options = {
    topics: 100,
    partitions: 1_000,
    replicationFactor: 3,
    createConcurrency: 4,
    restart: false,
    json: false,
    sessionTimeoutMs: 9_000,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): number | null => {
      const text = argv[++i];
      const parsed = text === undefined ? Number.NaN : Number(text);
      return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : null;
    };
    let parsed: number | null = 1;
    if (flag === '--topics') options.topics = parsed = value() ?? 0;
    else if (flag === '--partitions') options.partitions = parsed = value() ?? 0;
    else if (flag === '--rf') options.replicationFactor = parsed = value() ?? 0;
    else if (flag === '--create-concurrency') options.createConcurrency = parsed = value() ?? 0;
    else if (flag === '--session-timeout-ms') options.sessionTimeoutMs = parsed = value() ?? 0;
    else if (flag === '--restart') options.restart = true;
    else if (flag === '--json') options.json = true;
    else return `unknown argument ${flag}\n${USAGE}`;
    if (parsed === 0) return `${flag} takes a positive integer\n${USAGE}`;
  }
  if (options.topics > LIMITS.topicsMax) return `--topics is at most ${LIMITS.topicsMax}`;
  if (options.partitions > LIMITS.partitionsPerTopicMax)
    return `--partitions is at most ${LIMITS.partitionsPerTopicMax}`;
  if (options.replicationFactor > 3) return '--rf is at most 3 (the bench runs 3 brokers)';
  return options;
}

/** Resident set size of a process in bytes (Linux /proc); null when it cannot be read. */
async function rssBytes(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}

async function memory(
  cluster: Cluster,
): Promise<{ brokers: (number | null)[]; controllers: (number | null)[] }> {
  return {
    brokers: await Promise.all(cluster.brokers.map((broker) => rssBytes(broker.process.pid))),
    controllers: await Promise.all(cluster.quorum.nodes.map((node) => rssBytes(node.pid))),
  };
}

/** The 1, 5 and 15 minute load averages (Linux /proc/loadavg): how shared the machine was. */
async function loadAverage(): Promise<string> {
  try {
    return (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
  } catch {
    return '?';
  }
}

/** Partitions each running broker's replica manager leads (its DescribeReplicas with no filter). */
async function ledPerBroker(cluster: Cluster): Promise<number[]> {
  return Promise.all(
    cluster.brokers.map(async (broker) => {
      if (!broker.isRunning) return 0;
      try {
        const answer = await unary(
          broker.brokerClient(),
          'DescribeReplicas',
          { partitions: [] },
          {
            deadlineMs: LIMITS.rpcDeadlineMs,
          },
        );
        return answer.partitions.filter((partition) => partition.errorCode === '').length;
      } catch {
        return 0;
      }
    }),
  );
}

/** Whether every broker's Metadata lists `total` partitions, each with a leader. */
async function visibleEverywhere(cluster: Cluster, total: number): Promise<boolean> {
  const views = await Promise.all(cluster.brokers.map((broker) => broker.metadata(LIMITS.rpcDeadlineMs)));
  return views.every((view) => {
    let led = 0;
    for (const entry of view.topics)
      for (const partition of entry.topic?.partitions ?? []) if (partition.leader >= 0) led++;
    return led === total;
  });
}

async function createTopics(cluster: Cluster, options: Options): Promise<void> {
  const admin = cluster.quorum.admin();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.topics) {
      const index = next++;
      try {
        await admin.admin('CreateTopic', {
          name: `scale-${index}`,
          partitions: options.partitions,
          replicationFactor: options.replicationFactor,
          configs: [],
        });
      } catch (error) {
        // The admin client retries a call that timed out; the first attempt may have created the topic.
        if (!(error instanceof TributaryError && error.code === 'TOPIC_ALREADY_EXISTS')) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: options.createConcurrency }, worker));
}

/** Polls until `done` holds or `timeoutMs` passes; returns the elapsed ms (throws on timeout). */
async function timeUntil(
  what: string,
  startMs: number,
  timeoutMs: number,
  done: () => Promise<boolean>,
): Promise<number> {
  for (;;) {
    if (await done()) return performance.now() - startMs;
    if (performance.now() - startMs > timeoutMs) throw new Error(`${what}: not done after ${timeoutMs} ms`);
    await sleep(LIMITS.pollIntervalMs);
  }
}

/** Whether broker `id` is in the ISR of every partition whose replicas include it. */
async function backInEveryIsr(cluster: Cluster, id: number): Promise<boolean> {
  const { topics } = await cluster.quorum.admin().admin('DescribeTopics', { names: [] });
  for (const topic of topics) {
    for (const partition of topic.partitions) {
      if (partition.replicas.includes(id) && !partition.isr.includes(id)) return false;
    }
  }
  return true;
}

const perPartition = (bytes: number | null, before: number | null, partitions: number): number | null =>
  bytes === null || before === null ? null : round((bytes - before) / partitions, 0);

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n`);
    return 2;
  }
  const total = options.topics * options.partitions;
  const log = (line: string): void => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  log(
    `partitions-bench: ${options.topics} topics × ${options.partitions} partitions = ${total}, RF=${options.replicationFactor}, 3 controllers + 3 brokers`,
  );
  // Kafka's broker session timeout by default: Tributary's 3 s is tuned for fast failover of small clusters,
  // and a broker busy opening tens of thousands of logs on a shared 2-core machine can miss it.
  const cluster = await startCluster({
    brokers: 3,
    controllerArgs: [
      '--session-timeout-ms',
      String(options.sessionTimeoutMs),
      '--election-ticks',
      String(CONTROLLER_ELECTION_TICKS),
    ],
  });
  try {
    const before = await memory(cluster);
    const cpuBefore = await processCpu(cluster);
    const cpuLine = async (): Promise<string> => {
      const spent = cpuSince(cpuBefore, await processCpu(cluster));
      return `CPU s so far: controllers ${spent.controllers.join(', ')}; brokers ${spent.brokers.join(', ')}; load ${await loadAverage()}`;
    };
    const startMs = performance.now();
    await createTopics(cluster, options);
    const createdMs = performance.now() - startMs;
    log(
      `created (controller answered every CreateTopic): ${round(createdMs / 1000, 2)} s (${await cpuLine()})`,
    );
    let led: number[] = [];
    const ledMs = await timeUntil('every partition led', startMs, LIMITS.ledTimeoutMs, async () => {
      led = await ledPerBroker(cluster);
      return led.reduce((sum, count) => sum + count, 0) === total && led.every((count) => count > 0);
    });
    log(
      `led by the brokers' replica managers: ${round(ledMs / 1000, 2)} s (per broker: ${led.join(', ')}; ${await cpuLine()})`,
    );
    const visibleMs = await timeUntil('visible on every broker', startMs, LIMITS.ledTimeoutMs, () =>
      visibleEverywhere(cluster, total),
    );
    log(
      `visible with leaders in every broker's Metadata: ${round(visibleMs / 1000, 2)} s (${await cpuLine()})`,
    );
    await sleep(5_000); // let the metadata image be persisted and the heaps settle before measuring memory
    const after = await memory(cluster);
    // The snapshot of the committed image, as controllers and brokers write it (a broker's own file exists
    // only once it has applied DEFAULT_PERSIST_INTERVAL_OFFSETS offsets, a controller's every 10,000 entries).
    const snapshot = await snapshotFigures(
      cluster.quorum.nodes[0]?.address ?? '',
      LIMITS.rpcDeadlineMs,
    ).catch((error: unknown) => {
      log(`snapshot figures: ${errorMessage(error)}`);
      return null;
    });
    if (snapshot !== null) {
      log(
        `snapshot of the committed image: ${snapshot.partitions} partitions, ${snapshot.bytes} bytes; encode ${snapshot.encodeCpuMs} ms, decode ${snapshot.decodeCpuMs} ms of CPU`,
      );
    }
    const snapshotBytes =
      snapshot?.bytes ??
      (await stat(join(cluster.brokers[0]?.dataDir ?? '', 'metadata.snapshot')).then(
        (file) => file.size,
        () => null,
      ));
    const memoryReport = {
      brokerRssBytes: after.brokers,
      controllerRssBytes: after.controllers,
      brokerRssBytesPerPartition: after.brokers.map((bytes, i) =>
        perPartition(bytes, before.brokers[i] ?? null, total),
      ),
      controllerRssBytesPerPartition: after.controllers.map((bytes, i) =>
        perPartition(bytes, before.controllers[i] ?? null, total),
      ),
      brokerMetadataSnapshotBytesPerPartition:
        snapshotBytes === null ? null : round(snapshotBytes / total, 1),
    };
    log(`memory: ${JSON.stringify(memoryReport)}`);
    let restartMs: number | null = null;
    if (options.restart) {
      const broker = cluster.brokers[0];
      if (broker === undefined) throw new Error('no broker 1');
      await broker.kill('SIGKILL');
      const spawnedMs = performance.now();
      broker.start();
      await broker.waitReady(LIMITS.restartTimeoutMs);
      restartMs = await timeUntil('broker 1 serving again', spawnedMs, LIMITS.restartTimeoutMs, () =>
        backInEveryIsr(cluster, broker.nodeId),
      );
      log(
        `broker 1 restarted with ${led[0] ?? 0} led of its hosted partitions: serving again (in every ISR) after ${round(restartMs / 1000, 2)} s`,
      );
    }
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ ...options, total, createdMs: round(createdMs, 0), ledMs: round(ledMs, 0), visibleMs: round(visibleMs, 0), restartMs: restartMs === null ? null : round(restartMs, 0), ...memoryReport })}\n`,
      );
    }
    return 0;
  } catch (error) {
    process.stderr.write(`partitions-bench: ${errorMessage(error)}\n`);
    for (const node of cluster.quorum.nodes) {
      const notable = node.output.tail().filter((line) => /elect|leader|fenc|lease|warn|error/i.test(line));
      process.stderr.write(`controller ${node.nodeId}: ${notable.slice(-15).join('\n')}\n`);
    }
    for (const broker of cluster.brokers) process.stderr.write(`${broker.dump(20)}\n`);
    return 1;
  } finally {
    await cluster.stop();
  }
}

runBenchMain('partitions-bench', main);
