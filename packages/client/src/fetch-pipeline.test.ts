/**
 * FetchPipeline: fetches are taken in completion order, each freeing its keys; a key is in one fetch at a
 * time; a failed fetch becomes its failed result; interrupt() makes next() return undefined once; close()
 * aborts every fetch in flight and ends next().
 */
import { TributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { FetchPipeline } from './fetch-pipeline.js';

/** A fetch the test settles by hand, recording the signal it was given. */
function deferred(): {
  fetch: (signal: AbortSignal) => Promise<string>;
  resolve: (value: string) => void;
  reject: (error: Error) => void;
  signal: () => AbortSignal | undefined;
} {
  let resolve: (value: string) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  let given: AbortSignal | undefined;
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    fetch: (signal) => {
      given = signal;
      return promise;
    },
    resolve: (value) => resolve(value),
    reject: (error) => reject(error),
    signal: () => given,
  };
}

const failedAs = (error: TributaryError): string => `failed: ${error.code}`;

describe('FetchPipeline', () => {
  it('gives fetches in completion order, freeing their keys as they are taken', async () => {
    const pipeline = new FetchPipeline<number, string>();
    const first = deferred();
    const second = deferred();
    pipeline.start([1, 2], first.fetch, failedAs);
    pipeline.start([3], second.fetch, failedAs);
    expect([pipeline.isBusy(1), pipeline.isBusy(3), pipeline.isBusy(4)]).toEqual([true, true, false]);
    expect(() => pipeline.start([2], deferred().fetch, failedAs)).toThrow();
    second.resolve('b');
    expect(await pipeline.next()).toEqual({ keys: [3], result: 'b' });
    expect(pipeline.isBusy(3)).toBe(false);
    expect(pipeline.isBusy(1)).toBe(true);
    first.reject(new TributaryError('NOT_LEADER', 'moved'));
    expect(await pipeline.next()).toEqual({ keys: [1, 2], result: 'failed: NOT_LEADER' });
    expect(pipeline.idle).toBe(true);
  });

  it('returns undefined from next() once per interrupt, and nothing after close, whose signal aborts the fetches', async () => {
    const pipeline = new FetchPipeline<number, string>();
    const fetch = deferred();
    pipeline.start([1], fetch.fetch, failedAs);
    const waiting = pipeline.next();
    pipeline.interrupt();
    expect(await waiting).toBeUndefined();
    pipeline.interrupt();
    expect(await pipeline.next()).toBeUndefined();
    pipeline.close();
    expect(fetch.signal()?.aborted).toBe(true);
    fetch.resolve('late');
    expect(await pipeline.next()).toBeUndefined();
    expect(pipeline.isBusy(1)).toBe(false);
  });
});
