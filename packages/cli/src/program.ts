/**
 * The `trib` command tree (DESIGN §7). Parsing and dispatch only: command logic lives in
 * src/commands, output formatting in src/format.ts. Every failure becomes one line on stderr and a
 * non-zero exit code; stacks are never printed.
 */
import { ConfigError } from '@tributary/core/config';
import {
  asTributaryError,
  clientCredentials,
  readClientTls,
  type SaslCredentials,
  ScramSessionAuthentication,
} from '@tributary/protocol';
import { SCRAM_MECHANISMS, type ScramMechanism } from '@tributary/security';
import { Command, CommanderError, Option } from 'commander';
import {
  collectConfig,
  collectName,
  parseAddressList,
  parseNonNegativeInt,
  parsePositiveInt,
} from './args.js';
import { addAclCommands } from './commands/acls.js';
import { addDecommissionCommand, brokersList } from './commands/brokers.js';
import { clusterStatus } from './commands/cluster.js';
import { addDeleteRecordsCommand } from './commands/delete-records.js';
import { addDevCertsCommand } from './commands/dev-certs.js';
import { addDumpLogCommand } from './commands/dump-log.js';
import { addGroupCommands } from './commands/groups.js';
import { metadataLog } from './commands/metadata-log.js';
import { addPartitionCommands } from './commands/partition-commands.js';
import { addClientCommands } from './commands/produce-commands.js';
import { addQuorumMembershipCommands, quorumDescribe } from './commands/quorum.js';
import { addQuotaCommands } from './commands/quotas.js';
import {
  topicsAddPartitions,
  topicsAlterConfig,
  topicsCreate,
  topicsDelete,
  topicsDescribe,
  topicsList,
} from './commands/topics.js';
import { addTransactionCommands } from './commands/transactions.js';
import { addUserCommands } from './commands/users.js';
import type { CommandContext, GlobalOptions } from './context.js';
import type { CliDecoders, CliIo } from './io.js';
import { readHiddenLineFromTty } from './tty-prompt.js';

export const DEFAULT_CONTROLLERS = '127.0.0.1:9093';
export const DEFAULT_BOOTSTRAP = '127.0.0.1:9092';

/** Where `trib produce` reads its lines; injected so tests need no process stdin. */
export interface CliInput {
  readonly stdin: AsyncIterable<string | Buffer>;
  /** Whether stderr is a terminal (progress lines are printed only then). */
  readonly stderrIsTty: boolean;
  /** Whether stdout is a terminal (watch tables are redrawn in place only then). */
  readonly stdoutIsTty?: boolean;
  /** Whether stdin is a terminal (`trib acls delete` asks for confirmation only then). */
  readonly stdinIsTty?: boolean;
  /** Reads a line from the terminal without echo (a password); absent where there is no terminal. */
  readonly readHiddenLine?: (prompt: string) => Promise<string>;
}

const PROCESS_INPUT: CliInput = {
  get stdin() {
    return process.stdin;
  },
  get stderrIsTty() {
    return process.stderr.isTTY === true;
  },
  get stdoutIsTty() {
    return process.stdout.isTTY === true;
  },
  get stdinIsTty() {
    return process.stdin.isTTY === true;
  },
  readHiddenLine: readHiddenLineFromTty,
};

