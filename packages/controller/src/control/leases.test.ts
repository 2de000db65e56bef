import { AssertionError, brokerId } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { BrokerLeases, DEFAULT_SESSION_TIMEOUT_MS } from './leases.js';

const b = brokerId;

describe('BrokerLeases', () => {
  it('expires brokers that stop heartbeating for the session timeout (3 s by default)', () => {
    const leases = new BrokerLeases();
    expect(leases.sessionTimeoutMs).toBe(DEFAULT_SESSION_TIMEOUT_MS);
    leases.heartbeat(b(1), 0);
    leases.heartbeat(b(2), 0);
    leases.heartbeat(b(2), 2_000);
    expect(leases.expired(2_999)).toEqual([]);
    expect(leases.isAlive(b(1), 2_999)).toBe(true);
    expect(leases.expired(3_000)).toEqual([1]);
    expect(leases.isAlive(b(1), 3_000)).toBe(false);
    expect(leases.deadlineMs(b(2))).toBe(5_000);
    expect(leases.expired(5_000)).toEqual([1, 2]);
    leases.remove(b(1));
    expect(leases.expired(5_000)).toEqual([2]);
    expect(leases.isAlive(b(9), 5_000)).toBe(false);
    expect(leases.deadlineMs(b(9))).toBeUndefined();
  });

  it('gives every broker a full session after a controller failover', () => {
    const leases = new BrokerLeases({ sessionTimeoutMs: 1_000 });
    leases.heartbeat(b(1), 0);
    leases.heartbeat(b(3), 0);
    leases.reset([b(1), b(2)], 10_000);
    expect(leases.isAlive(b(2), 10_500)).toBe(true);
    expect(leases.isAlive(b(3), 10_500)).toBe(false);
    expect(leases.expired(10_999)).toEqual([]);
    expect(leases.expired(11_000)).toEqual([1, 2]);
  });

  it('refuses time going back and a non-positive timeout (bugs)', () => {
    const leases = new BrokerLeases();
    leases.heartbeat(b(1), 100);
    expect(() => leases.expired(99)).toThrow(AssertionError);
    expect(() => new BrokerLeases({ sessionTimeoutMs: 0 })).toThrow(AssertionError);
  });
});
