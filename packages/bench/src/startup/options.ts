/** Command-line options of the start-up and footprint benchmark (issue 15 item 5; pure parsing, so it is testable). */
import { directoryFlag, integerFlag } from '../flags.js';

export interface StartupBenchOptions {
  /** Spawns of `tributary dev` (and of the separate controller + broker pair); the report gives medians. */
  readonly runs: number;
  /**
   * How often the prober retries while the process is not answering yet (TCP connect, Metadata, Produce).
   * Every spawn → event figure can be late by up to this much plus one round trip: the tool's granularity.
   */
  readonly pollMs: number;
  /**
   * How long a process idles after its first acknowledged produce before its RSS is read. V8's memory reducer
   * shrinks the young generation that start-up grew only some seconds into idleness (measured: a controller
   * at 89 MB after 5 s, 74 MB after 30 s, 74–75 MB after 60 and 90 s), so the default waits for it.
   */
  readonly idleMs: number;
  /** Skip the separate controller and broker processes (only `tributary dev`). */
  readonly devOnly: boolean;
  readonly json: boolean;
  /** With a directory: one extra spawn of `tributary dev` under `node --cpu-prof`, summarized. */
  readonly profileDir: string | undefined;
  /** The checkout whose built entries are spawned (a baseline worktree); unset = this repository. */
  readonly root: string | undefined;
  /**
   * Another checkout (a baseline worktree, built) measured in the same session: its spawns alternate with
   * this one's, so both see the same machine load, and the report gives both and their ratio.
   */
  readonly compareRoot: string | undefined;
}

export const STARTUP_BENCH_DEFAULTS: StartupBenchOptions = {
  runs: 5,
  pollMs: 5,
  idleMs: 30_000,
  devOnly: false,
  json: false,
  profileDir: undefined,
  root: undefined,
  compareRoot: undefined,
};

/** Bounds of the numeric flags: a mistyped flag should not run for an hour. */
export const STARTUP_BENCH_LIMITS = {
  runsMax: 50,
  pollMsMin: 1,
  pollMsMax: 100,
  idleMsMax: 60_000,
} as const;

export const STARTUP_BENCH_USAGE = `usage: startup-bench [--runs N] [--poll-ms P] [--idle-ms I] [--dev-only] [--profile DIR] [--root DIR]
                     [--compare DIR] [--json]
Spawns \`tributary dev\` (packages/cli's built entry, its own temp data dir, free ports on 127.0.0.1) N times
and reports, as medians and ranges: spawn → first acknowledged acks=all produce (a prober that connects from
the moment of spawn, retrying every P ms: TCP connect to the broker port, Metadata with auto-creation until
the topic has a leader, then Produce acks=all until acknowledged), where that time goes (the process's own
log lines: modules loaded, controller ready, leader elected, broker ready, broker registered), and the idle
RSS (VmRSS) I ms (default 30,000: V8 shrinks its young generation some seconds into idleness) after
that produce. Then, unless --dev-only, spawns a separate tributary-controller (one
voter) and tributary-broker N times and reports each one's idle RSS I ms after the broker registered.
--profile DIR adds one spawn of \`tributary dev\` under node --cpu-prof and prints its top self-time owners.
--root DIR spawns the built entries of the checkout at DIR instead of this one (a baseline worktree).
--compare DIR alternates every spawn with one of the built checkout at DIR (a baseline worktree) and
reports both, so a before/after comparison shares the machine's load.
--json prints one JSON report on stdout; progress goes to stderr.`;

export function parseStartupBenchArgs(argv: readonly string[]): StartupBenchOptions | 'help' {
  let options: StartupBenchOptions = { ...STARTUP_BENCH_DEFAULTS };
  const limits = STARTUP_BENCH_LIMITS;
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] ?? '';
    const next = (): string | undefined => argv[++index];
    switch (flag) {
      case '--runs':
        options = { ...options, runs: integerFlag(flag, next(), 1, limits.runsMax) };
        break;
      case '--poll-ms':
        options = { ...options, pollMs: integerFlag(flag, next(), limits.pollMsMin, limits.pollMsMax) };
        break;
      case '--idle-ms':
        options = { ...options, idleMs: integerFlag(flag, next(), 0, limits.idleMsMax) };
        break;
      case '--dev-only':
        options = { ...options, devOnly: true };
        break;
      case '--json':
        options = { ...options, json: true };
        break;
      case '--profile':
        options = { ...options, profileDir: directoryFlag(flag, next()) };
        break;
      case '--root':
        options = { ...options, root: directoryFlag(flag, next()) };
        break;
      case '--compare':
        options = { ...options, compareRoot: directoryFlag(flag, next()) };
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`unknown flag ${flag}\n${STARTUP_BENCH_USAGE}`);
    }
  }
  return options;
}
