import { brokerEpoch } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { BrokerLifecycleState, type HeartbeatAnswer } from './state.js';

const INTERVAL_MS = 500;
const SESSION_MS = 3_000;

function newState(): BrokerLifecycleState {
  return new BrokerLifecycleState({
    heartbeatIntervalMs: INTERVAL_MS,
    sessionTimeoutMs: SESSION_MS,
    registerBackoffMaxMs: SESSION_MS,
  });
}

const unfencedAnswer: HeartbeatAnswer = {
  fenced: false,
  caughtUp: true,
  shouldShutDown: false,
  leaseTimeoutMs: 0,
};

/** A state registered at epoch 7, registration sent at 0 and answered at 10. */
function registeredState(): BrokerLifecycleState {
  const state = newState();
  state.requestSent('register', 0);
  state.registered(brokerEpoch(7), 10);
  return state;
}

describe('BrokerLifecycleState', () => {
  it('registers first, then heartbeats right away, fenced until the controller says otherwise', () => {
    const state = newState();
    expect(state.snapshot().status).toBe('unregistered');
    expect(state.nextAction(0)).toEqual({ kind: 'register' });
    state.requestSent('register', 0);
    expect(state.nextAction(5).kind).toBe('wait');
    state.registered(brokerEpoch(7), 10);
    expect(state.snapshot()).toMatchObject({ status: 'fenced', brokerEpoch: 7, caughtUp: false });
    expect(state.nextAction(10)).toEqual({ kind: 'heartbeat', brokerEpoch: 7, wantShutdown: false });
  });

  it('follows the controller: fenced while not caught up, unfenced after, heartbeats every interval', () => {
    const state = registeredState();
    state.requestSent('heartbeat', 10);
    state.heartbeatAnswered({ ...unfencedAnswer, fenced: true, caughtUp: false });
    expect(state.snapshot()).toMatchObject({ status: 'fenced', caughtUp: false });
    expect(state.nextAction(100)).toEqual({ kind: 'wait', delayMs: 410 });
    expect(state.nextAction(510).kind).toBe('heartbeat');
    state.requestSent('heartbeat', 510);
    state.heartbeatAnswered(unfencedAnswer);
    expect(state.snapshot()).toMatchObject({ status: 'unfenced', caughtUp: true });
    state.requestSent('heartbeat', 1_010);
    state.heartbeatAnswered({ ...unfencedAnswer, fenced: true });
    expect(state.snapshot().status).toBe('fenced');
  });

  it('re-registers at once on UNKNOWN_BROKER and STALE_BROKER_EPOCH', () => {
    for (const code of ['UNKNOWN_BROKER', 'STALE_BROKER_EPOCH'] as const) {
      const state = registeredState();
      state.requestSent('heartbeat', 10);
      state.heartbeatFailed(code, 20);
      expect(state.snapshot()).toMatchObject({ status: 'unregistered', brokerEpoch: undefined });
      expect(state.nextAction(20)).toEqual({ kind: 'register' });
      state.requestSent('register', 20);
      state.registered(brokerEpoch(9), 30);
      expect(state.snapshot()).toMatchObject({ status: 'fenced', brokerEpoch: 9 });
    }
  });

  it('keeps its registration on other heartbeat failures and tries again next interval', () => {
    const state = registeredState();
    state.requestSent('heartbeat', 10);
    state.heartbeatFailed('REQUEST_TIMED_OUT', 400);
    expect(state.snapshot()).toMatchObject({ status: 'fenced', brokerEpoch: 7 });
    expect(state.nextAction(400)).toEqual({ kind: 'wait', delayMs: 110 });
    expect(state.nextAction(510).kind).toBe('heartbeat');
  });

  it('retries registration with doubling backoff capped at the session timeout', () => {
    const state = newState();
    const delays: number[] = [];
    let nowMs = 0;
    for (let attempt = 0; attempt < 6; attempt++) {
      expect(state.nextAction(nowMs)).toEqual({ kind: 'register' });
      state.requestSent('register', nowMs);
      state.registerFailed(nowMs);
      const action = state.nextAction(nowMs);
      expect(action.kind).toBe('wait');
      let waitedMs = 0;
      while (state.nextAction(nowMs + waitedMs).kind === 'wait') waitedMs += 100;
      delays.push(waitedMs);
      nowMs += waitedMs;
    }
    expect(delays).toEqual([500, 1_000, 2_000, 3_000, 3_000, 3_000]);
    state.requestSent('register', nowMs);
    state.registered(brokerEpoch(3), nowMs);
    state.requestSent('heartbeat', nowMs);
    state.heartbeatFailed('UNKNOWN_BROKER', nowMs);
    state.requestSent('register', nowMs);
    state.registerFailed(nowMs);
    expect(state.nextAction(nowMs)).toEqual({ kind: 'wait', delayMs: 500 });
  });

  it('loses the lease locally once no heartbeat succeeded for the session timeout, counted from sending', () => {
    const state = registeredState();
    state.requestSent('heartbeat', 500);
    state.heartbeatAnswered(unfencedAnswer);
    // Renewed as of 500 (sent), not as of when the answer arrived.
    state.requestSent('heartbeat', 1_000);
    expect(state.nextAction(1_200)).toEqual({ kind: 'wait', delayMs: 500 });
    state.tick(3_500);
    expect(state.snapshot().status).toBe('unfenced');
    state.tick(3_501);
    expect(state.snapshot()).toMatchObject({ status: 'lease-lost', brokerEpoch: undefined, caughtUp: false });
    // The heartbeat in flight answering late changes nothing: that registration is gone.
    state.heartbeatAnswered(unfencedAnswer);
    expect(state.snapshot().status).toBe('lease-lost');
    expect(state.nextAction(3_501)).toEqual({ kind: 'register' });
    state.requestSent('register', 3_600);
    state.registered(brokerEpoch(20), 3_700);
    expect(state.snapshot()).toMatchObject({ status: 'fenced', brokerEpoch: 20 });
  });

  it('loses the lease with failing heartbeats too, and uses the controller timeout when shorter', () => {
    const state = registeredState();
    state.requestSent('heartbeat', 10);
    state.heartbeatAnswered({ ...unfencedAnswer, leaseTimeoutMs: 1_000 });
    expect(state.sessionTimeoutMs).toBe(1_000);
    state.requestSent('heartbeat', 510);
    state.heartbeatFailed('REQUEST_TIMED_OUT', 900);
    state.tick(1_010);
    expect(state.snapshot().status).toBe('unfenced');
    state.tick(1_011);
    expect(state.snapshot().status).toBe('lease-lost');
  });

  it("follows the controller's timeout when it is longer than ours", () => {
    const state = registeredState();
    state.requestSent('heartbeat', 10);
    state.heartbeatAnswered({ ...unfencedAnswer, leaseTimeoutMs: 9_000 });
    expect(state.sessionTimeoutMs).toBe(9_000);
    state.requestSent('heartbeat', 510);
    state.heartbeatFailed('REQUEST_TIMED_OUT', 900);
    state.tick(10 + SESSION_MS + 1);
    expect(state.snapshot().status).toBe('unfenced');
    state.tick(9_010);
    expect(state.snapshot().status).toBe('unfenced');
    state.tick(9_011);
    expect(state.snapshot().status).toBe('lease-lost');
  });

  it('controlled shutdown: heartbeats want shutdown until shouldShutDown', () => {
    const state = registeredState();
    state.shutdownRequested(5_000);
    expect(state.snapshot().shuttingDown).toBe(true);
    expect(state.nextAction(20)).toEqual({ kind: 'heartbeat', brokerEpoch: 7, wantShutdown: true });
    state.requestSent('heartbeat', 20);
    state.heartbeatAnswered({ ...unfencedAnswer, fenced: true });
    expect(state.snapshot().status).toBe('fenced');
    state.requestSent('heartbeat', 520);
    state.heartbeatAnswered({ ...unfencedAnswer, fenced: true, shouldShutDown: true });
    expect(state.snapshot()).toMatchObject({ status: 'stopped', shutdownCompleted: true });
    expect(state.nextAction(600)).toEqual({ kind: 'stop' });
  });

  it('controlled shutdown gives up at its deadline', () => {
    const state = registeredState();
    state.shutdownRequested(1_000);
    state.requestSent('heartbeat', 20);
    expect(state.nextAction(100)).toEqual({ kind: 'wait', delayMs: 500 });
    state.tick(999);
    expect(state.snapshot().status).toBe('fenced');
    state.tick(1_000);
    expect(state.snapshot()).toMatchObject({ status: 'stopped', shutdownCompleted: false });
    state.heartbeatFailed('REQUEST_TIMED_OUT', 1_100);
    expect(state.snapshot().status).toBe('stopped');
  });

  it('controlled shutdown with no registration has nothing to wait for', () => {
    const state = newState();
    state.shutdownRequested(1_000);
    expect(state.snapshot()).toMatchObject({ status: 'stopped', shutdownCompleted: true });
    const forgotten = registeredState();
    forgotten.shutdownRequested(1_000);
    forgotten.requestSent('heartbeat', 20);
    forgotten.heartbeatFailed('UNKNOWN_BROKER', 30);
    expect(forgotten.snapshot()).toMatchObject({ status: 'stopped', shutdownCompleted: true });
  });

  it('closed stops everything; a late registration answer is ignored', () => {
    const state = newState();
    state.requestSent('register', 0);
    state.closed();
    state.registered(brokerEpoch(4), 10);
    expect(state.snapshot()).toMatchObject({
      status: 'stopped',
      brokerEpoch: undefined,
      shutdownCompleted: false,
    });
    expect(state.nextAction(10)).toEqual({ kind: 'stop' });
  });

  it('refuses illegal transitions loudly', () => {
    const state = newState();
    expect(() => state.requestSent('heartbeat', 0)).toThrow(/unexpected heartbeat/);
    expect(() => state.heartbeatAnswered(unfencedAnswer)).toThrow(/without a heartbeat in flight/);
    state.requestSent('register', 0);
    expect(() => state.requestSent('register', 0)).toThrow(/in flight/);
    expect(
      () =>
        new BrokerLifecycleState({
          heartbeatIntervalMs: 500,
          sessionTimeoutMs: 400,
          registerBackoffMaxMs: 500,
        }),
    ).toThrow(/outlast/);
  });

  it('heartbeats early when asked (a leader became unreachable), also after one in flight', () => {
    const state = registeredState();
    state.requestSent('heartbeat', 10);
    state.heartbeatAnswered(unfencedAnswer);
    expect(state.nextAction(100)).toEqual({ kind: 'wait', delayMs: 410 });
    state.heartbeatSoon(100);
    expect(state.nextAction(100)).toEqual({ kind: 'heartbeat', brokerEpoch: 7, wantShutdown: false });
    state.requestSent('heartbeat', 100);
    state.heartbeatSoon(120);
    state.heartbeatAnswered(unfencedAnswer);
    expect(state.nextAction(130).kind).toBe('heartbeat');
    state.requestSent('heartbeat', 130);
    state.heartbeatAnswered(unfencedAnswer);
    expect(state.nextAction(140)).toEqual({ kind: 'wait', delayMs: 490 });
  });

  it('ignores an early heartbeat request before registration', () => {
    const state = newState();
    state.heartbeatSoon(0);
    expect(state.nextAction(0)).toEqual({ kind: 'register' });
  });
});
