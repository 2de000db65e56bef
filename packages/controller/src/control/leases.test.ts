import { AssertionError, brokerId } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { BrokerLeases, DEFAULT_SESSION_TIMEOUT_MS, DEFAULT_SUSPECT_AFTER_MS } from './leases.js';

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

  describe('fast failure detection (suspects)', () => {
    it('suspects a reported broker once it has been silent for suspectAfterMs (1 s by default)', () => {
      const leases = new BrokerLeases();
      expect(leases.suspectAfterMs).toBe(DEFAULT_SUSPECT_AFTER_MS);
      leases.heartbeat(b(1), 0);
      leases.heartbeat(b(2), 0);
      // Broker 2 reports 1 at once (its fetch was refused): too early, 1 heartbeated just now.
      expect(leases.reportUnreachable(b(2), [b(1)], 10)).toBe(1_000);
      expect(leases.suspects(499)).toEqual([]);
      leases.heartbeat(b(2), 500);
      expect(leases.reportUnreachable(b(2), [b(1)], 500)).toBe(1_000);
      expect(leases.suspects(999)).toEqual([]);
      expect(leases.suspects(1_000)).toEqual([1]);
      expect(leases.expired(1_000)).toEqual([]);
    });

    it('never suspects a broker that keeps heartbeating', () => {
      const leases = new BrokerLeases();
      leases.heartbeat(b(1), 0);
      leases.heartbeat(b(2), 0);
      for (let nowMs = 0; nowMs <= 10_000; nowMs += 500) {
        leases.heartbeat(b(1), nowMs);
        leases.heartbeat(b(2), nowMs);
        leases.reportUnreachable(b(2), [b(1)], nowMs);
        expect(leases.suspects(nowMs + 499)).toEqual([]);
      }
    });

    it('clears a report when the broker heartbeats, and lets stale reports lapse', () => {
      const leases = new BrokerLeases({ suspectAfterMs: 1_000 });
      leases.heartbeat(b(1), 0);
      leases.reportUnreachable(b(2), [b(1)], 100);
      leases.heartbeat(b(1), 200);
      expect(leases.suspects(1_500)).toEqual([]);
      leases.reportUnreachable(b(2), [b(1)], 1_500);
      expect(leases.suspects(2_500)).toEqual([1]);
      // No report repeated within suspectAfterMs: the evidence is stale.
      expect(leases.suspects(2_501)).toEqual([]);
    });

    it('ignores reports about the reporter itself and untracked brokers', () => {
      const leases = new BrokerLeases();
      leases.heartbeat(b(1), 0);
      expect(leases.reportUnreachable(b(1), [b(1), b(7)], 0)).toBeUndefined();
      expect(leases.suspects(2_000)).toEqual([]);
      leases.reportUnreachable(b(2), [b(1)], 2_000);
      leases.remove(b(1));
      expect(leases.suspects(2_000)).toEqual([]);
      expect(() => new BrokerLeases({ suspectAfterMs: 0 })).toThrow(AssertionError);
    });
  });
});
