import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runService, type ServiceProcess } from './service.js';
import {
  hasSemiSpaceFlag,
  holdYoungGeneration,
  releaseYoungGeneration,
  type StartupHeapEnvironment,
} from './startup-heap.js';

function environment(overrides: Partial<StartupHeapEnvironment> = {}): {
  flags: string[];
  environment: StartupHeapEnvironment;
} {
  const flags: string[] = [];
  return {
    flags,
    environment: {
      setFlags: (flag) => flags.push(flag),
      execArgv: [],
      nodeOptions: undefined,
      global: {},
      ...overrides,
    },
  };
}

describe('holdYoungGeneration', () => {
  it("stops the young generation's growth until released, then restores V8's default factor", () => {
    const { flags, environment: env } = environment();
    expect(holdYoungGeneration(env)).toBe(true);
    expect(flags).toEqual(['--semi-space-growth-factor=1']);
    releaseYoungGeneration(env);
    expect(flags).toEqual(['--semi-space-growth-factor=1', '--semi-space-growth-factor=2']);
    // Released once: later releases and holds do nothing.
    releaseYoungGeneration(env);
    expect(holdYoungGeneration(env)).toBe(false);
    expect(flags).toHaveLength(2);
  });

  it('releases a hold made by another copy of the module, through the shared global', () => {
    const shared = {};
    const holder = environment({ global: shared });
    holdYoungGeneration(holder.environment);
    releaseYoungGeneration({ global: shared });
    expect(holder.flags).toEqual(['--semi-space-growth-factor=1', '--semi-space-growth-factor=2']);
  });

  it('holds nothing when node was given semi-space flags of its own, and a release is then a no-op', () => {
    for (const given of [
      { execArgv: ['--max-semi-space-size=4'] },
      { execArgv: ['--semi_space_growth_factor=3'] },
      { nodeOptions: '--enable-source-maps --min-semi-space-size=2' },
    ]) {
      const { flags, environment: env } = environment(given);
      expect(hasSemiSpaceFlag(env)).toBe(true);
      expect(holdYoungGeneration(env)).toBe(false);
      releaseYoungGeneration(env);
      expect(flags).toEqual([]);
    }
    expect(hasSemiSpaceFlag({ execArgv: ['--max-old-space-size=512'], nodeOptions: '--inspect' })).toBe(
      false,
    );
  });
});

class FakeProcess extends EventEmitter implements ServiceProcess {
  exit(): void {}
}

describe('runService and the start-up heap', () => {
  it('lets the young generation grow once the service has started, not before', async () => {
    const { flags, environment: env } = environment({ global: globalThis });
    holdYoungGeneration(env);
    let flagsWhileStarting: string[] = [];
    try {
      await runService({
        logger: { info: () => {}, error: () => {}, fatal: () => {} },
        process: new FakeProcess(),
        start: async () => {
          flagsWhileStarting = [...flags];
          return { close: async () => {} };
        },
      });
      expect(flagsWhileStarting).toEqual(['--semi-space-growth-factor=1']);
      expect(flags).toEqual(['--semi-space-growth-factor=1', '--semi-space-growth-factor=2']);
    } finally {
      delete (globalThis as Record<symbol, unknown>)[Symbol.for('tributary.startupHeap.release')];
    }
  });
});
