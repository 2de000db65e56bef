/**
 * The controller's configuration schema (docs/operations.md's table is generated from it): flags,
 * TRIBUTARY_* environment variables and a JSON config file, read by core's one config mechanism with the
 * precedence flags > env > file > defaults. Every problem is a ConfigError with one clear line.
 */

import { WIRE_LIMITS } from '@tributary/core';
import {
  ConfigError,
  type ConfigValues,
  defineConfig,
  type Env,
  helpText,
  hostPortSchema,
  LOG_LEVELS,
  type LogLevel,
  listSchema,
  option,
  parseConfig,
  z,
} from '@tributary/core/config';
import {
  AUTH_CONFIG_OPTIONS,
  AUTH_CONFIG_RULES,
  METRICS_TLS_OPTIONS,
  METRICS_TLS_RULES,
  type ProcessSecurity,
  ProcessTls,
  securityOf,
  TLS_CONFIG_OPTIONS,
  TLS_CONFIG_RULES,
  tlsFilesOf,
} from '@tributary/protocol';
import { type BootstrapUserCredentials, loadBootstrapUser } from './bootstrap-user.js';

export { ConfigError, LOG_LEVELS, type LogLevel };

export interface VoterAddress {
  readonly id: number;
  /** host:port */
  readonly address: string;
}

export const CONTROLLER_DEFAULTS = {
  // A fine tick spreads the randomized election timeouts ([250, 500) ms) over 25 values: with a 25 ms tick
  // there were only 10, and two followers that lost the same leader often fired in the same tick, granted
  // each other's pre-vote and split the vote (measured: failovers with two elections).
  tickMs: 10,
  electionTicks: 25,
  heartbeatTicks: 5,
  sessionTimeoutMs: 3_000,
  heartbeatIntervalMs: 500,
  snapshotIntervalEntries: 10_000,
  logLevel: 'info' as LogLevel,
  // Kafka's auto.leader.rebalance.enable, leader.imbalance.per.broker.percentage and
  // leader.imbalance.check.interval.seconds (300 s there; a minute here, the check is cheap).
  autoLeaderRebalance: true,
  leaderImbalancePerBrokerPercentage: 10,
  leaderImbalanceCheckIntervalMs: 60_000,
} as const;

/** Kafka's node.id bound, shared with brokers (WIRE_LIMITS): a combined process is both with one id. */
const NODE_ID_MAX = WIRE_LIMITS.nodeIdMax;
const INTERVAL_MS_MAX = 3_600_000;
const TICKS_MAX = 10_000;

const voterSchema = z
  .string({ error: 'must be ID@HOST:PORT,...' })
  .trim()
  .regex(/^\d+@.+$/, { error: 'must be ID@HOST:PORT' })
  .transform((entry) => {
    const at = entry.indexOf('@');
    return { id: Number(entry.slice(0, at)), address: entry.slice(at + 1) };
  })
  .pipe(
    z.object({
      id: z.number().max(NODE_ID_MAX, { error: `must have ids in [0, ${NODE_ID_MAX}]` }),
      address: hostPortSchema,
    }),
  );

const votersSchema = listSchema(voterSchema)
  .refine((voters) => new Set(voters.map((voter) => voter.id)).size === voters.length, {
    error: 'must list each node id once',
  })
  .transform((voters): VoterAddress[] => [...voters].sort((a, b) => a.id - b.id));

