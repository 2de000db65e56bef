import { describe, expect, it } from 'vitest';
import { parseStartupBenchArgs, STARTUP_BENCH_DEFAULTS } from './options.js';
import { LineCollector, milestoneTimes, parseVmRssKiB, START_MILESTONES } from './process-log.js';
import { type DevRun, formatComparison, formatSummary, rangeOf, summarize } from './report.js';

describe('parseStartupBenchArgs', () => {
  it('defaults and overrides', () => {
    expect(parseStartupBenchArgs([])).toEqual(STARTUP_BENCH_DEFAULTS);
    expect(
      parseStartupBenchArgs(['--runs', '3', '--poll-ms', '2', '--idle-ms', '0', '--dev-only', '--json']),
    ).toMatchObject({ runs: 3, pollMs: 2, idleMs: 0, devOnly: true, json: true });
    expect(parseStartupBenchArgs(['--root', '/tmp/base', '--profile', 'p'])).toMatchObject({
      root: '/tmp/base',
      profileDir: 'p',
    });
    expect(parseStartupBenchArgs(['-h'])).toBe('help');
  });

  it('rejects bad values and unknown flags', () => {
    expect(() => parseStartupBenchArgs(['--runs', '0'])).toThrow(/--runs/);
    expect(() => parseStartupBenchArgs(['--poll-ms', '0'])).toThrow(/--poll-ms/);
    expect(() => parseStartupBenchArgs(['--idle-ms', '1.5'])).toThrow(/--idle-ms/);
    expect(() => parseStartupBenchArgs(['--root'])).toThrow(/--root/);
    expect(() => parseStartupBenchArgs(['--profile', '--json'])).toThrow(/--profile/);
    expect(() => parseStartupBenchArgs(['--bogus'])).toThrow(/unknown flag/);
  });
});

describe('process log', () => {
  const log = (time: number, msg: string): string => JSON.stringify({ level: 30, time, msg });

  it('takes the first line of each milestone and skips what is not pino JSON', () => {
    const lines = [
      log(100, 'starting'),
      'Tributary dev cluster is up.',
      '{not json',
      log(150, 'controller ready'),
      log(160, 'broker registered'),
      log(170, 'broker registered'),
      JSON.stringify({ msg: 'broker ready' }),
    ];
    const times = milestoneTimes(lines, START_MILESTONES);
    expect(Object.fromEntries(times)).toEqual({
      starting: 100,
      'controller ready': 150,
      'broker registered': 160,
    });
  });

  it('reads VmRSS in KiB', () => {
    expect(parseVmRssKiB('Name:\tnode\nVmPeak:\t  900 kB\nVmRSS:\t   81234 kB\nThreads: 7\n')).toBe(81_234);
    expect(() => parseVmRssKiB('Name:\tnode\n')).toThrow(/VmRSS/);
  });

  it('collects complete lines across chunks, at most linesMax of them', () => {
    const collector = new LineCollector(2);
    collector.push('a\nb');
    expect(collector.lines).toEqual(['a']);
    collector.push('c\nd\ne\n');
    expect(collector.lines).toEqual(['a', 'bc']);
  });
});

describe('report', () => {
  const run = (producedMs: number, starting: number | null): DevRun => ({
    portOpenMs: producedMs - 100,
    leaderKnownMs: producedMs - 10,
    producedMs,
    cpuToProducedMs: producedMs / 2,
    milestonesMs: {
      starting,
      'controller ready': producedMs - 200,
      'became leader': producedMs - 190,
      'broker ready': producedMs - 90,
      'broker registered': producedMs - 50,
    },
    idleRssMB: producedMs / 10,
    retries: { connect: 1, metadata: 0, produce: 0 },
  });

  it('medians and ranges', () => {
    expect(rangeOf([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(() => rangeOf([])).toThrow(RangeError);
  });

  it('reports a milestone only when every run logged it', () => {
    const summary = summarize([run(400, 50), run(500, null), run(600, 70)], []);
    expect(summary.dev.producedMs).toEqual({ median: 500, min: 400, max: 600 });
    expect(summary.dev.milestonesMs.starting).toBeNull();
    expect(summary.dev.milestonesMs['controller ready']).toEqual({ median: 300, min: 200, max: 400 });
    expect(summary.split).toBeNull();
    const text = formatSummary(summary, { runs: 3, pollMs: 5, idleMs: 5_000 }).join('\n');
    expect(text).toMatch(/retries every 5 ms/);
    expect(text).toMatch(/modules loaded .*not logged by this build/);
    expect(text).toMatch(/first acks=all produce acknowledged \(prober\)\s+500 ms {2}\(\+10 ms\)/);
  });

  it('compares two builds by their medians', () => {
    const before = summarize(
      [run(600, null)],
      [{ brokerRegisteredMs: 1, producedMs: 700, controllerIdleRssMB: 100, brokerIdleRssMB: 120 }],
    );
    const after = summarize(
      [run(300, 20)],
      [{ brokerRegisteredMs: 1, producedMs: 350, controllerIdleRssMB: 75, brokerIdleRssMB: 80 }],
    );
    const text = formatComparison(before, after, { baseline: 'base', current: 'new' }).join('\n');
    expect(text).toMatch(/spawn → first acknowledged produce\s+600 → 300 ms \(× 0\.5\)/);
    expect(text).toMatch(/controller: idle RSS\s+100 → 75 MB \(× 0\.75\)/);
  });
});
