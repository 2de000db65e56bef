/**
 * Consumer-group catch-up (issue 4): K group members in this process read a topic from the beginning
 * and commit it. Time runs from creating the members (join and assignment included) until every record
 * was handled, and then until close() committed the handled offsets and left the group.
 */
import { type GroupConsumer, TributaryClient } from '@tributary/client';
import type { Cluster } from '@tributary/testkit';

/** Same fetch size as `trib perf consume` (its baseline), so the comparison is about groups, not fetches. */
const FETCH_MAX_BYTES = 8 * 1024 * 1024;
const DESCRIBE_TIMEOUT_MS = 10_000;

export interface GroupCatchUpResult {
  readonly members: number;
  /** Distinct records handled: per partition, the highest offset handled + 1 (a fresh topic starts at 0). */
  readonly records: number;
  /** Records handed to handlers, redeliveries after a rebalance included. */
  readonly delivered: number;
  /** Until the first batch reached a handler: join, assignment and first fetch. */
  readonly firstBatchMs: number;
  readonly handledMs: number;
  /** Until every member's close() returned (final commit + leave). */
  readonly committedMs: number;
  /** records / committedMs. */
  readonly recordsPerSecond: number;
  /** Sum of the group's committed offsets read back with describeGroup. */
  readonly committed: number;
}

export interface GroupCatchUpOptions {
  readonly topic: string;
  readonly groupId: string;
  readonly members: number;
  /** Records in the topic (all must be handled). */
  readonly expected: number;
  readonly timeoutMs: number;
}

/** Counts what the members handled; resolves `done` once `expected` distinct records were seen. */
class Progress {
  private readonly nextOffsets = new Map<number, number>();
  records = 0;
  delivered = 0;
  firstBatchMs: number | undefined;
  readonly done: Promise<void>;
  private finish: () => void = () => undefined;

  constructor(
    private readonly expected: number,
    private readonly startMs: number,
  ) {
    this.done = new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  handled(partition: number, count: number, lastOffset: number | undefined): void {
    this.firstBatchMs ??= performance.now() - this.startMs;
    this.delivered += count;
    if (lastOffset === undefined) return;
    const before = this.nextOffsets.get(partition) ?? 0;
    if (lastOffset + 1 > before) {
      this.records += lastOffset + 1 - before;
      this.nextOffsets.set(partition, lastOffset + 1);
    }
    if (this.records >= this.expected) this.finish();
  }
}

function timeout(ms: number, what: string): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export async function groupCatchUp(
  cluster: Cluster,
  options: GroupCatchUpOptions,
): Promise<GroupCatchUpResult> {
  const clients = Array.from(
    { length: options.members },
    (_, index) => new TributaryClient({ bootstrap: cluster.bootstrap, clientId: `client-bench-${index}` }),
  );
  const limit = timeout(options.timeoutMs, `group of ${options.members} catching up on ${options.topic}`);
  const consumers: GroupConsumer[] = [];
  const running: Promise<void>[] = [];
  const startMs = performance.now();
  const progress = new Progress(options.expected, startMs);
  try {
    for (const client of clients) {
      const consumer = client.consumer({
        groupId: options.groupId,
        fromBeginning: true,
        maxBytes: FETCH_MAX_BYTES,
      });
      consumers.push(consumer);
      consumer.subscribe({ topics: [options.topic] });
      running.push(
        consumer.run({
          eachBatch: async ({ batch }) => {
            progress.handled(batch.partition, batch.messages.length, batch.messages.at(-1)?.offset);
          },
        }),
      );
    }
    // A run() that ends before the catch-up is done (fatal error, fenced for good) fails the run.
    const stoppedEarly = running.map((run, index) =>
      run.then(() => Promise.reject(new Error(`member ${index} stopped before catching up`))),
    );
    await Promise.race([progress.done, limit.promise, ...stoppedEarly]);
    const handledMs = performance.now() - startMs;
    await Promise.race([Promise.all(consumers.map((consumer) => consumer.close())), limit.promise]);
    const committedMs = performance.now() - startMs;
    const committed = await committedRecords(cluster, options);
    return {
      members: options.members,
      records: progress.records,
      delivered: progress.delivered,
      firstBatchMs: progress.firstBatchMs ?? handledMs,
      handledMs,
      committedMs,
      recordsPerSecond: (progress.records * 1_000) / committedMs,
      committed,
    };
  } finally {
    limit.cancel();
    // close() is idempotent; bounded internally by GROUP_LIMITS.closeTimeoutMs.
    await Promise.allSettled(consumers.map((consumer) => consumer.close()));
    await Promise.allSettled(running);
    for (const client of clients) client.close();
  }
}

async function committedRecords(cluster: Cluster, options: GroupCatchUpOptions): Promise<number> {
  const client = new TributaryClient({
    bootstrap: cluster.bootstrap,
    controllers: cluster.quorum.nodes.map((node) => node.address),
    clientId: 'client-bench-admin',
  });
  try {
    const group = await client.admin().describeGroup(options.groupId, { deadlineMs: DESCRIBE_TIMEOUT_MS });
    return group.partitions
      .filter((p) => p.topic === options.topic)
      .reduce((sum, p) => sum + (p.committedOffset ?? 0), 0);
  } finally {
    client.close();
  }
}
