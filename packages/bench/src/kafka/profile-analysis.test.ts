import { describe, expect, it } from 'vitest';
import { analyzeProfile, type CallFrame, type CpuProfile, frameLabel, ownerOf } from './profile-analysis.js';

const KAFKA = 'file:///work/main/packages/broker/dist/kafka/connection.js';
const PROTOCOL = 'file:///work/main/packages/kafka-protocol/dist/reader.js';
const GRPC = 'file:///work/main/node_modules/@grpc/grpc-js/build/src/server.js';

function frame(functionName: string, url: string, lineNumber = 0) {
  return { functionName, url, lineNumber };
}

// root -> accept -> decode -> readBytes -> accept again (recursion); root -> grpc handle; root -> idle.
const nodes = [
  { id: 1, callFrame: frame('(root)', ''), children: [2, 6, 7] },
  { id: 2, callFrame: frame('accept', KAFKA, 9), children: [3] },
  { id: 3, callFrame: frame('decode', PROTOCOL, 19), children: [4] },
  { id: 4, callFrame: frame('readBytes', PROTOCOL, 29), children: [5] },
  { id: 5, callFrame: frame('accept', KAFKA, 9) },
  { id: 6, callFrame: frame('handle', GRPC) },
  { id: 7, callFrame: frame('(idle)', '') },
];

/** Samples 1 µs apart from t = 1001: accept ×3, decode ×5, readBytes ×2, accept (nested) ×1, handle ×4, idle ×5. */
function profile(): CpuProfile {
  const samples = [2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 5, 6, 6, 6, 6, 7, 7, 7, 7, 7];
  return { nodes, startTime: 1_000, samples, timeDeltas: samples.map(() => 1) };
}

const ours = (frame: CallFrame): boolean => frame.url.includes('/packages/');

describe('analyzeProfile', () => {
  it('adds every busy sample to each distinct matching frame on its stack once, and ranks self time', () => {
    const analysis = analyzeProfile(profile(), { include: ours, topCount: 10 });
    expect(analysis.samples).toBe(20);
    expect(analysis.busySamples).toBe(15);
    expect(analysis.idlePercent).toBe(25);
    expect(analysis.inclusive.map((e) => [e.name, e.samples])).toEqual([
      ['accept broker/dist/kafka/connection.js:10', 11],
      ['decode kafka-protocol/dist/reader.js:20', 8],
      ['readBytes kafka-protocol/dist/reader.js:30', 3],
    ]);
    expect(analysis.inclusive[0]?.percentOfBusy).toBeCloseTo((11 * 100) / 15);
    expect(analysis.topSelf[0]).toMatchObject({
      name: 'decode kafka-protocol/dist/reader.js:20',
      samples: 5,
    });
    expect(analysis.selfByOwner.map((e) => [e.name, e.samples])).toEqual([
      ['@tributary/kafka-protocol', 7],
      ['@tributary/broker', 4],
      ['@grpc/grpc-js', 4],
    ]);
  });

  it('counts only the samples inside the window', () => {
    // t = 1001..1020; the window [1012, 1015] holds the four grpc samples.
    const analysis = analyzeProfile(profile(), {
      window: { startUs: 1_012, endUs: 1_015 },
      include: ours,
      topCount: 5,
    });
    expect(analysis.samples).toBe(4);
    expect(analysis.inclusive).toEqual([]);
    expect(analysis.topSelf.map((e) => e.name)).toEqual(['handle @grpc/grpc-js/build/src/server.js:1']);
  });

  it('labels frames and owners by package', () => {
    expect(frameLabel(frame('handle', GRPC, 4))).toBe('handle @grpc/grpc-js/build/src/server.js:5');
    expect(frameLabel(frame('', ''))).toBe('(anonymous)');
    expect(ownerOf(frame('(garbage collector)', ''))).toBe('(garbage collector)');
    expect(ownerOf(frame('writeBuffer', ''))).toBe('(native)');
    expect(ownerOf(frame('x', 'node:internal/buffer'))).toBe('node: internals');
  });
});
