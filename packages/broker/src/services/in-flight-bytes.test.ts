import { TributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { InFlightBytes } from './in-flight-bytes.js';

describe('InFlightBytes', () => {
  it('admits requests up to the bound, refuses past it with a retriable RESOURCE_EXHAUSTED, admits again once released', () => {
    const quota = new InFlightBytes(100, 'produce');
    quota.acquire(60);
    quota.acquire(40);
    expect(quota.bytes).toBe(100);
    const refused = (() => {
      try {
        quota.acquire(1);
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(TributaryError);
    expect(refused).toMatchObject({ code: 'RESOURCE_EXHAUSTED', retriable: true });
    expect((refused as Error).message).toContain('limit of 100');
    quota.release(60);
    quota.acquire(50);
    expect(quota.bytes).toBe(90);
  });

  it('admits a request larger than the bound when nothing else is in flight', () => {
    const quota = new InFlightBytes(100, 'produce');
    quota.acquire(500);
    expect(() => quota.acquire(1)).toThrow(TributaryError);
    quota.release(500);
    expect(quota.bytes).toBe(0);
  });

  it('run releases the bytes however the work ends', async () => {
    const quota = new InFlightBytes(100, 'produce');
    await expect(quota.run(80, async () => 'done')).resolves.toBe('done');
    await expect(
      quota.run(80, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(quota.bytes).toBe(0);
  });
});
