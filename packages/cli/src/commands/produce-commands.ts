/**
 * Registration of the data-plane commands (produce, consume, perf) on the `trib` program. They talk to
 * brokers (`--bootstrap`), not controllers.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Acks } from '@tributary/client';
import { SUPPORTED_COMPRESSION, type SupportedCompression } from '@tributary/records';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseNonNegativeInt, parsePositiveInt } from '../args.js';
import type { CommandContext } from '../context.js';
import type { CliInput, Runner } from '../program.js';
import { consume } from './consume.js';
import { PERF_DEFAULTS, perfConsume, perfProduce } from './perf.js';
import { END_TO_END_DEFAULTS, perfEndToEnd } from './perf-end-to-end.js';
import { type LineHeader, PRODUCE_TIMEOUTS, produce } from './produce.js';

export function parseAcks(value: string): Acks {
  switch (value) {
    case 'all':
    case '-1':
      return 'all';
    case '1':
      return 1;
    case '0':
      return 0;
    default:
      throw new InvalidArgumentError('expected all, 1 or 0.');
  }
}

/** Splits a byte stream into lines (\n or \r\n); a last line without a newline still counts. */
export async function* readLines(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of chunks) {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let newline = rest.indexOf('\n');
    while (newline !== -1) {
      const line = rest.slice(0, newline);
      yield line.endsWith('\r') ? line.slice(0, -1) : line;
      rest = rest.slice(newline + 1);
      newline = rest.indexOf('\n');
    }
  }
  rest += decoder.end();
  if (rest !== '') yield rest;
}

function bootstrapOf(command: Command): string[] {
  return command.optsWithGlobals<{ bootstrap: string[] }>().bootstrap;
}

/** The global --timeout-ms, only when the user gave it (its default is a deadline, not an idle limit). */
function explicitTimeoutMs(context: CommandContext, command: Command): number | undefined {
  const source = command.getOptionValueSourceWithGlobals('timeoutMs');
  return source === 'cli' || source === 'env' ? context.options.timeoutMs : undefined;
}

function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: 2, code: 'trib.usage' });
}

const acksOption = (): Option =>
  new Option('--acks <acks>', 'all, 1 or 0').argParser(parseAcks).default('all' satisfies Acks);

/** Idempotence follows acks unless turned off: on with --acks all, off with 1 or 0. */
const noIdempotenceOption = (): Option =>
  new Option(
    '--no-idempotence',
    'no producer id and sequence numbers, so a retry may write a record twice (default: idempotent with --acks all)',
  );

/** Only an explicit --no-idempotence is passed on; otherwise the producer decides from acks. */
function idempotenceOf(options: { idempotence?: boolean }): { idempotent?: false } {
  return options.idempotence === false ? { idempotent: false } : {};
}

/** `--header k=v`, repeatable: the value may contain '='; the key may not be empty. */
function collectHeader(text: string, previous: LineHeader[]): LineHeader[] {
  const at = text.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`--header takes KEY=VALUE, got "${text}"`);
  return [...previous, { key: text.slice(0, at), value: Buffer.from(text.slice(at + 1), 'utf8') }];
}

const compressionOption = (): Option =>
  new Option('--compression <codec>', 'codec for each batch')
    .choices(SUPPORTED_COMPRESSION)
    .default('none' satisfies SupportedCompression);

export function addClientCommands(program: Command, run: Runner, input: CliInput): void {
  addProduceCommand(program, run, input);
  addConsumeCommand(program, run);
  addPerfCommands(program, run, input);
}

function addProduceCommand(program: Command, run: Runner, input: CliInput): void {
  program
    .command('produce <topic>')
    .description('send one record per stdin line')
    .addOption(new Option('--key <key>', 'the key of every record').conflicts('keySeparator'))
    .option('--key-separator <separator>', 'split each line into key and value at the first separator')
    .option('--partition <p>', 'send every record to this partition', parseNonNegativeInt)
    .option('--header <key=value>', 'a header on every record (repeatable)', collectHeader, [])
    .addOption(acksOption())
    .addOption(noIdempotenceOption())
    .addOption(compressionOption())
    .addOption(requestTimeoutOption())
    .addOption(deliveryTimeoutOption())
    .action(
      run((context, command) => {
        const options = command.opts<{
          key?: string;
          keySeparator?: string;
          partition?: number;
          header: LineHeader[];
          acks: Acks;
          idempotence?: boolean;
          compression: SupportedCompression;
          requestTimeoutMs: number;
          deliveryTimeoutMs?: number;
        }>();
        if (options.keySeparator === '') usageError(command, '--key-separator must not be empty');
        return produce(
          context,
          String(command.args[0]),
          {
            bootstrap: bootstrapOf(command),
            acks: options.acks,
            compression: options.compression,
            ...produceTimeoutsOf(context, command, options),
            ...idempotenceOf(options),
            ...(options.key === undefined ? {} : { key: options.key }),
            ...(options.keySeparator === undefined ? {} : { keySeparator: options.keySeparator }),
            ...(options.partition === undefined ? {} : { partition: options.partition }),
            ...(options.header.length === 0 ? {} : { headers: options.header }),
          },
          readLines(input.stdin),
        );
      }),
    );
}