/** An address list from the environment, failing with the variable's name in the message. */
function envAddresses(env: CliIo['env'], name: string, fallback: string): string[] {
  try {
    return parseAddressList(env[name] ?? fallback);
  } catch (error) {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
export const DEFAULT_TIMEOUT_MS = 5_000;

/** Exit codes: 0 success, 1 the operation failed, 2 the command line was wrong, 130 interrupted. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** As shells report a process ended by SIGINT (128 + 2). */
export const EXIT_INTERRUPTED = 130;

interface RawGlobalOptions {
  readonly controllers: string[];
  readonly bootstrap: string[];
  readonly json?: boolean;
  readonly timeoutMs: number;
  readonly tlsCa?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly user?: string;
  readonly password?: string;
  readonly saslMechanism: ScramMechanism;
}

/**
 * The client TLS settings from --tls-ca/--tls-cert/--tls-key (or TRIB_TLS_*), files read and checked now: a
 * missing or bad file is a ConfigError (exit 2). A certificate without a CA is refused rather than ignored.
 */
function clientTls(raw: RawGlobalOptions): Pick<GlobalOptions, 'tls'> {
  if (raw.tlsCa === undefined) {
    if (raw.tlsCert !== undefined || raw.tlsKey !== undefined) {
      throw new ConfigError('--tls-cert and --tls-key need --tls-ca (servers are verified against it only)');
    }
    return {};
  }
  return {
    tls: readClientTls({
      caFile: raw.tlsCa,
      ...(raw.tlsCert === undefined ? {} : { certFile: raw.tlsCert }),
      ...(raw.tlsKey === undefined ? {} : { keyFile: raw.tlsKey }),
    }),
  };
}

/**
 * SCRAM credentials from --user/--password (or TRIB_USER/TRIB_PASSWORD) and --sasl-mechanism: both or
 * neither, checked now (a usage error, exit 2). The password is never printed.
 */
function clientSasl(raw: RawGlobalOptions): { sasl?: SaslCredentials } {
  const user = raw.user?.trim() === '' ? undefined : raw.user;
  const password = raw.password === '' ? undefined : raw.password;
  if (user === undefined) {
    if (password !== undefined)
      throw new ConfigError('--password (or TRIB_PASSWORD) needs --user (or TRIB_USER)');
    return {};
  }
  if (password === undefined) throw new ConfigError('--user needs --password (or TRIB_PASSWORD)');
  return { sasl: { mechanism: raw.saslMechanism, username: user, password } };
}

/** A text option whose default is its TRIB_* variable (an empty variable counts as unset). */
function envOption(flag: string, variable: string, env: CliIo['env'], description: string): Option {
  const option = new Option(flag, `${description} (env ${variable})`);
  const fromEnv = env[variable] ?? '';
  return fromEnv === '' ? option : option.default(fromEnv, `$${variable}`);
}

/** A file option whose default is its TRIB_* variable (an empty variable counts as unset). */
function fileOption(flag: string, variable: string, env: CliIo['env'], description: string): Option {
  const option = new Option(`${flag} <file>`, `${description} (env ${variable})`);
  const fromEnv = (env[variable] ?? '').trim();
  return fromEnv === '' ? option : option.default(fromEnv);
}

function globalOptions(command: Command, env: CliIo['env']): GlobalOptions {
  const raw = command.optsWithGlobals<RawGlobalOptions>();
  // The environment variable is the option's default here, so commander reports it as 'default'.
  const controllersGiven =
    command.getOptionValueSourceWithGlobals('controllers') === 'cli' ||
    (env.TRIB_CONTROLLERS ?? '').trim() !== '';
  return {
    controllers: raw.controllers,
    controllersGiven,
    bootstrap: raw.bootstrap,
    json: raw.json === true,
    timeoutMs: raw.timeoutMs,
    ...clientTls(raw),
    ...clientSasl(raw),
  };
}

/** The run's options, with one set of SCRAM sessions for every channel its command opens. */
function withSessions(options: GlobalOptions): GlobalOptions {
  if (options.sasl === undefined) return options;
  const auth = new ScramSessionAuthentication({
    sasl: options.sasl,
    credentials: clientCredentials(options.tls),
  });
  return { ...options, auth };
}

export type Action = (context: CommandContext, command: Command) => Promise<void>;

/** Builds a fresh program per run (commander keeps parse state on its objects). */
export function buildProgram(io: CliIo, decoders: CliDecoders, input: CliInput = PROCESS_INPUT): Command {
  const program = new Command('trib')
    .description('Tributary admin CLI')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
      outputError: (text, write) => write(text),
    })
    .addOption(
      new Option(
        '--controllers <host:port,...>',
        'controller addresses, for quorum and metadata commands; admin commands use them directly when given (env TRIB_CONTROLLERS)',
      )
        .argParser(parseAddressList)
        .default(envAddresses(io.env, 'TRIB_CONTROLLERS', DEFAULT_CONTROLLERS)),
    )
    .addOption(
      new Option(
        '--bootstrap <host:port,...>',
        'broker addresses; admin commands go through them unless --controllers is given (env TRIB_BOOTSTRAP)',
      )
        .argParser(parseAddressList)
        .default(envAddresses(io.env, 'TRIB_BOOTSTRAP', DEFAULT_BOOTSTRAP)),
    )
    .option('--json', 'machine-readable output: one JSON document per line')
    .option(
      '--timeout-ms <ms>',
      'deadline for the command, retries included',
      parsePositiveInt,
      DEFAULT_TIMEOUT_MS,
    )
    .addOption(
      fileOption(
        '--tls-ca',
        'TRIB_TLS_CA',
        io.env,
        'TLS: the CA certificate(s) servers are verified against (never the system roots)',
      ),
    )
    .addOption(
      fileOption(
        '--tls-cert',
        'TRIB_TLS_CERT',
        io.env,
        'TLS: client certificate, for --tls-client-auth required',
      ),
    )
    .addOption(fileOption('--tls-key', 'TRIB_TLS_KEY', io.env, 'TLS: the private key of --tls-cert'))
    .addOption(envOption('--user <name>', 'TRIB_USER', io.env, 'SCRAM: log in as this user'))
    .addOption(
      envOption(
        '--password <password>',
        'TRIB_PASSWORD',
        io.env,
        "SCRAM: the user's password (prefer the variable)",
      ),
    )
    .addOption(
      new Option('--sasl-mechanism <mechanism>', 'SCRAM: the mechanism to log in with')
        .choices(SCRAM_MECHANISMS)
        .default('SCRAM-SHA-512'),
    );

  const run =
    (action: Action) =>
    (...args: unknown[]): Promise<void> => {
      // commander passes (…arguments, options, command); the command is always last.
      const command = args[args.length - 1] as Command;
      const options = withSessions(globalOptions(command, io.env));
      return action({ io, decoders, options }, command).finally(() => options.auth?.close());
    };

  addQuorumCommands(program, run);
  addBrokerCommands(program, run, input);
  addClusterCommands(program, run);
  addTopicCommands(program, run);
  addPartitionCommands(program, run, input);
  addMetadataCommands(program, run);
  addClientCommands(program, run, input);
  addGroupCommands(program, run);
  addTransactionCommands(program, run);
  addUserCommands(program, run, input);
  addAclCommands(program, run, input);
  addQuotaCommands(program, run);
  addDevCertsCommand(program, io);
  addDumpLogCommand(program, io);
  return program;
}

