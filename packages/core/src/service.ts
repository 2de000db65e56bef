/**
 * The lifecycle every Tributary process shares (DESIGN §2): start, then run until SIGTERM/SIGINT and close
 * cleanly (exit 0); a signal during start-up closes as soon as start-up ends; an uncaught error or a failed
 * close is fatal (logged, exit 1). The process object is injected so the lifecycle can be tested.
 */
export interface ServiceLogger {
  info(fields: object, message: string): void;
  fatal(fields: object, message: string): void;
}

export interface ServiceProcess {
  on(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  exit(code: number): void;
}

export interface RunServiceOptions<Handle extends { close(): Promise<void> }> {
  readonly logger: ServiceLogger;
  readonly start: () => Promise<Handle>;
  /** Called once start-up succeeded, unless a stop signal already arrived. */
  readonly onStarted?: (handle: Handle) => void;
  readonly process?: ServiceProcess;
}

export async function runService<Handle extends { close(): Promise<void> }>(
  options: RunServiceOptions<Handle>,
): Promise<void> {
  const proc: ServiceProcess = options.process ?? process;
  const { logger } = options;
  const fatal = (error: unknown, what: string): void => {
    logger.fatal({ err: error }, what);
    proc.exit(1);
  };
  proc.on('uncaughtException', (error) => fatal(error, 'uncaught exception'));
  proc.on('unhandledRejection', (error) => fatal(error, 'unhandled rejection'));

  let handle: Handle | undefined;
  let stopping = false;
  const close = (): void => {
    if (handle === undefined) return; // start-up is still running; it closes when it ends
    handle.close().then(
      () => proc.exit(0),
      (error: unknown) => fatal(error, 'clean shutdown failed'),
    );
  };
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    close();
  };
  proc.on('SIGTERM', () => stop('SIGTERM'));
  proc.on('SIGINT', () => stop('SIGINT'));

  try {
    handle = await options.start();
  } catch (error) {
    fatal(error, 'failed to start');
    return;
  }
  if (stopping) close();
  else options.onStarted?.(handle);
}

export interface ServiceMainOptions<
  Config,
  Logger extends ServiceLogger,
  Handle extends { close(): Promise<void> },
> {
  /** The bin's name, prefixed to argument errors ("tributary-broker: --node-id must be ..."). */
  readonly name: string;
  readonly usage: string;
  /** Parses the command line; null means --help was asked for. */
  readonly parse: (argv: readonly string[]) => Config | null;
  /** Whether an error from `parse` is the user's mistake (one line, exit 2) rather than a bug. */
  readonly isArgumentError: (error: unknown) => error is Error;
  readonly logger: (config: Config) => Logger;
  readonly start: (config: Config, logger: Logger) => Promise<Handle>;
  readonly argv?: readonly string[];
}

/**
 * The whole `main` of a Tributary process bin: parse the flags (bad ones: one line on stderr, exit 2;
 * --help: usage on stdout, exit 0), then run the service until a signal (see runService).
 */
export async function serviceMain<
  Config,
  Logger extends ServiceLogger,
  Handle extends { close(): Promise<void> },
>(options: ServiceMainOptions<Config, Logger, Handle>): Promise<void> {
  let config: Config | null;
  try {
    config = options.parse(options.argv ?? process.argv.slice(2));
  } catch (error) {
    if (!options.isArgumentError(error)) throw error;
    process.stderr.write(`${options.name}: ${error.message}\n`);
    process.exit(2);
  }
  if (config === null) {
    process.stdout.write(`${options.usage}\n`);
    process.exit(0);
  }
  const ready = config;
  const logger = options.logger(ready);
  await runService({ logger, start: () => options.start(ready, logger) });
}