function addConsumeCommand(program: Command, run: Runner): void {
  program
    .command('consume <topic>')
    .description('print records (values, or with --json whole records) one per line')
    .addOption(
      new Option(
        '--group <group>',
        'consume as a member of this consumer group (commits as it goes)',
      ).conflicts(['partition', 'offset']),
    )
    .option('--partition <p>', 'only this partition', parseNonNegativeInt)
    .addOption(
      new Option('--offset <o>', 'start at this offset (needs --partition)')
        .argParser(parseNonNegativeInt)
        .conflicts('fromBeginning'),
    )
    .option('--from-beginning', 'start at the earliest offsets (default: the latest)')
    .option('--max-messages <n>', 'stop after n records', parsePositiveInt)
    .addOption(
      new Option(
        '--isolation-level <level>',
        'read_committed: only committed transactions, up to the last stable offset (Kafka’s isolation.level)',
      )
        .choices(['read_uncommitted', 'read_committed'])
        .default('read_uncommitted'),
    )
    .option(
      '--session-timeout-ms <ms>',
      'with --group: the member is removed after this long without a heartbeat (default 45000)',
      parsePositiveInt,
    )
    .addHelpText('after', '\nWith the global --timeout-ms T, stops after T ms without new records.')
    .action(
      run((context, command) => {
        const options = command.opts<{
          group?: string;
          partition?: number;
          offset?: number;
          fromBeginning?: boolean;
          maxMessages?: number;
          isolationLevel: 'read_uncommitted' | 'read_committed';
          sessionTimeoutMs?: number;
        }>();
        if (options.group === '') usageError(command, '--group must not be empty');
        if (options.sessionTimeoutMs !== undefined && options.group === undefined) {
          usageError(command, '--session-timeout-ms needs --group');
        }
        if (options.offset !== undefined && options.partition === undefined) {
          usageError(command, '--offset needs --partition');
        }
        const idleTimeoutMs = explicitTimeoutMs(context, command);
        return consume(context, String(command.args[0]), {
          bootstrap: bootstrapOf(command),
          fromBeginning: options.fromBeginning === true,
          readCommitted: options.isolationLevel === 'read_committed',
          ...(options.group === undefined ? {} : { group: options.group }),
          ...(options.partition === undefined ? {} : { partition: options.partition }),
          ...(options.offset === undefined ? {} : { offset: options.offset }),
          ...(options.maxMessages === undefined ? {} : { maxMessages: options.maxMessages }),
          ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
          ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
        });
      }),
    );
}

function requestTimeoutOption(): Option {
  return new Option(
    '--request-timeout-ms <ms>',
    "how long one Produce request waits for its answer (Kafka's request.timeout.ms)",
  )
    .argParser(parsePositiveInt)
    .default(PRODUCE_TIMEOUTS.requestTimeoutMsDefault);
}

function deliveryTimeoutOption(): Option {
  return new Option(
    '--delivery-timeout-ms <ms>',
    "how long a record may take to be acknowledged, retries included (Kafka's delivery.timeout.ms; " +
      `default ${PRODUCE_TIMEOUTS.deliveryTimeoutMsDefault}, or the global --timeout-ms when given)`,
  ).argParser(parsePositiveInt);
}

/**
 * A producer's request and delivery timeouts from the flags. The global --timeout-ms ("the command's
 * deadline") bounded each send before these flags existed; given explicitly it still does, unless
 * --delivery-timeout-ms says otherwise. A request never outlives its record's delivery deadline.
 */
function produceTimeoutsOf(
  context: CommandContext,
  command: Command,
  options: { readonly requestTimeoutMs: number; readonly deliveryTimeoutMs?: number },
): { requestTimeoutMs: number; deliveryTimeoutMs: number } {
  const deliveryTimeoutMs =
    options.deliveryTimeoutMs ??
    explicitTimeoutMs(context, command) ??
    PRODUCE_TIMEOUTS.deliveryTimeoutMsDefault;
  return { requestTimeoutMs: Math.min(options.requestTimeoutMs, deliveryTimeoutMs), deliveryTimeoutMs };
}

function lingerOption(): Option {
  return new Option(
    '--linger-ms <ms>',
    "with a rate: how long a batch fills (Kafka's linger.ms); a batch carries about rate × linger records",
  )
    .argParser(parseLingerMs)
    .default(PERF_DEFAULTS.lingerMs);
}

function parseLingerMs(raw: string): number {
  const value = parseNonNegativeInt(raw);
  if (value > PERF_DEFAULTS.lingerMsMax) {
    throw new InvalidArgumentError(`must be at most ${PERF_DEFAULTS.lingerMsMax}`);
  }
  return value;
}

/** A perf run needs an end: --messages, --duration-ms or both (a usage error, exit 2, otherwise). */
function requireRunBoundOrUsage(
  command: Command,
  options: { readonly messages?: number; readonly durationMs?: number },
): void {
  if (options.messages === undefined && options.durationMs === undefined) {
    command.error('error: give --messages, --duration-ms or both', { exitCode: 2, code: 'trib.usage' });
  }
}

