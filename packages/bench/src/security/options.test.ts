import { describe, expect, it } from 'vitest';
import { DEFAULT_SECURITY_BENCH_OPTIONS, parseSecurityBenchArgs } from './options.js';

describe('parseSecurityBenchArgs', () => {
  it('defaults to three rounds of all three modes with 1 KiB records', () => {
    expect(parseSecurityBenchArgs([])).toEqual(DEFAULT_SECURITY_BENCH_OPTIONS);
    expect(DEFAULT_SECURITY_BENCH_OPTIONS.modes).toEqual(['plaintext', 'tls', 'secure']);
  });

  it('always keeps the plaintext baseline, in a fixed mode order', () => {
    const parsed = parseSecurityBenchArgs(['--modes', 'secure', '--rounds', '5', '--producers', '2']);
    expect(parsed).toMatchObject({ modes: ['plaintext', 'secure'], rounds: 5, producers: 2 });
  });

  it('refuses unknown modes, flags and out-of-range numbers', () => {
    expect(() => parseSecurityBenchArgs(['--modes', 'mtls'])).toThrow(/--modes/);
    expect(() => parseSecurityBenchArgs(['--rounds', '0'])).toThrow(/--rounds/);
    expect(() => parseSecurityBenchArgs(['--duration-ms', '10'])).toThrow(/--duration-ms/);
    expect(() => parseSecurityBenchArgs(['--fast'])).toThrow(/unknown flag/);
    expect(parseSecurityBenchArgs(['--help'])).toBe('help');
  });
});
