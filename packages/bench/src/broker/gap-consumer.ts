/**
 * A consumer-group member with the client's default settings that records when records arrive, for the
 * failover runs (issue 16 item 4: "the same for consumers and group members"): the producer writes at a steady
 * rate, so the longest gap between two arrivals after a fault is how long the member stalled.
 */
import { type GroupConsumer, TributaryClient } from '@tributary/client';

export interface GapConsumer {
  /** Resolves once the member has received its first records (bounded by `timeoutMs`). */
  waitForRecords(timeoutMs: number): Promise<void>;
  /** Gaps are counted from now on. */
  markFault(): void;
  /** Stops the member (idempotent); the longest gap between arrivals since markFault (ms), the records read. */
  stop(): Promise<{ readonly maxGapMs: number; readonly records: number }>;
}

export function startGapConsumer(bootstrap: readonly string[], topic: string, group: string): GapConsumer {
  const client = new TributaryClient({ bootstrap });
  const consumer: GroupConsumer = client.consumer({ groupId: group, fromBeginning: true });
  let records = 0;
  let lastArrivalMs: number | undefined;
  let faultAtMs: number | undefined;
  let maxGapMs = 0;
  const firstRecords: Array<() => void> = [];
  let stopping: Promise<{ readonly maxGapMs: number; readonly records: number }> | undefined;
  consumer.subscribe({ topics: [topic] });
  const running = consumer
    .run({
      eachBatch: async ({ batch }) => {
        const nowMs = performance.now();
        if (faultAtMs !== undefined) {
          const since = Math.max(lastArrivalMs ?? faultAtMs, faultAtMs);
          maxGapMs = Math.max(maxGapMs, nowMs - since);
        }
        lastArrivalMs = nowMs;
        records += batch.messages.length;
        for (const resolve of firstRecords.splice(0)) resolve();
      },
    })
    .catch(() => undefined);
  return {
    waitForRecords: (timeoutMs) =>
      records > 0
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`group member of ${topic} received nothing in ${timeoutMs} ms`)),
              timeoutMs,
            );
            firstRecords.push(() => {
              clearTimeout(timer);
              resolve();
            });
          }),
    markFault: () => {
      faultAtMs = performance.now();
    },
    stop: () => {
      stopping ??= (async () => {
        await consumer.close().catch(() => undefined);
        await running;
        client.close();
        return { maxGapMs, records };
      })();
      return stopping;
    },
  };
}