function addPerfCommands(program: Command, run: Runner, input: CliInput): void {
  const perf = program.command('perf').description('producer and consumer performance tests');
  perf
    .command('produce <topic>')
    .description('send records as fast as allowed; report records/s, MB/s and ack latency percentiles')
    .option('--messages <n>', 'records to send (or --duration-ms alone)', parsePositiveInt)
    .requiredOption('--record-size <bytes>', 'value size of each record', parsePositiveInt)
    .addOption(acksOption())
    .addOption(noIdempotenceOption())
    .addOption(compressionOption())
    .option('--throughput <records-per-second>', 'cap the send rate', parsePositiveInt)
    .addOption(lingerOption())
    .option('--duration-ms <ms>', 'stop sending after this long', parsePositiveInt)
    .option('--partition <p>', 'send only to this partition', parseNonNegativeInt)
    .option('--batch-bytes <bytes>', 'payload bytes per batch', parsePositiveInt, PERF_DEFAULTS.batchBytes)
    .option('--in-flight <n>', 'Produce calls in flight per broker', parsePositiveInt, PERF_DEFAULTS.inFlight)
    .option(
      '--value-pool <n>',
      'distinct values cycled (the default repeats within a batch: best case for compression)',
      parsePositiveInt,
      PERF_DEFAULTS.payloadPoolSize,
    )
    .addOption(requestTimeoutOption())
    .addOption(deliveryTimeoutOption())
    .action(
      run((context, command) => {
        const options = command.opts<{
          messages?: number;
          recordSize: number;
          acks: Acks;
          throughput?: number;
          lingerMs: number;
          durationMs?: number;
          partition?: number;
          batchBytes: number;
          inFlight: number;
          valuePool: number;
          idempotence?: boolean;
          compression: SupportedCompression;
          requestTimeoutMs: number;
          deliveryTimeoutMs?: number;
        }>();
        requireRunBoundOrUsage(command, options);
        return perfProduce(context, String(command.args[0]), {
          bootstrap: bootstrapOf(command),
          ...produceTimeoutsOf(context, command, options),
          ...(options.messages === undefined ? {} : { messages: options.messages }),
          lingerMs: options.lingerMs,
          recordSizeBytes: options.recordSize,
          acks: options.acks,
          compression: options.compression,
          batchBytes: options.batchBytes,
          inFlight: options.inFlight,
          valuePoolSize: options.valuePool,
          progress: input.stderrIsTty && !context.options.json,
          ...idempotenceOf(options),
          ...(options.throughput === undefined ? {} : { throughput: options.throughput }),
          ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
          ...(options.partition === undefined ? {} : { partition: options.partition }),
        });
      }),
    );
  perf
    .command('end-to-end <topic>')
    .description(
      'produce at a rate and consume in the same process; report produce → consume latency percentiles',
    )
    .option(
      '--throughput <records-per-second>',
      'the send rate',
      parsePositiveInt,
      END_TO_END_DEFAULTS.throughput,
    )
    .option('--messages <n>', 'records to send (or --duration-ms alone)', parsePositiveInt)
    .option('--duration-ms <ms>', 'stop sending after this long', parsePositiveInt)
    .option(
      '--record-size <bytes>',
      'value size of each record (at least 4)',
      parsePositiveInt,
      END_TO_END_DEFAULTS.recordSizeBytes,
    )
    .addOption(lingerOption())
    .addOption(acksOption())
    .option('--partition <p>', 'use only this partition', parseNonNegativeInt)
    .option('--no-fetch-stream', 'consume with unary Fetch calls instead of FetchStream (a baseline)')
    .action(
      run((context, command) => {
        const options = command.opts<{
          throughput: number;
          messages?: number;
          durationMs?: number;
          recordSize: number;
          lingerMs: number;
          acks: Acks;
          partition?: number;
          fetchStream: boolean;
        }>();
        requireRunBoundOrUsage(command, options);
        return perfEndToEnd(context, String(command.args[0]), {
          bootstrap: bootstrapOf(command),
          throughput: options.throughput,
          recordSizeBytes: options.recordSize,
          lingerMs: options.lingerMs,
          acks: options.acks,
          ...(options.fetchStream ? {} : { fetchStreams: false }),
          ...(options.messages === undefined ? {} : { messages: options.messages }),
          ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
          ...(options.partition === undefined ? {} : { partition: options.partition }),
        });
      }),
    );
  perf
    .command('consume <topic>')
    .description('read from the earliest offsets of every partition; report records/s and MB/s')
    .requiredOption('--messages <n>', 'records to read', parsePositiveInt)
    .action(
      run((context, command) =>
        perfConsume(context, String(command.args[0]), {
          bootstrap: bootstrapOf(command),
          messages: command.opts<{ messages: number }>().messages,
          idleTimeoutMs: context.options.timeoutMs,
        }),
      ),
    );
}
