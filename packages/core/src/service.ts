/**
 * The lifecycle every Tributary process shares (DESIGN §2): start, then run until SIGTERM/SIGINT and close
 * cleanly (exit 0); a signal during start-up closes as soon as start-up ends; an uncaught error or a failed
 * close is fatal (logged, exit 1). SIGHUP asks the running service to reload what it can without a restart
 * (its TLS files, DESIGN §10) and never stops it: a failed reload is logged and the service keeps running
 * as it was. (Node's default for SIGHUP is to exit, so the handler is installed even for services with
 * nothing to reload.) The process object is injected so the lifecycle can be tested.
 */
import { releaseYoungGeneration } from './startup-heap.js';
import { installTestWallClockOffset } from './test-wall-clock.js';

export interface ServiceLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
  fatal(fields: object, message: string): void;
}

export interface ServiceProcess {
  on(event: 'SIGTERM' | 'SIGINT' | 'SIGHUP', listener: () => void): unknown;
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  exit(code: number): void;
}

/** What a running service offers the shell: a clean close, and optionally a reload on SIGHUP. */
export interface ServiceHandle {
  close(): Promise<void>;
  /** Re-reads what can change at run time (TLS files); logs what it did; must not throw for bad input. */
  reload?(): void;
}

export interface RunServiceOptions<Handle extends ServiceHandle> {
  readonly logger: ServiceLogger;
  readonly start: () => Promise<Handle>;
  /** Called once start-up succeeded, unless a stop signal already arrived. */
  readonly onStarted?: (handle: Handle) => void;
  readonly process?: ServiceProcess;
}

export async function runService<Handle extends ServiceHandle>(
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
  proc.on('SIGHUP', () => {
    if (handle === undefined || stopping) {
      logger.info({ signal: 'SIGHUP' }, 'not running yet or stopping: nothing reloaded');
      return;
    }
    if (handle.reload === undefined) {
      logger.info({ signal: 'SIGHUP' }, 'nothing to reload');
      return;
    }
    logger.info({ signal: 'SIGHUP' }, 'reloading');
    try {
      handle.reload();
    } catch (error) {
      logger.error({ err: error }, 'reload failed; running on as before');
    }
  });

  try {
    handle = await options.start();
  } catch (error) {
    fatal(error, 'failed to start');
    return;
  }
  // Start-up's allocation burst is over: the young generation may size itself from now on.
  releaseYoungGeneration();
  if (stopping) close();
  else options.onStarted?.(handle);
}

export interface ServiceMainOptions<Config, Logger extends ServiceLogger, Handle extends ServiceHandle> {
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
export async function serviceMain<Config, Logger extends ServiceLogger, Handle extends ServiceHandle>(
  options: ServiceMainOptions<Config, Logger, Handle>,
): Promise<void> {
  // Test harnesses only (the chaos suite's clock nemesis); a no-op unless the variable is set.
  installTestWallClockOffset(process.env);
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