export type Runner = (action: Action) => (...args: unknown[]) => Promise<void>;

function addQuorumCommands(program: Command, run: Runner): void {
  const quorum = program.command('quorum').description('the controller Raft quorum');
  quorum
    .command('describe')
    .description('leader, term, commit index and each voter’s lag, from every controller')
    .option('--watch', 'poll until interrupted')
    .option('--interval-ms <ms>', 'poll interval with --watch', parsePositiveInt, 1_000)
    .action(
      run((context, command) => {
        const options = command.opts<{ watch?: boolean; intervalMs: number }>();
        return quorumDescribe(context, { watch: options.watch === true, intervalMs: options.intervalMs });
      }),
    );
  addQuorumMembershipCommands(quorum, run);
}

function addBrokerCommands(program: Command, run: Runner, input: CliInput): void {
  const brokers = program.command('brokers').description('registered brokers');
  brokers
    .command('list')
    .description('id, address, fenced/unfenced, epoch')
    .action(run((context) => brokersList(context)));
  addDecommissionCommand(brokers, run, input);
}

function addClusterCommands(program: Command, run: Runner): void {
  const cluster = program.command('cluster').description('the whole cluster at a glance');
  cluster
    .command('status')
    .description('quorum, brokers, under-replicated and offline partitions')
    .action(run((context) => clusterStatus(context)));
}