export const CONTROLLER_CONFIG = defineConfig({
  command: 'tributary-controller',
  summary: 'One Raft voter of the controller quorum; every voter is started with the same --voters.',
  options: {
    nodeId: option
      .integer("this voter's id; must appear in `--voters`", { min: 0, max: NODE_ID_MAX })
      .required(),
    listen: option.hostPort('gRPC address (Raft, admin, broker lifecycle, metadata stream)').required(),
    dataDir: option.text('the level database with the Raft log, hard state and snapshots', 'DIR').required(),
    voters: option
      .custom({
        kind: 'list',
        schema: votersSchema,
        placeholder: 'ID@HOST:PORT,...',
        doc: 'every voter of the quorum, this one included (with `--join`: the current voters, to contact)',
      })
      .required(),
    join: option
      .boolean(
        'start outside the quorum and wait to be added with `trib quorum add-voter` (`--node-id` must not be in `--voters`; keep the flag on restarts: the membership then comes from the log)',
      )
      .default(false),
    logLevel: option.logLevel().default(CONTROLLER_DEFAULTS.logLevel),
    tickMs: option.integer('the Raft tick', { min: 1, max: TICKS_MAX }).default(CONTROLLER_DEFAULTS.tickMs),
    electionTicks: option
      .integer('election timeout, drawn from [N, 2N) ticks: 250–500 ms by default', {
        min: 2,
        max: TICKS_MAX,
      })
      .default(CONTROLLER_DEFAULTS.electionTicks),
    heartbeatTicks: option
      .integer('leader heartbeat interval in ticks (50 ms)', { min: 1, max: TICKS_MAX })
      .default(CONTROLLER_DEFAULTS.heartbeatTicks),
    sessionTimeoutMs: option
      .integer('a broker whose heartbeats stop for this long is fenced', { min: 10, max: INTERVAL_MS_MAX })
      .default(CONTROLLER_DEFAULTS.sessionTimeoutMs),
    heartbeatIntervalMs: option
      .integer('the heartbeat interval brokers are told to use', { min: 1, max: INTERVAL_MS_MAX })
      .default(CONTROLLER_DEFAULTS.heartbeatIntervalMs),
    suspectAfterMs: option
      .integer(
        'fast failure detection: a broker another unfenced broker reports unreachable is fenced once it has been silent this long',
        { min: 1, max: INTERVAL_MS_MAX },
      )
      .optional('2 × heartbeat interval'),
    snapshotIntervalEntries: option
      .integer('committed entries between metadata snapshots', { min: 2, max: 1e9 })
      .default(CONTROLLER_DEFAULTS.snapshotIntervalEntries),
    metricsListen: option.hostPort('address of the Prometheus `/metrics` HTTP endpoint').optional('off'),
    autoLeaderRebalance: option
      .boolean('move leadership back to preferred leaders when a broker is imbalanced (active controller)')
      .default(CONTROLLER_DEFAULTS.autoLeaderRebalance),
    leaderImbalancePerBrokerPercentage: option
      .integer(
        'a broker is imbalanced when more than this percentage of the partitions it prefers to lead are led elsewhere',
        { min: 0, max: 100 },
      )
      .default(CONTROLLER_DEFAULTS.leaderImbalancePerBrokerPercentage),
    leaderImbalanceCheckIntervalMs: option
      .integer('how often the active controller checks leader balance', { min: 10, max: INTERVAL_MS_MAX })
      .default(CONTROLLER_DEFAULTS.leaderImbalanceCheckIntervalMs),
    bootstrapScramUser: option
      .text(
        'a SCRAM user (SCRAM-SHA-256 and -512) the active controller creates while the metadata log has no credential for it: the first super user of a secure cluster (docs/operations.md)',
        'NAME',
      )
      .optional('none'),
    bootstrapScramPasswordFile: option
      .text(
        "the bootstrap user's password: the file's first line, read and salted at start, never logged",
        'FILE',
      )
      .optional('none'),
    ...TLS_CONFIG_OPTIONS,
    ...METRICS_TLS_OPTIONS,
    ...AUTH_CONFIG_OPTIONS,
  },
  rules: [
    ...TLS_CONFIG_RULES,
    ...METRICS_TLS_RULES,
    ...AUTH_CONFIG_RULES,
    {
      holds: (config) => config.join || config.voters.some((voter) => voter.id === config.nodeId),
      message: (config) =>
        `--node-id ${config.nodeId} is not one of --voters (use --join to add a controller)`,
    },
    {
      holds: (config) => !config.join || !config.voters.some((voter) => voter.id === config.nodeId),
      message: (config) =>
        `--join: --node-id ${config.nodeId} must not be one of --voters (they are the quorum to join)`,
    },
    {
      holds: (config) => config.heartbeatTicks < config.electionTicks,
      message: '--heartbeat-ticks must be smaller than --election-ticks',
    },
    {
      holds: (config) => config.heartbeatIntervalMs < config.sessionTimeoutMs,
      message: '--heartbeat-interval-ms must be smaller than --session-timeout-ms',
    },
    {
      holds: (config) =>
        (config.bootstrapScramUser === undefined) === (config.bootstrapScramPasswordFile === undefined),
      message: '--bootstrap-scram-user and --bootstrap-scram-password-file go together',
    },
  ],
});

type ParsedControllerConfig = ConfigValues<typeof CONTROLLER_CONFIG.options>;

export interface ControllerConfig extends Omit<ParsedControllerConfig, 'suspectAfterMs' | 'voters'> {
  readonly voters: readonly VoterAddress[];
  /** The --tls-* files, read and checked (a bad file is a ConfigError at start-up); unset = plaintext. */
  readonly tls?: ProcessTls;
  /** --bootstrap-scram-user with its password already salted (the password file is read at parse time). */
  readonly bootstrapUser?: BootstrapUserCredentials;
  /** The authentication and authorization flags, parsed (AUTH_CONFIG_OPTIONS). */
  readonly security: ProcessSecurity;
  /**
   * Fast failure detection: fence a broker another broker reports unreachable once it has been silent
   * this long. Default 2 × heartbeatIntervalMs.
   */
  readonly suspectAfterMs: number;
}

export const USAGE = helpText(CONTROLLER_CONFIG);

/** host:port with a port in [0, 65535]; returns it unchanged. */
export function parseHostPort(value: string, what: string): string {
  if (!hostPortSchema.safeParse(value).success)
    throw new ConfigError(`${what} must be HOST:PORT, got "${value}"`);
  return value;
}

/** "1@host:port,2@host:port" -> voters sorted by id; ids unique. */
export function parseVoters(value: string): VoterAddress[] {
  const result = votersSchema.safeParse(value);
  if (!result.success) {
    throw new ConfigError(`--voters: ${result.error.issues[0]?.message ?? 'is invalid'}, got "${value}"`);
  }
  return result.data;
}

/**
 * Parses argv (without node and script) over TRIBUTARY_* variables and the config file; returns null when
 * --help was asked for.
 */
export function parseControllerArgs(
  argv: readonly string[],
  env: Env = process.env,
): ControllerConfig | null {
  const values = parseConfig(CONTROLLER_CONFIG, { argv, env });
  if (values === null) return null;
  const files = tlsFilesOf(values);
  const { bootstrapScramUser, bootstrapScramPasswordFile } = values;
  return {
    ...values,
    suspectAfterMs: values.suspectAfterMs ?? 2 * values.heartbeatIntervalMs,
    security: securityOf(values),
    ...(files === undefined ? {} : { tls: ProcessTls.load(files) }),
    ...(bootstrapScramUser === undefined || bootstrapScramPasswordFile === undefined
      ? {}
      : { bootstrapUser: loadBootstrapUser(bootstrapScramUser, bootstrapScramPasswordFile) }),
  };
}
