import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameSizeError, FrameSplitter } from './frame-splitter.js';

function framed(body: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + body.length);
  out.writeInt32BE(body.length, 0);
  out.set(body, 4);
  return out;
}

describe('FrameSplitter', () => {
  it('returns the same frames however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 10, maxLength: 300 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
        (bodies, cuts) => {
          const stream = Buffer.concat(bodies.map(framed));
          const splitter = new FrameSplitter(1024);
          const frames: Buffer[] = [];
          let pos = 0;
          for (let i = 0; pos < stream.length; i++) {
            const size = cuts[i % cuts.length] ?? 1;
            splitter.push(stream.subarray(pos, pos + size));
            pos += size;
            for (let f = splitter.next(); f !== null; f = splitter.next()) frames.push(Buffer.from(f));
          }
          expect(frames).toEqual(bodies.map((b) => Buffer.from(b)));
          expect(splitter.bufferedBytes).toBe(0);
        },
      ),
      { seed: 12, numRuns: 200 },
    );
  });

  it('refuses a size over the bound or below a header before buffering the frame', () => {
    for (const size of [1025, -1, 0, 9]) {
      const splitter = new FrameSplitter(1024);
      const prefix = Buffer.alloc(4);
      prefix.writeInt32BE(size, 0);
      splitter.push(prefix);
      expect(() => splitter.next()).toThrow(FrameSizeError);
    }
  });
});
