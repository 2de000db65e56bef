/**
 * The simulation's command line (`npm run sim -- --seeds N`):
 *
 *   node packages/raft/dist/sim/cli.js --seeds N [--start S] [--nodes 3|5]
 *   node packages/raft/dist/sim/cli.js --seed X [--nodes 3|5]     replay one seed with a verbose trace
 *   add --membership to either for runs that change the membership (add learner, promote, remove)
 *
 * TEST-ONLY: `--break skip-vote-log-check`, `--break commit-earlier-term` or (with --membership)
 * `--break concurrent-membership-changes` runs a deliberately broken core, to watch the checkers catch it.
 *
 * Exits 1 and prints the failing seed (and how to replay it) on the first failure.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { RaftTestingKnobs } from '../types.js';
import { runSimulation, SimulationFailure } from './simulation.js';

const BREAKS: Readonly<Record<string, RaftTestingKnobs>> = {
  'skip-vote-log-check': { unsafeSkipVoteLogCheck: true },
  'commit-earlier-term': { unsafeCommitEarlierTermByCounting: true },
  'concurrent-membership-changes': { unsafeConcurrentMembershipChanges: true },
};

interface CliOptions {
  readonly seeds: number;
  readonly start: number;
  readonly nodes: number | undefined;
  readonly replaySeed: number | undefined;
  readonly knobs: { readonly testingKnobs?: RaftTestingKnobs; readonly membershipChanges: boolean };
}

function parseOptions(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      seeds: { type: 'string', default: '100' },
      start: { type: 'string', default: '1' },
      nodes: { type: 'string' },
      seed: { type: 'string' },
      break: { type: 'string' },
      membership: { type: 'boolean', default: false },
    },
  });
  const integer = (raw: string | undefined, what: string): number | undefined => {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 0)
      throw new Error(`--${what} must be a non-negative integer`);
    return value;
  };
  const nodes = integer(values.nodes, 'nodes');
  if (nodes !== undefined && nodes !== 3 && nodes !== 5) throw new Error('--nodes must be 3 or 5');
  const knobs = values.break === undefined ? undefined : BREAKS[values.break];
  if (values.break !== undefined && knobs === undefined) {
    throw new Error(`--break must be one of: ${Object.keys(BREAKS).join(', ')}`);
  }
  return {
    knobs: {
      ...(knobs === undefined ? {} : { testingKnobs: knobs }),
      membershipChanges: values.membership === true,
    },
    seeds: integer(values.seeds, 'seeds') ?? 100,
    start: integer(values.start, 'start') ?? 1,
    nodes,
    replaySeed: integer(values.seed, 'seed'),
  };
}

function replay(options: CliOptions, seed: number): number {
  const nodes = options.nodes;
  const result = runSimulation({
    ...options.knobs,
    seed,
    ...(nodes === undefined ? {} : { nodeCount: nodes }),
    trace: (line) => console.log(line),
  });
  console.log(
    `seed ${seed} passed: ${result.nodeCount} nodes, ${result.ticks} ticks, committed ${result.committed}`,
  );
  return 0;
}

function runMany(options: CliOptions): number {
  const started = performance.now();
  const progressEvery = Math.max(1, Math.floor(options.seeds / 10));
  for (let i = 0; i < options.seeds; i++) {
    const seed = options.start + i;
    runSimulation({
      ...options.knobs,
      seed,
      ...(options.nodes === undefined ? {} : { nodeCount: options.nodes }),
    });
    if ((i + 1) % progressEvery === 0) console.log(`  ${i + 1}/${options.seeds} seeds ok (last: ${seed})`);
  }
  const seconds = (performance.now() - started) / 1000;
  const rate = (options.seeds / seconds).toFixed(0);
  console.log(
    `${options.seeds} seeds passed from ${options.start} in ${seconds.toFixed(1)} s (${rate} seeds/s)`,
  );
  return 0;
}

function main(argv: readonly string[]): number {
  let options: CliOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  try {
    if (options.replaySeed !== undefined) return replay(options, options.replaySeed);
    return runMany(options);
  } catch (error) {
    if (error instanceof SimulationFailure) {
      console.error(`FAILED at seed ${error.seed}\n${error.message}`);
      const broken = argv.find((arg, i) => argv[i - 1] === '--break' || arg.startsWith('--break='));
      if (broken !== undefined) console.error(`  (add --break ${broken.replace('--break=', '')} to replay)`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
