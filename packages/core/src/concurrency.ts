import { assert } from './assert.js';

/**
 * Runs `work` over `items` with at most `concurrency` calls in flight; resolves with the results in input
 * order. A rejection rejects the whole at once (the calls already in flight still run to their end), so
 * `work` that must not stop the others turns its failure into a result. O(items): items are taken by
 * index, never shifted off a queue (a broker applies 100,000 partitions at a time).
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  assert(Number.isSafeInteger(concurrency) && concurrency >= 1, 'concurrency is a positive integer');
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) {
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(items.length, concurrency) }, worker));
  return results;
}
