import * as grpc from '@grpc/grpc-js';
import { TributaryError } from '@tributary/core';
import { asTributaryError, ERROR_CODE_TRAILER } from '@tributary/protocol';
import { describe, expect, it } from 'vitest';
import { isTransportUnavailable, REPLICA_FETCH_RECONNECT_BACKOFF } from './follower-fetcher.js';

function serviceError(code: grpc.status, sentCode?: string): Error {
  const metadata = new grpc.Metadata();
  if (sentCode !== undefined) metadata.set(ERROR_CODE_TRAILER, sentCode);
  return Object.assign(new Error('failed'), { code, details: 'failed', metadata });
}

describe('isTransportUnavailable', () => {
  it('is true for a transport UNAVAILABLE (connection refused)', () => {
    expect(isTransportUnavailable(asTributaryError(serviceError(grpc.status.UNAVAILABLE)))).toBe(true);
  });

  it('is false for a timed-out long poll, an error the leader sent, or our own errors', () => {
    expect(isTransportUnavailable(asTributaryError(serviceError(grpc.status.DEADLINE_EXCEEDED)))).toBe(false);
    expect(
      isTransportUnavailable(asTributaryError(serviceError(grpc.status.UNAVAILABLE, 'SHUTTING_DOWN'))),
    ).toBe(false);
    expect(isTransportUnavailable(new TributaryError('UNKNOWN', 'boom'))).toBe(false);
    expect(isTransportUnavailable(undefined)).toBe(false);
  });
});

describe('REPLICA_FETCH_RECONNECT_BACKOFF', () => {
  it('caps reconnect backoff so a restarted leader is fetched from within about a second', () => {
    // grpc-js defaults grow to 120 s: a follower's channel to a broker that was down stayed in
    // TRANSIENT_FAILURE for seconds after it came back and was made leader again (acks=all stall).
    const initial = REPLICA_FETCH_RECONNECT_BACKOFF['grpc.initial_reconnect_backoff_ms'];
    const max = REPLICA_FETCH_RECONNECT_BACKOFF['grpc.max_reconnect_backoff_ms'];
    expect(initial).toBeGreaterThan(0);
    expect(initial).toBeLessThanOrEqual(max);
    expect(max).toBeLessThanOrEqual(1_000);
  });
});
