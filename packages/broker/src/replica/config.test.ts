import { describe, expect, it } from 'vitest';
import { flushOnAck, logConfigFor, minInsyncReplicas } from './config.js';

describe('minInsyncReplicas', () => {
  it('defaults to 2 when the replication factor is at least 3, else 1 (DESIGN §6)', () => {
    expect(minInsyncReplicas(new Map(), 3, undefined)).toBe(2);
    expect(minInsyncReplicas(new Map(), 5, undefined)).toBe(2);
    expect(minInsyncReplicas(new Map(), 2, undefined)).toBe(1);
    expect(minInsyncReplicas(new Map(), 1, undefined)).toBe(1);
  });

  it('prefers the topic config, then the broker default', () => {
    expect(minInsyncReplicas(new Map([['min.insync.replicas', '3']]), 3, 1)).toBe(3);
    expect(minInsyncReplicas(new Map(), 3, 1)).toBe(1);
    expect(minInsyncReplicas(new Map([['min.insync.replicas', 'x']]), 3, undefined)).toBe(2);
    expect(minInsyncReplicas(new Map([['min.insync.replicas', '0']]), 1, undefined)).toBe(1);
  });
});

describe('logConfigFor', () => {
  it('maps topic configs over the broker defaults and ignores junk', () => {
    const configs = new Map([
      ['retention.ms', '60000'],
      ['retention.bytes', '-1'],
      ['segment.bytes', '1048576'],
      ['segment.ms', 'soon'],
      ['cleanup.policy', 'delete'],
    ]);
    expect(logConfigFor(configs, { flush: 'none', retentionMs: 5 })).toEqual({
      flush: 'none',
      retentionMs: 60_000,
      retentionBytes: -1,
      segmentBytes: 1_048_576,
      cleanupPolicy: 'delete',
    });
    expect(logConfigFor(new Map())).toEqual({});
  });

  it('maps the compaction settings, in either policy order and with "never" as Long.MAX_VALUE', () => {
    const configs = new Map([
      ['cleanup.policy', 'delete, compact'],
      ['min.cleanable.dirty.ratio', '0.25'],
      ['min.compaction.lag.ms', '1000'],
      ['max.compaction.lag.ms', '9223372036854775807'],
      ['delete.retention.ms', '60000'],
    ]);
    expect(logConfigFor(configs)).toEqual({
      cleanupPolicy: 'compact,delete',
      minCleanableDirtyRatio: 0.25,
      minCompactionLagMs: 1_000,
      maxCompactionLagMs: Number.MAX_SAFE_INTEGER,
      deleteRetentionMs: 60_000,
    });
    expect(logConfigFor(new Map([['cleanup.policy', 'compact']]))).toEqual({ cleanupPolicy: 'compact' });
    expect(
      logConfigFor(
        new Map([
          ['cleanup.policy', 'archive'],
          ['min.cleanable.dirty.ratio', '2'],
          ['max.compaction.lag.ms', '-5'],
        ]),
      ),
    ).toEqual({});
  });

  it('maps KIP-937 timestamp bounds, the deprecated difference.max.ms standing in for an unset one', () => {
    const both = new Map([
      ['message.timestamp.before.max.ms', '86400000'],
      ['message.timestamp.after.max.ms', '9223372036854775807'],
    ]);
    expect(logConfigFor(both)).toEqual({
      messageTimestampBeforeMaxMs: 86_400_000,
      messageTimestampAfterMaxMs: Number.MAX_SAFE_INTEGER,
    });
    const deprecated = new Map([
      ['message.timestamp.difference.max.ms', '60000'],
      ['message.timestamp.after.max.ms', '1000'],
    ]);
    expect(logConfigFor(deprecated)).toEqual({
      messageTimestampBeforeMaxMs: 60_000,
      messageTimestampAfterMaxMs: 1_000,
    });
  });

  it("maps Kafka's flush settings to the log's flush policy", () => {
    expect(logConfigFor(new Map([['flush.ms', '1000']]))).toEqual({ flush: { intervalMs: 1_000 } });
    expect(logConfigFor(new Map([['flush.messages', '1']]))).toEqual({ flush: 'every-write' });
    expect(logConfigFor(new Map([['flush.ms', '0']]))).toEqual({});
  });
});

describe('flushOnAck (issue 16: flush.on.ack over --durability)', () => {
  it('takes the topic config over the broker default, both ways', () => {
    expect(flushOnAck(new Map([['flush.on.ack', 'true']]), false)).toBe(true);
    expect(flushOnAck(new Map([['flush.on.ack', 'false']]), true)).toBe(false);
  });

  it('falls back to the broker default when the topic does not set it or stores something else', () => {
    expect(flushOnAck(new Map(), true)).toBe(true);
    expect(flushOnAck(new Map(), false)).toBe(false);
    expect(flushOnAck(new Map([['flush.on.ack', 'yes']]), true)).toBe(true);
    expect(flushOnAck(new Map([['flush.on.ack', 'yes']]), false)).toBe(false);
  });
});
