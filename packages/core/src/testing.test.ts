import { describe, expect, it } from 'vitest';
import { freePort, waitFor } from './testing.js';

describe('test helpers', () => {
  it('waitFor resolves with the first real value and times out naming what it waited for', async () => {
    let calls = 0;
    await expect(waitFor('the third call', () => (++calls >= 3 ? calls : false), 1_000, 1)).resolves.toBe(3);
    await expect(waitFor('nothing', () => undefined, 30, 5)).rejects.toThrow(/waiting for nothing/);
  });

  it('freePort returns a usable port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65_536);
  });
});
