import { describe, expect, it } from 'vitest';
import { resolveQuota } from './quota-resolution.js';
import { ClientQuotaTracker, throttleTimeMsMax } from './quota-tracker.js';
import type { QuotaEntity, QuotaKey } from './types.js';

const CONFIG = { samples: 11, sampleWindowMs: 1_000, entitiesMax: 3, idleExpiryMs: 60_000 };

function quotaFor(clientId: string, key: QuotaKey, value: number) {
  const lookup = {
    quotasOf: (entity: QuotaEntity) =>
      entity.user === undefined && entity.clientId !== undefined ? new Map([[key, value]]) : undefined,
  };
  const resolved = resolveQuota(lookup, { user: 'ANONYMOUS', clientId }, key);
  if (resolved === null) throw new Error('no quota');
  return resolved;
}

describe('ClientQuotaTracker', () => {
  it("answers 0 within the quota and Kafka's throttle above it", () => {
    const tracker = new ClientQuotaTracker(CONFIG);
    const quota = quotaFor('app', 'producer_byte_rate', 1_000);
    expect(tracker.record(quota, 5_000, 0).throttleTimeMs).toBe(0);
    // 15 000 bytes over the minimum window of 10 s: 1 500/s, (1500 − 1000) / 1000 × 10 s.
    expect(tracker.record(quota, 10_000, 0)).toEqual({ throttleTimeMs: 5_000, observedRate: 1_500 });
  });

  it('applies a changed quota to the rate already observed', () => {
    const tracker = new ClientQuotaTracker(CONFIG);
    tracker.record(quotaFor('app', 'producer_byte_rate', 1_000), 15_000, 0);
    expect(tracker.record(quotaFor('app', 'producer_byte_rate', 100_000), 0, 1).throttleTimeMs).toBe(0);
    expect(tracker.record(quotaFor('app', 'producer_byte_rate', 500), 0, 2).throttleTimeMs).toBe(11_000);
  });

  it('bounds request_percentage throttles by one sample window, byte rates by the whole window', () => {
    expect(throttleTimeMsMax({ key: 'request_percentage' }, CONFIG)).toBe(1_000);
    expect(throttleTimeMsMax({ key: 'consumer_byte_rate' }, CONFIG)).toBe(11_000);
    const tracker = new ClientQuotaTracker(CONFIG);
    expect(tracker.record(quotaFor('app', 'request_percentage', 1), 1_000, 0).throttleTimeMs).toBe(1_000);
  });

  it('keeps at most entitiesMax rates, dropping the least recently used', () => {
    const tracker = new ClientQuotaTracker(CONFIG);
    const quotas = ['a', 'b', 'c', 'd'].map((id) => quotaFor(id, 'producer_byte_rate', 1_000));
    for (const [i, quota] of quotas.entries()) {
      tracker.record(quota, 20_000, i);
      if (i === 2) tracker.record(quotas[0] as (typeof quotas)[number], 0, i); // a is used again
    }
    expect(tracker.size).toBe(3);
    expect(tracker.observedRate(quotas[0] as (typeof quotas)[number], 4)).toBeGreaterThan(0);
    expect(tracker.observedRate(quotas[1] as (typeof quotas)[number], 4)).toBe(0);
  });

  it('forgets rates idle for idleExpiryMs', () => {
    const tracker = new ClientQuotaTracker(CONFIG);
    tracker.record(quotaFor('a', 'producer_byte_rate', 1_000), 1, 0);
    tracker.record(quotaFor('b', 'producer_byte_rate', 1_000), 1, 30_000);
    expect(tracker.expireIdle(59_999)).toBe(0);
    expect(tracker.expireIdle(60_000)).toBe(1);
    expect(tracker.size).toBe(1);
    expect(tracker.expireIdle(90_000)).toBe(1);
    expect(tracker.size).toBe(0);
  });

  it('holds a client until a time, extended only by a later hold', () => {
    const tracker = new ClientQuotaTracker(CONFIG);
    const client = { user: 'ANONYMOUS', clientId: 'app' };
    tracker.hold(client, 1_000);
    tracker.hold(client, 500);
    expect(tracker.heldForMs(client, 200)).toBe(800);
    expect(tracker.heldForMs({ user: 'ANONYMOUS', clientId: 'other' }, 200)).toBe(0);
    expect(tracker.heldForMs(client, 1_000)).toBe(0);
    for (const id of ['a', 'b', 'c', 'd']) tracker.hold({ user: 'u', clientId: id }, 10_000);
    expect(tracker.heldForMs({ user: 'u', clientId: 'a' }, 0)).toBe(0);
    expect(tracker.heldForMs({ user: 'u', clientId: 'd' }, 0)).toBe(10_000);
  });
});