function addTopicCommands(program: Command, run: Runner): void {
  const topics = program.command('topics').description('create, list, describe and delete topics');
  topics
    .command('create <name>')
    .description('create a topic')
    .requiredOption('--partitions <n>', 'number of partitions', parsePositiveInt)
    .requiredOption('--replication-factor <r>', 'replicas per partition', parsePositiveInt)
    .option('--config <key=value>', 'topic config (repeatable)', collectConfig, [])
    .action(
      run((context, command) => {
        const options = command.opts<{
          partitions: number;
          replicationFactor: number;
          config: [string, string][];
        }>();
        return topicsCreate(context, String(command.args[0]), {
          partitions: options.partitions,
          replicationFactor: options.replicationFactor,
          configs: options.config,
        });
      }),
    );
  topics
    .command('list')
    .description('every topic')
    .action(run((context) => topicsList(context)));
  topics
    .command('describe <name>')
    .description('partitions, leaders, replicas and ISR of a topic')
    .action(run((context, command) => topicsDescribe(context, String(command.args[0]))));
  topics
    .command('delete <name>')
    .description('delete a topic')
    .action(run((context, command) => topicsDelete(context, String(command.args[0]))));
  topics
    .command('add-partitions <name>')
    .description('raise the partition count of a topic')
    .requiredOption('--partitions <n>', 'the new total partition count', parsePositiveInt)
    .action(
      run((context, command) =>
        topicsAddPartitions(
          context,
          String(command.args[0]),
          command.opts<{ partitions: number }>().partitions,
        ),
      ),
    );
  addTopicConfigCommand(topics, run);
  addDeleteRecordsCommand(topics, run);
}

function addTopicConfigCommand(topics: Command, run: Runner): void {
  topics
    .command('alter-config <name>')
    .description('set or remove topic configs (brokers apply them from the metadata log)')
    .option('--set <key=value>', 'config to set (repeatable)', collectConfig, [])
    .option('--delete <key>', 'config to remove, back to the default (repeatable)', collectName, [])
    .option('--validate-only', 'check the change and show the result without applying it')
    .action(
      run((context, command) => {
        const options = command.opts<{
          set: [string, string][];
          delete: string[];
          validateOnly?: boolean;
        }>();
        return topicsAlterConfig(context, String(command.args[0]), {
          set: options.set,
          remove: options.delete,
          validateOnly: options.validateOnly === true,
        });
      }),
    );
}

function addMetadataCommands(program: Command, run: Runner): void {
  const metadata = program.command('metadata').description('the metadata log');
  metadata
    .command('log')
    .description('the committed metadata records, decoded')
    .option('--from <offset>', 'first offset to show', parseNonNegativeInt, 0)
    .option('--follow', 'keep printing new records until interrupted')
    .action(
      run((context, command) => {
        const options = command.opts<{ from: number; follow?: boolean }>();
        return metadataLog(context, { fromOffset: options.from, follow: options.follow === true });
      }),
    );
}

/**
 * Runs `trib` with the arguments after the program name and returns the exit code. Never throws:
 * usage errors were already printed by commander, operational errors print `error: CODE: message`.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  decoders: CliDecoders,
  input: CliInput = PROCESS_INPUT,
): Promise<number> {
  let program: Command;
  try {
    program = buildProgram(io, decoders, input);
  } catch (error) {
    // Only a malformed TRIB_CONTROLLERS or TRIB_BOOTSTRAP can fail here (defaults are parsed eagerly).
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof ConfigError) {
      io.err(`error: ${error.message}`);
      return EXIT_USAGE;
    }
    if (io.signal.aborted) {
      io.err('error: interrupted');
      return EXIT_INTERRUPTED;
    }
    const failure = asTributaryError(error);
    io.err(`error: ${failure.code}: ${failure.message.replace(/\s*\n\s*/g, ' ')}`);
    return EXIT_FAILURE;
  }
}
